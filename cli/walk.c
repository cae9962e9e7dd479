// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page walker: its state, its tuning, and the choice per VMA between
 * PAGEMAP_SCAN (walk_scan.c) and batched pread of pagemap (walk_pread.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

/*
 * Regions per PAGEMAP_SCAN call: the kernel copies regions out through a
 * bounce buffer of 512, and a larger vector meets its stale walk_end
 * (walk_scan.c corrects that, but 512 never meets it).
 */
#define SCAN_VEC 512
#define SCAN_VEC_MAX 4096

/*
 * The fills of every walker of the process, for DEVEXCTL_WALK_STATS: a
 * diagnostic summed at walker_finish(), never read by a walk.
 */
static struct walk_fills fills_total;

static void print_fills(void)
{
	const struct walk_fills *f = &fills_total;

	fprintf(stderr, "devexctl: walk: PAGEMAP_SCAN calls: %lu empty, %lu partly, "
		"%lu exactly, %lu full; %lu preads\n",
		f->empty, f->partly, f->exactly, f->full, f->preads);
}

/* An environment number within [1, max], or @dflt (out-of-range values are ignored). */
static unsigned long env_num(const char *name, unsigned long max, unsigned long dflt)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (s && (v = strtoul(s, &end, 10)) >= 1 && v <= max && !*end)
		return v;
	return dflt;
}

static void walker_reset(struct walker *w)
{
	w->pm.valid = false;
	w->pm.ahead = 0;
	w->win.valid = false;
	w->win.dense = false;
	w->win.chunk = WALK_SCAN_CHUNK;
}

void walker_init(struct walker *w, struct target *t, uint64_t limit)
{
	static bool stats_registered;

	memset(w, 0, sizeof(*w));
	w->t = t;
	w->scan = walk_kernel_scan;
	w->pread = walk_kernel_pread;
	/* Without PAGEMAP_SCAN nothing is looked ahead, so nothing is kept. */
	w->limit = t->has_scan ? limit : 0;
	/*
	 * DEVEXCTL_SCAN_VEC, DEVEXCTL_PAGEMAP_BATCH and DEVEXCTL_WALK_STATS
	 * (man page, ENVIRONMENT): for tests, which must find the same pages
	 * whatever the batch sizes.
	 */
	w->vec_len = (unsigned int)env_num("DEVEXCTL_SCAN_VEC", SCAN_VEC_MAX, SCAN_VEC);
	w->batch = env_num("DEVEXCTL_PAGEMAP_BATCH", PAGEMAP_BATCH, PAGEMAP_BATCH);
	if (!stats_registered && getenv("DEVEXCTL_WALK_STATS")) {
		stats_registered = true;
		atexit(print_fills);
	}
	walker_reset(w);
	walker_query(w, (1u << PS_NR) - 1);
}

void walker_query(struct walker *w, unsigned int states)
{
	const uint64_t all = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;

	w->states = states;
	w->scan_mask = 0;
	for (int s = 0; s < PS_NR; s++)
		if (states & (1u << s))
			w->scan_mask |= state_table[s].scan_mask;
	/* The holes between the regions of both categories are none (pte_none). */
	w->emit_holes = (w->scan_mask & all) == all;
	w->hits = 0;
	for (int s = 0; s < PS_NR; s++)
		if (s != PS_NONE && (state_table[s].scan_mask & w->scan_mask))
			w->hits |= 1u << s;
}

void walker_finish(struct walker *w)
{
	fills_total.empty += w->fills.empty;
	fills_total.partly += w->fills.partly;
	fills_total.exactly += w->fills.exactly;
	fills_total.full += w->fills.full;
	fills_total.preads += w->fills.preads;
	memset(&w->fills, 0, sizeof(w->fills));
	free(w->buf);
	free(w->vec);
	w->buf = NULL;
	w->vec = NULL;
	walker_reset(w);
}

/*
 * PAGEMAP_SCAN skips VM_PFNMAP VMAs as if they were holes, while pagemap
 * reports their PTEs: use it only where it sees what pagemap sees.
 */
static bool scan_reliable(const struct vma *v)
{
	const char *n = v->name;

	if (n[0] == '\0' || strcmp(n, "[heap]") == 0 || strcmp(n, "[stack]") == 0 ||
	    strncmp(n, "[anon", 5) == 0)
		return true;
	return n[0] == '/' && strncmp(n, "/dev/", 5) != 0;
}

int walk_vma(struct walker *w, const struct vma *v, uint64_t start, uint64_t end,
	     enum walk_detail d, const struct page_sink *sink)
{
	uint64_t hits = 0;
	int err;

	if (!vma_in_pagemap(v))
		return 0;
	/* A small VMA on its own: one read costs less than a scan and a read. */
	if (!w->t->has_scan || w->no_scan || !w->scan_mask || !scan_reliable(v) ||
	    (!w->limit && (end - start) / w->t->page_size <= 64))
		return walk_pread(w, start, end, sink, &hits);
	err = walk_scan(w, start, end, d, sink);
	if (!w->limit)
		walker_reset(w);	/* walks in no order: nothing is kept */
	return err;
}
