/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What report summarises from a recording (record_model.c fills it line by
 * line; cmd_report.c prints it). No jansson here: the printers include
 * the output layer, whose JSON writer shares names with jansson.
 */
#ifndef DEVEXCTL_RECORD_MODEL_H
#define DEVEXCTL_RECORD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "record.h"
#include "records.h"
#include "states.h"

/* Restore reasons as the devexcl events name them; polling cannot tell. */
enum rm_reason { RR_FAULT, RR_FORK, RR_UNKNOWN, RR_NR };
extern const char *const rm_reason_names[RR_NR];

struct rm_counts {
	uint64_t conversions, restores[RR_NR], removals, changes;
};

struct rm_vma {
	uint64_t start, end;
	char perms[5];
	char name[128];
	struct rm_counts c;
};

struct rm_owner {
	char id[24];		/* the set events' owner id; "unknown" when none */
	struct rm_counts c;
};

struct rm_sub {
	char id[24];
	char callback[96];
	uint64_t deliveries, failures;
};

struct rm_page {
	uint64_t addr;		/* 0: a free slot (page 0 is never mapped) */
	uint64_t events;
	uint64_t since_ns;	/* when it became device-exclusive */
	int owner;		/* index into owners, or -1 */
	bool alive;		/* device-exclusive as of the last event */
	bool before_start;	/* already in the start snapshot */
};

/*
 * One event of the timeline (the heatmap, the TUI's replay): what it did
 * to which pages, in file order.
 */
enum rm_kind { RK_CONVERT, RK_RESTORE, RK_REMOVE, RK_CHANGE, RK_NOTIFY, RK_NR };
extern const char *const rm_kind_names[RK_NR];

struct rm_event {
	uint64_t ts_ns;		/* CLOCK_MONOTONIC, as the lines' timestamp_ns */
	uint64_t addr;		/* the first page; a notifier: its range's start */
	uint64_t pages;		/* pages covered (a notifier's range, rounded up) */
	uint8_t kind;		/* enum rm_kind */
	uint8_t from, to;	/* enum page_state before and after; PS_NR: not a page change */
	uint8_t reason;		/* RK_RESTORE: enum rm_reason */
};

/* Bounds: a hostile file cannot make report allocate without end. */
#define RM_MAX_EVENTS (1u << 22)
#define RM_MAX_RUNS (1u << 20)
#define RM_MAX_VMAS 65536
#define RM_DOC_SUBS 32
#define RM_MAX_OWNERS 1024
#define RM_MAX_SUBS 1024
#define RM_MAX_PAGES (1u << 22)

struct rec_model {
	bool have_header, have_trailer, have_start, have_end;
	unsigned long lines;
	char devexctl[32], kernel[128], comm[64], source[32], source_reason[512];
	char stopped[32], range_start[24], range_end[24];
	int64_t pid;
	uint64_t page_size, interval_ms, start_ns, start_real_ns, end_ns, last_ns;
	uint64_t events, lost, polls, trailer_events;
	int64_t entries_start, entries_end;	/* the kernel's own count; -1: no document */
	struct rm_counts outside;		/* events outside every recorded VMA */
	struct rm_vma *vmas;
	size_t nvmas, vcap;
	struct rm_owner *owners;
	size_t nowners, ocap;
	struct rm_sub *subs;
	size_t nsubs, scap;
	struct rm_page *pages;
	size_t npages, pcap;
	uint64_t untracked_pages;		/* past RM_MAX_PAGES */
	uint64_t state_in[PS_NR], state_out[PS_NR];
	bool poll;
	/* The timeline, and the start snapshot's non-present runs it starts from. */
	struct rm_event *tl;
	size_t ntl, tlcap;
	uint64_t tl_dropped;			/* past RM_MAX_EVENTS */
	struct rec_run *runs;
	size_t nruns, rcap;
	/*
	 * For check's stream judges (report_checks.c): what the event source
	 * told at the start (the header's source_caps), the subscribers of the
	 * notifiers documents, and each tracefs event as the recorder saw it,
	 * handed to @event_fn while the file is read (NULL: not wanted).
	 */
	bool range_api, subscribed;
	struct dx_sub subs_start[RM_DOC_SUBS], subs_end[RM_DOC_SUBS];
	unsigned int nsubs_start, nsubs_end;
	bool have_subs_start, have_subs_end;
	int (*event_fn)(void *ctx, const struct dx_event *ev);
	void *event_ctx;
};

/*
 * The helpers of record_model.c, jansson's side (record_events.c): an
 * event line back into a dx_event (-ENOENT: not an event kind of
 * events.c; -EBADMSG: a field of the wrong type, the reason in @why), a
 * notifiers document's subscribers into @subs.
 */
struct json_t;
int rec_event_parse(struct json_t *o, const char *type, struct dx_event *ev, char *why,
		    size_t wlen);
int rec_subs_parse(struct json_t *doc, struct dx_sub *subs, unsigned int *n, unsigned int max);

#endif
