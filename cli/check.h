/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The invariant checks of 'devexctl check': one table names each check,
 * what it needs and its two judges: over the debugfs rounds of an active
 * check (check_rounds.c) and over the event stream, whoever made the
 * entries (check_stream.c, check_notify.c). cmd_check.c gathers the
 * evidence.
 */
#ifndef DEVEXCTL_CHECK_H
#define DEVEXCTL_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "events.h"
#include "range.h"
#include "records.h"
#include "target.h"

#define CHECK_MAX_PAGES 64
#define CHECK_MAX_EVENTS 4096
#define CHECK_MAX_SUBS 32

/* One convert / entries / revert round on one page. */
struct check_round {
	bool converted;
	int conv_errno;
	char skipped[24];	/* make_exclusive left it alone: why */
	uint64_t pfn;
	int mapcount_before, mapcount_after;
	bool folio_dirty;
	bool have_pte_before;
	unsigned int pte_before;	/* 1 << PTE_* */
	bool have_crc;
	uint32_t crc;
	bool anon_exclusive;
	bool restored;
	uint64_t restored_pfn;
	unsigned int pte_after;
};

struct check_page {
	uint64_t addr;
	struct check_round round[2];
};

/* A conversion tried where none may succeed (read-only or shared VMA). */
struct check_attempt {
	uint64_t addr;
	char perms[5];
	bool converted;
	int conv_errno;
	char skipped[24];	/* make_exclusive left it alone: why */
};

/* What the stream judges saw, per path (check_stream_count()). */
struct check_judged {
	unsigned int set, restore[2], remove[3];	/* [reason] as the kernel numbers it */
	unsigned int deliveries;	/* subscriber deliveries, or (probes) range starts */
};

struct check_run {
	pid_t pid;
	bool watch;			/* check --watch: the stream only, no rounds */
	uint64_t lo, hi;		/* RANGE: entry events are kept in [lo, hi) */
	uint64_t page_size;
	unsigned int max_pages, npages;
	unsigned int pages_skipped;	/* picked, but make_exclusive left them alone */
	char skip_reason[24];
	struct check_page pages[CHECK_MAX_PAGES];
	bool have_debugfs, have_events, events_lost;
	char events_why[200];		/* why there are no events */
	/*
	 * What the event source tells (trace_can(), trace.h). probes: its
	 * notifications are per range of the mm, not per subscriber, and carry
	 * no PTE, mapcount or folio state (the probes of a stock kernel).
	 * range_api: before 6.15 a fault restore sent MMU_NOTIFY_EXCLUSIVE.
	 * subscribed: the mm had subscribers when the window opened.
	 */
	bool probes, range_api, subscribed;
	struct dx_sub subs[CHECK_MAX_SUBS];	/* subscribed through the whole run */
	unsigned int nsubs;
	unsigned int subs_changed;	/* came or went during the run: not judged */
	/* scope: every entry of the mm, and the refused conversions. */
	unsigned int scope_entries, scope_bad;
	char scope_first_bad[160];
	unsigned int nattempts;
	struct check_attempt attempts[2];
	unsigned int nevents;
	struct dx_event events[CHECK_MAX_EVENTS];
	struct check_judged judged;
};

/* The evidence of an active check (check_gather.c). */
int check_pick_pages(struct target *t, const struct range *rg, struct check_run *r);
/* One round: convert, read entries, revert each picked page, through @t's source. */
int check_run_round(struct target *t, struct check_run *r, int round);
int check_scope_gather(struct target *t, struct check_run *r);
/* Keep one event of the instance in r->events (a trace_event_fn; RANGE applies). */
int check_keep_event(void *ctx, const struct dx_event *ev);
/* Read the instance until it was quiet for @quiet_ms (at most 5 s). */
struct dx_trace;
int check_drain(struct dx_trace *t, struct check_run *r, int quiet_ms);

enum check_result { CHECK_PASS, CHECK_FAIL, CHECK_SKIP, CHECK_MISSING };

struct check_verdict {
	enum check_result result;
	char evidence[512];
};

typedef void check_judge_fn(const struct check_run *r, struct check_verdict *v);

struct check_def {
	const char *name;
	const char *desc;
	bool needs_events;		/* only the events can judge it */
	check_judge_fn *rounds;		/* the debugfs rounds (check_rounds.c), or NULL */
	check_judge_fn *stream;		/* the events (check_stream.c), or NULL */
	bool probes;			/* the stream judge works on the probes' events */
};

extern const struct check_def check_table[];

const struct check_def *check_lookup(const char *name);
/* Judge @d on what @r holds: both judges where both have evidence. */
void check_judge(const struct check_def *d, const struct check_run *r, struct check_verdict *v);
/*
 * Header-only, so that the judges (check_rounds.c, check_stream.c,
 * check_notify.c) need nothing of checks.c, whose table points at them.
 */
static inline __attribute__((format(printf, 3, 4)))
void check_verdict_set(struct check_verdict *v, enum check_result res, const char *fmt, ...)
{
	va_list ap;

	v->result = res;
	va_start(ap, fmt);
	vsnprintf(v->evidence, sizeof(v->evidence), fmt, ap);
	va_end(ap);
}

/*
 * Fill r->subs from the notifiers answer of @t's source; with @again, keep
 * only the subscribers still there (by id) and count the others as changed.
 */
int check_read_subscribers(struct target *t, struct check_run *r, bool again);
/* The same from a list @now of @n subscribers read elsewhere (a recording). */
void check_set_subscribers(struct check_run *r, const struct dx_sub *now, unsigned int n,
			   bool again);
/*
 * The "checks" array: each check of @selected (a bit per check_table
 * entry) judged on @r, or missing with the reason; adds up the failed and
 * missing ones.
 */
void check_judge_print(const struct check_run *r, unsigned int selected, unsigned int *nfail,
		       unsigned int *nmissing);
void check_print(const struct check_def *d, const struct check_verdict *v);
/* The same, inside an object the caller opened. */
void check_print_fields(const struct check_def *d, const struct check_verdict *v);
/* The judged-events summary line (text) or object (JSON). */
void check_print_judged(const struct check_run *r);

/* The judges (check_rounds.c, check_stream.c). */
check_judge_fn judge_rounds_mapcount, judge_rounds_dirty, judge_rounds_restore,
	judge_rounds_scope;
check_judge_fn judge_stream_notify_convert, judge_stream_notify_restore,
	judge_stream_mapcount, judge_stream_dirty, judge_stream_restore, judge_stream_scope;
/* Stream helpers (check_stream.c): a set, restore or removal event? */
bool check_is_entry(const struct dx_event *e);
/* The page's entry event before @i, or -1 (its entry predates the run). */
int check_prev_entry(const struct check_run *r, int i);
/* Whether range or delivery @d covers @addr. */
bool check_covers(const struct dx_event *d, uint64_t addr);
/* Count the entry events and deliveries of r->events into r->judged. */
void check_stream_count(struct check_run *r);
/*
 * The conditions where only some bugs show (soft-dirty tracking, uffd-wp,
 * fork, THP...) that this run did not see, as a note and a JSON array.
 */
void check_print_unvaried(const struct check_run *r);
/* The names of those conditions: how many, at most @max. */
unsigned int check_unseen(const struct check_run *r, const char **names, unsigned int max);

#endif
