/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page walker: decodes a VMA's pages in order and hands them to a sink
 * as runs.  PAGEMAP_SCAN skips holes where the kernel offers it; batched
 * pread of pagemap decodes the rest.  Memory use is one batch buffer and
 * one region vector per walker, whatever the size of the address space.
 * It never faults anything in.
 *
 * Its state is a struct walker that the caller owns: walker_init(), any
 * number of walk_vma(), walker_finish().  Walkers do not share anything
 * (one per pass over the mappings), so two may walk at once.
 */
#ifndef DEVEXCTL_WALK_H
#define DEVEXCTL_WALK_H

#include <sys/types.h>

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
 * How the PAGEMAP_SCAN answers filled the vector, for the restart tests:
 * no region, some, all of it with the range done (exactly), all of it with
 * more to walk (full: the walk restarts at walk_end).
 */
struct walk_fills {
	unsigned long empty, partly, exactly, full, preads;
};

struct walker {
	struct target *t;
	/*
	 * The kernel: PAGEMAP_SCAN (regions found, or negative errno) and a
	 * pread of pagemap (bytes, or negative errno).  walker_init() sets
	 * the target's; unit tests put a fake kernel here (and in @fake).
	 */
	int (*scan)(struct walker *w, struct pm_scan_arg *a);
	ssize_t (*pread)(struct walker *w, void *buf, size_t len, off_t off);
	void *fake;

	/* Set by walker_init() and walker_query(); read-only during a walk. */
	uint64_t limit;		/* look-ahead limit of a scan; 0: none kept */
	unsigned int vec_len;	/* regions per PAGEMAP_SCAN (DEVEXCTL_SCAN_VEC) */
	uint64_t batch;		/* entries per pread (DEVEXCTL_PAGEMAP_BATCH) */
	unsigned int states;	/* the states wanted (1 << enum page_state) */
	unsigned int hits;	/* the states inside the regions of @scan_mask */
	uint64_t scan_mask;	/* their PAGEMAP_SCAN categories (states.c's table) */
	bool emit_holes;	/* pages outside every region are none, and wanted */

	/* What the kernel refused, found out once per walker. */
	bool no_guard;		/* PAGE_IS_GUARD (before 6.14) */
	bool no_scan;		/* PAGEMAP_SCAN, or the categories asked for */

	/*
	 * One PAGEMAP_SCAN answer, kept while the caller walks on: a call
	 * may look past the VMA it serves (up to @limit), so that one call
	 * covers many small VMAs.  Pages of [start, end) that no region
	 * covers are in none of the categories asked for.
	 */
	struct {
		bool valid;
		uint64_t start, end;	/* the part of the address space answered */
		int n, idx;		/* regions, the first one not yet used up */
		bool dense;		/* the last answer was mostly hits */
		uint64_t chunk;		/* bytes the next call may cover */
	} win;
	struct page_region *vec;	/* vec_len regions, allocated on first use */

	/*
	 * The last pagemap read, kept in @buf while the window is: a read
	 * for a small region also takes the regions just after it (up to
	 * READ_AHEAD pages on), which the next VMAs then find here.  20,000
	 * small VMAs were 20,000 reads.
	 */
	struct {
		bool valid;
		uint64_t start, n;	/* entries of [start, start + n pages) */
		uint64_t ahead;		/* the next read may reach this address */
	} pm;
	uint64_t *buf;			/* batch entries, allocated on first use */

	struct walk_stats st;
	struct walk_fills fills;
};

/*
 * Start a walk of @t.  @limit: how far one PAGEMAP_SCAN call may look ahead
 * for the VMAs that follow (the RANGE's end, vmas_walk_limit()); 0 when the
 * walks are not in address order, and then each walk_vma() asks afresh.
 * The tuning knobs are read from the environment: DEVEXCTL_SCAN_VEC (1-4096
 * regions, default 512), DEVEXCTL_PAGEMAP_BATCH (1-65536 entries); the
 * results must not change with them.  DEVEXCTL_WALK_STATS=1 prints how the
 * vectors filled, at exit (man page, ENVIRONMENT).
 */
void walker_init(struct walker *w, struct target *t, uint64_t limit);
/*
 * Want only the pages in @states (1 << enum page_state): PAGEMAP_SCAN is
 * asked for their categories only, and pages in other states may or may
 * not reach the sink (it must still filter).  Before the first walk_vma().
 */
void walker_query(struct walker *w, unsigned int states);
/* Free the buffers and add the fills to the DEVEXCTL_WALK_STATS report. */
void walker_finish(struct walker *w);

/* Walk [start, end) of @v (clipped by the caller). */
int walk_vma(struct walker *w, const struct vma *v, uint64_t start, uint64_t end,
	     enum walk_detail d, const struct page_sink *sink);

/* Internal, between walk.c, walk_scan.c and walk_pread.c. */

/*
 * A PAGEMAP_SCAN call holds the target's mmap_lock while it walks (up to
 * 512 regions at a time): over a dense gigabyte that is one hold of
 * 1.3 ms.  So a call covers at most WALK_SCAN_CHUNK bytes past where it starts
 * when the memory before was dense (a hold of about 80 us), twice as many
 * after each sparse answer (sparse memory walks cheaply).
 */
#define WALK_SCAN_CHUNK (64ULL << 20)


/* Decode [start, end) with batched pread; *hits counts pages not in holes. */
int walk_pread(struct walker *w, uint64_t start, uint64_t end, const struct page_sink *s,
	       uint64_t *hits);
/* Walk [start, end) region by region; -ENOTTY when PAGEMAP_SCAN cannot serve it. */
int walk_scan(struct walker *w, uint64_t start, uint64_t end, enum walk_detail d,
	      const struct page_sink *s);
/* Allocate the pread buffer (on first use). */
int walker_bufs(struct walker *w);
/* The real kernel calls, walker_init()'s defaults. */
ssize_t walk_kernel_pread(struct walker *w, void *buf, size_t len, off_t off);
int walk_kernel_scan(struct walker *w, struct pm_scan_arg *a);

#endif
