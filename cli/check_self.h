/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devexctl check --self: the checks run in devexctl's own scratch process
 * over a matrix of conditions (cells) that a real target may never be in:
 * clean folios, soft-dirty tracking, uffd-wp, a read-only mprotect, a fork,
 * a THP, two subscribers. check_self.c runs the matrix and judges it;
 * check_scratch.c is the scratch process.
 */
#ifndef DEVEXCTL_CHECK_SELF_H
#define DEVEXCTL_CHECK_SELF_H

#include <stdbool.h>
#include <stdint.h>

/* What a cell does to its page, in this order. */
enum cell_flag {
	CELL_CLEAN = 1 << 0,		/* MADV_FREE before the conversion: PTE and folio clean */
	CELL_SD_BEFORE = 1 << 1,	/* clear_refs 4, then a write, before the conversion */
	CELL_SD_AFTER = 1 << 2,		/* clear_refs 4 between conversion and restore */
	CELL_UFFD_WP = 1 << 3,		/* registered for uffd-wp; write-protected once converted */
	CELL_MPROTECT_RO = 1 << 4,	/* mprotect(PROT_READ) between conversion and restore */
	CELL_FORK = 1 << 5,		/* restored by fork() (copy_page_range()), not a fault */
	CELL_THP = 1 << 6,		/* a page inside a THP: the conversion PTE-maps it */
	CELL_TWO_SUBS = 1 << 7,		/* two test_hmm mirrors: two subscribers */
	CELL_RO_BEFORE = 1 << 8,	/* read-only before the conversion: it must be refused */
};

struct self_cell {
	const char *name;
	const char *desc;
	unsigned int flags;		/* enum cell_flag */
};

extern const struct self_cell self_cells[];

/* What the scratch process saw of its page (written to the parent). */
struct scratch_result {
	int err;			/* -errno of the step that failed, or 0 */
	bool skip;			/* the cell cannot run here: msg says why */
	char msg[160];
	uint64_t addr;
	uint64_t pm_before, pm_after;	/* its pagemap entries: before conversion, after restore */
	int64_t kpagecount;		/* of the PFN before the conversion, -1 unknown */
	uint32_t crc_before, crc_after;	/* its contents */
	unsigned int mirrors;		/* subscribers it opened */
	bool converted;			/* HMM_DMIRROR_EXCLUSIVE succeeded */
	int refused;			/* -errno it failed with (CELL_RO_BEFORE) */
};

/*
 * The scratch process of cell @c (in a child of devexctl): set the page
 * up, write one byte to @res_fd, wait for one byte on @go_fd, run the
 * cell, write a struct scratch_result to @res_fd, wait for @go_fd's EOF.
 * Never returns.
 */
void scratch_main(const struct self_cell *c, const char *dev, int go_fd, int res_fd)
	__attribute__((noreturn));

struct cmd_ctx;
/* check --self [CHECK...]: the matrix, judged; @selected: a bit per check_table entry. */
int check_self_run(struct cmd_ctx *c, unsigned int selected);

#endif
