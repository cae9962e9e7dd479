/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page walker: decodes a VMA's pages in order and hands them to a sink
 * as runs.  PAGEMAP_SCAN skips holes where the kernel offers it; batched
 * pread of pagemap decodes the rest.  Memory use is one batch buffer,
 * whatever the size of the address space.  It never faults anything in.
 */
#ifndef DEVEXCTL_WALK_H
#define DEVEXCTL_WALK_H

#include "maps.h"
#include "target.h"

enum walk_detail {
	WALK_COUNTS,	/* states only: present regions need no pread */
	WALK_PAGES,	/* every page's PFN and flags */
};

struct page_sink {
	void *ctx;
	/*
	 * @n pages from @addr share @pi's state and flags; with pi->pfn_valid
	 * their PFNs are pi->pfn, pi->pfn + 1, ...  Non-zero return stops the walk.
	 */
	int (*emit)(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi);
	/* Optional: each batch of raw pagemap entries, before decoding. */
	int (*raw)(void *ctx, uint64_t addr, const uint64_t *pme, uint64_t n);
};

struct walk_stats {
	uint64_t scan_calls;	/* PAGEMAP_SCAN ioctls */
	uint64_t preads;	/* pagemap preads */
	uint64_t entries_read;	/* pagemap entries read */
};

/*
 * vmas_foreach() brackets its walk with these: inside, one PAGEMAP_SCAN
 * call may answer for the VMAs that follow, up to @limit (the RANGE's end).
 * Outside, each walk_vma() asks the kernel afresh.
 */
void walk_begin(const struct target *t, uint64_t limit);
void walk_finish(void);

/*
 * Walk [start, end) of @v (clipped by the caller).  For tests, the
 * environment can shrink the PAGEMAP_SCAN vector (DEVEXCTL_SCAN_VEC,
 * 1-4096 regions, default 512) and the pread batch (DEVEXCTL_PAGEMAP_BATCH,
 * 1-65536 entries): the results must not change; DEVEXCTL_WALK_STATS=1
 * prints how the vectors filled, at exit (man page, ENVIRONMENT).
 */
int walk_vma(struct target *t, const struct vma *v, uint64_t start, uint64_t end,
	     enum walk_detail d, const struct page_sink *sink, struct walk_stats *st);

#endif
