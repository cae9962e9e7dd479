/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The invariant checks of 'devexctl check': one table names each check,
 * what it needs and how it is judged; cmd_check.c gathers the evidence.
 */
#ifndef DEVEXCTL_CHECK_H
#define DEVEXCTL_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"
#include "records.h"
#include "target.h"

#define CHECK_MAX_PAGES 64
#define CHECK_MAX_EVENTS 4096
#define CHECK_MAX_SUBS 32

/* One convert / entries / revert round on one page. */
struct check_round {
	bool converted;
	int conv_errno;
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
};

struct check_run {
	pid_t pid;
	uint64_t page_size;
	unsigned int max_pages, npages;
	struct check_page pages[CHECK_MAX_PAGES];
	bool have_debugfs, have_events, events_lost;
	char events_why[200];		/* why there are no events */
	struct dx_sub subs[CHECK_MAX_SUBS];
	unsigned int nsubs;
	/* scope: every entry of the mm, and the refused conversions. */
	unsigned int scope_entries, scope_bad;
	char scope_first_bad[160];
	unsigned int nattempts;
	struct check_attempt attempts[2];
	unsigned int nevents;
	struct dx_event events[CHECK_MAX_EVENTS];
};

/* Gather the evidence of the scope check (cmd_check.c). */
int check_scope_gather(const char *debugfs, struct target *t, struct check_run *r);

enum check_result { CHECK_PASS, CHECK_FAIL, CHECK_SKIP, CHECK_MISSING };

struct check_verdict {
	enum check_result result;
	char evidence[512];
};

struct check_def {
	const char *name;
	const char *desc;
	bool needs_events;		/* the tracepoints, read from tracefs */
	void (*judge)(const struct check_run *r, struct check_verdict *v);
};

extern const struct check_def check_table[];

const struct check_def *check_lookup(const char *name);
/* Fill r->subs from the debugfs notifiers file. */
int check_read_subscribers(const char *debugfs, struct check_run *r);
void check_print(const struct check_def *d, const struct check_verdict *v);

#endif
