/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The answer lines of the devexcl debugfs files, parsed in one place for
 * every command and the TUI (Documentation/mm/devexcl.rst gives the
 * formats). Each parser returns 1 for a record, 0 for a comment line
 * ("# ...") and -EIO, with the context recorded, for anything else.
 */
#ifndef DEVEXCTL_RECORDS_H
#define DEVEXCTL_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

/* PTE bits as make_exclusive and revert report them, in the kernel's order. */
enum { PTE_PRESENT, PTE_WRITE, PTE_DIRTY, PTE_SOFT_DIRTY, PTE_YOUNG, PTE_UFFD_WP, PTE_NBITS };
extern const char *const pte_bit_names[PTE_NBITS + 1];

/* One line of devexcl/entries. */
struct dx_entry {
	uint64_t addr, pfn, order;
	bool has_crc;			/* only for a reader who may read the memory */
	uint32_t crc;
	int64_t mapcount, refcount;
	char flags[128], owner[40];	/* owner: "" when the line has none */
	/* page_ext owner records (devexcl_owner=on): who converted it, when */
	bool has_owner_task;
	int64_t owner_pid;		/* in the initial pid namespace */
	char owner_comm[24];
	uint64_t owner_ts;		/* CLOCK_MONOTONIC ns */
};

/* One line of devexcl/notifiers; a classic subscriber covers [0, UINT64_MAX]. */
struct dx_sub {
	bool interval;
	bool has_id;
	uint32_t id;			/* the subscriber id the tracepoints carry */
	char ops[96], callback[96];
	uint64_t start, last, seq;
};

/*
 * One per-page line of devexcl/make_exclusive or devexcl/revert, or a run
 * of pages make_exclusive skipped ("ADDR skipped reason=R pages=N").
 */
struct dx_outcome {
	uint64_t addr;
	int err;			/* the kernel's -errno for this page, or 0 */
	uint64_t skipped;		/* pages in a skipped run, else 0 */
	char reason[24];		/* why they were skipped */
	bool has_pfn, has_mapcount, has_pte_before;
	uint64_t pfn;
	int64_t mapcount_before, mapcount;
	int folio_dirty;		/* 0, 1, or -1 when not reported */
	unsigned int pte_before;	/* make_exclusive: 1 << PTE_* */
	unsigned int pte;		/* revert: the restored PTE, 1 << PTE_* */
	const char *rest;		/* the line after "ADDR " */
};

int rec_entry_parse(const char *line, struct dx_entry *e);
/* The "mm id=0x%08x" line that starts devexcl/notifiers: 1, else 0. */
int rec_mm_parse(const char *line, uint32_t *id);
/* A subscriber line: 1; the mm line and comments: 0. */
int rec_sub_parse(const char *line, struct dx_sub *s);
/*
 * Append the subscriber of @line to @subs[*@n] (a dfs_line_fn's work):
 * 0, or -EIO for a malformed line; subscribers past @max are dropped.
 */
int rec_sub_append(const char *line, struct dx_sub *subs, unsigned int *n, unsigned int max);
int rec_outcome_parse(const char *line, struct dx_outcome *o);
/* "skipped=N" of an answer's comment line, else 0. */
uint64_t rec_skipped(const char *line);

/* Does subscriber @s cover @addr? */
static inline bool rec_sub_covers(const struct dx_sub *s, uint64_t addr)
{
	return addr >= s->start && addr <= s->last;
}

#endif
