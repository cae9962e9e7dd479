// SPDX-License-Identifier: GPL-2.0-or-later
/* The page walker: PAGEMAP_SCAN to skip holes, batched pread to decode. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "walk.h"

/*
 * Regions per PAGEMAP_SCAN call.  The kernel copies regions out through a
 * bounce buffer of 512 (PAGEMAP_WALK_SIZE >> PAGE_SHIFT); with a larger
 * vector, a call whose buffer filled once and which then finished the range
 * still reports the walk_end of that first stop (seen on 6.18 and 7.3's
 * do_pagemap_scan()).  scan_fill() corrects that, but 512 never meets it.
 */
#define SCAN_VEC 512
#define SCAN_VEC_MAX 4096

/*
 * A PAGEMAP_SCAN call holds the target's mmap_lock while it walks (up to
 * 512 regions at a time): over a dense gigabyte that is one hold of
 * 1.3 ms.  So a call covers at most SCAN_CHUNK pages past where it starts
 * when the memory before was dense (a hold of about 80 us), twice as many
 * after each sparse answer (sparse memory walks cheaply).
 */
#define SCAN_CHUNK (64ULL << 20)

static struct walk_tuning {
	bool read;
	unsigned int vec_len;
	uint64_t batch;
} tuning = { .vec_len = SCAN_VEC, .batch = PAGEMAP_BATCH };

/*
 * How the PAGEMAP_SCAN answers filled the vector, for the restart tests:
 * no region, some, all of it with the range done (exactly), all of it with
 * more to walk (full: the walk restarts at walk_end).
 */
static struct {
	unsigned long empty, partly, exactly, full, preads;
} fills;

static void print_fills(void)
{
	fprintf(stderr, "devexctl: walk: PAGEMAP_SCAN calls: %lu empty, %lu partly, "
		"%lu exactly, %lu full; %lu preads\n",
		fills.empty, fills.partly, fills.exactly, fills.full, fills.preads);
}

/*
 * DEVEXCTL_SCAN_VEC, DEVEXCTL_PAGEMAP_BATCH and DEVEXCTL_WALK_STATS (man
 * page, ENVIRONMENT): for tests, which must find the same pages whatever
 * the batch sizes.
 */
static const struct walk_tuning *walk_tuning(void)
{
	const char *s;
	char *end;
	unsigned long v;

	if (tuning.read)
		return &tuning;
	tuning.read = true;
	if (getenv("DEVEXCTL_WALK_STATS"))
		atexit(print_fills);
	s = getenv("DEVEXCTL_SCAN_VEC");
	if (s && (v = strtoul(s, &end, 10)) >= 1 && v <= SCAN_VEC_MAX && !*end)
		tuning.vec_len = (unsigned int)v;
	s = getenv("DEVEXCTL_PAGEMAP_BATCH");
	if (s && (v = strtoul(s, &end, 10)) >= 1 && v <= PAGEMAP_BATCH && !*end)
		tuning.batch = v;
	return &tuning;
}

/*
 * One PAGEMAP_SCAN answer, kept while vmas_foreach() walks on: a call may
 * look past the VMA it serves (up to the end of the RANGE), so that one
 * call covers many small VMAs.  Pages of [start, end) that no region
 * covers are none.
 */
static struct scan_window {
	const struct target *t;		/* NULL: empty */
	uint64_t limit;			/* look-ahead limit; 0 outside vmas_foreach() */
	uint64_t start, end;		/* the part of the address space answered */
	int n, idx;			/* regions, the first one not yet used up */
	bool no_guard;			/* the kernel refused PAGE_IS_GUARD */
	bool dense;			/* the last answer was mostly pages */
	uint64_t chunk;			/* bytes the next call may cover */
	struct page_region vec[SCAN_VEC_MAX];
} win = { .chunk = SCAN_CHUNK };

/*
 * The last pagemap read, kept in t->buf while the window is: a read for a
 * small region also takes the regions just after it (up to READ_AHEAD
 * pages on), which the next VMAs then find here.  20,000 small VMAs were
 * 20,000 reads.
 */
#define READ_AHEAD 512
static struct {
	const struct target *t;		/* NULL: nothing kept */
	uint64_t start, n;		/* entries of [start, start + n pages) */
	uint64_t ahead;			/* the next read may reach this address */
} pm;

void walk_begin(const struct target *t, uint64_t limit)
{
	pm.t = NULL;
	win.t = NULL;
	win.limit = t->has_scan ? limit : 0;
	win.dense = false;
	win.chunk = SCAN_CHUNK;
}

void walk_finish(void)
{
	pm.t = NULL;
	win.t = NULL;
	win.limit = 0;
	win.dense = false;
	win.chunk = SCAN_CHUNK;
}

static int emit_none(const struct page_sink *s, uint64_t addr, uint64_t n)
{
	struct page_info pi = { .state = PS_NONE };

	return n ? s->emit(s->ctx, addr, n, &pi) : 0;
}

static int short_read(struct target *t, uint64_t addr)
{
	if (!target_alive(t))
		return err_set(-ESRCH, "process %d exited during the walk", (int)t->pid);
	if (!target_can(t, SRC_LIVE))
		return err_set(-ETRUNC, "%s/%d/pagemap ends before address 0x%llx",
			       t->root, (int)t->pid, (unsigned long long)addr);
	return err_set(-EIO, "short read of pagemap at 0x%llx", (unsigned long long)addr);
}

/*
 * The raw difference from one entry to the next inside a run: PFN + 1 for
 * a present page with a visible PFN, swap offset + 1 (above the 5 type
 * bits) where offsets count up, none where the entry repeats.
 */
static uint64_t run_step(const struct page_info *pi)
{
	if (pi->state == PS_PRESENT)
		return pi->pfn_valid ? 1 : 0;
	return pi->pfn_valid || pi->state == PS_SWAP ? 1ULL << PM_SWAP_TYPE_BITS : 0;
}

/*
 * The swap-type table, once a batch holds a swap-format entry to decode
 * (guard markers decode without it).
 */
static void layout_for(struct target *t, const uint64_t *pme, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		if ((pme[i] & (PM_PRESENT | PM_SWAP | PM_GUARD)) == PM_SWAP) {
			target_layout(t);
			return;
		}
	}
}

/* Decode [start, end) from pagemap with batched pread, emitting runs. */
static int walk_pread(struct target *t, uint64_t start, uint64_t end,
		      const struct page_sink *s, struct walk_stats *st, uint64_t *nnone)
{
	uint64_t psz = t->page_size, addr = start, batch = walk_tuning()->batch;

	while (addr < end) {
		uint64_t want = (end - addr) / psz, got, step, last;
		struct page_info run, pi, prev;
		uint64_t run_addr, run_n;
		ssize_t n;
		int err;

		const uint64_t *buf;

		if (want > batch)
			want = batch;
		if (pm.t == t && addr >= pm.start && addr + want * psz <= pm.start + pm.n * psz) {
			buf = t->buf + (addr - pm.start) / psz;
			got = want;
		} else {
			uint64_t len = want;

			if (pm.ahead > addr && (pm.ahead - addr) / psz > len)
				len = (pm.ahead - addr) / psz;
			if (len > batch)
				len = batch;
			pm.t = NULL;
			n = pread(t->pagemap_fd, t->buf, len * 8, (off_t)(addr / psz * 8));
			st->preads++;
			fills.preads++;
			if (n < 0) {
				if (errno == ESRCH || !target_alive(t))
					return err_set(-ESRCH, "process %d exited during the walk",
						       (int)t->pid);
				return err_set(-errno, "reading pagemap of %d", (int)t->pid);
			}
			got = (uint64_t)n / 8;
			if (got == 0)
				return short_read(t, addr);
			st->entries_read += got;
			if (win.limit) {
				pm.t = t;
				pm.start = addr;
				pm.n = got;
			}
			if (got > want)
				got = want;
			buf = t->buf;
		}
		if (s->raw) {
			err = s->raw(s->ctx, addr, buf, got);
			if (err)
				return err;
		}
		if (t->layout_pending && t->pfn_visible)
			layout_for(t, buf, got);
		pagemap_decode(buf[0], &t->layout, t->pfn_visible, &run);
		prev = run;
		run_addr = addr;
		run_n = 1;
		step = run_step(&run);
		last = buf[0];
		for (uint64_t i = 1; i < got; i++) {
			uint64_t pme = buf[i];

			/*
			 * Fast path: the entry is the last one plus the run's
			 * step, flag bits unchanged, so it decodes to the same
			 * state, type and flags with PFN (or offset) + 1.
			 */
			if (pme == last + step && !((pme ^ last) & ~PM_PFN_MASK)) {
				last = pme;
				prev.pfn += step ? 1 : 0;
				run_n++;
				continue;
			}
			pagemap_decode(pme, &t->layout, t->pfn_visible, &pi);
			last = pme;
			/* Compare with the previous page, not the run's first. */
			if (page_info_continues(&prev, &pi)) {
				prev = pi;
				run_n++;
				continue;
			}
			if (run.state == PS_NONE)
				*nnone += run_n;
			err = s->emit(s->ctx, run_addr, run_n, &run);
			if (err)
				return err;
			run = prev = pi;
			run_addr = addr + i * psz;
			run_n = 1;
			step = run_step(&run);
		}
		if (run.state == PS_NONE)
			*nnone += run_n;
		err = s->emit(s->ctx, run_addr, run_n, &run);
		if (err)
			return err;
		addr += got * psz;
	}
	return 0;
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

/* Ask the kernel about [pos, end): fill the window. */
static int scan_fill(struct target *t, uint64_t pos, uint64_t end, struct walk_stats *st)
{
	const struct walk_tuning *tu = walk_tuning();
	uint64_t mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
	struct pm_scan_arg a;
	uint64_t found = 0;
	int n;

	win.t = NULL;
	if (end - pos > win.chunk)
		end = pos + win.chunk;
	for (;;) {
		a = (struct pm_scan_arg) {
			.size = sizeof(a),
			.start = pos,
			.end = end,
			.vec = (uintptr_t)win.vec,
			.vec_len = tu->vec_len,
			.category_anyof_mask = mask,
			.return_mask = mask | (win.no_guard ? 0 : PAGE_IS_GUARD),
		};
		n = t->ops->scan(t, &a);
		st->scan_calls++;
		if (n != -EINVAL || win.no_guard)
			break;
		win.no_guard = true;	/* before 6.14: no guard category */
	}
	if (n < 0) {
		if (n == -ESRCH || !target_alive(t))
			return err_set(-ESRCH, "process %d exited during the walk", (int)t->pid);
		return err_set(n, "PAGEMAP_SCAN on %d", (int)t->pid);
	}
	for (int i = 0; i < n; i++) {
		const struct page_region *r = &win.vec[i];

		if (r->start < (i ? r[-1].end : pos) || r->end > end || r->end <= r->start)
			return err_set(-EIO, "PAGEMAP_SCAN returned a bad region");
	}
	/* A walk_end before the last region's end is stale: the walk finished. */
	if (n > 0 && a.walk_end < win.vec[n - 1].end)
		a.walk_end = end;
	if (n == 0)
		fills.empty++;
	else if ((unsigned int)n < tu->vec_len)
		fills.partly++;
	else if (a.walk_end == end)
		fills.exactly++;
	else
		fills.full++;
	/* walk_end: where the kernel stopped; nothing unseen lies before it. */
	if (a.walk_end > end || a.walk_end <= pos)
		return err_set(-EIO, "PAGEMAP_SCAN made no progress at 0x%llx",
			       (unsigned long long)pos);
	win.t = t;
	win.start = pos;
	win.end = a.walk_end;
	win.n = n;
	win.idx = 0;
	for (int i = 0; i < n; i++)
		found += win.vec[i].end - win.vec[i].start;
	win.dense = found * 2 >= win.end - win.start;
	win.chunk = win.dense || win.chunk >> 62 ? SCAN_CHUNK : win.chunk * 2;
	return 0;
}

static int scan_region(struct target *t, const struct page_region *r, uint64_t rs, uint64_t re,
		       enum walk_detail d, const struct page_sink *s, struct walk_stats *st)
{
	struct page_info pi = { .state = PS_PRESENT };
	int err;
	uint64_t n = (re - rs) / t->page_size;

	if (d == WALK_COUNTS && (r->categories & PAGE_IS_PRESENT))
		return s->emit(s->ctx, rs, n, &pi);
	/* A guard marker decodes to the marker state whatever else it holds. */
	if (d == WALK_COUNTS && (r->categories & PAGE_IS_GUARD)) {
		pi.state = PS_MARKER;
		return s->emit(s->ctx, rs, n, &pi);
	}
	uint64_t nnone = 0;

	/* Read ahead to the last region that starts within READ_AHEAD pages. */
	pm.ahead = re;
	for (int i = win.idx + 1; i < win.n; i++) {
		if (win.vec[i].start - rs >= READ_AHEAD * t->page_size)
			break;
		pm.ahead = win.vec[i].end < win.end ? win.vec[i].end : win.end;
	}
	err = walk_pread(t, rs, re, s, st, &nnone);
	pm.ahead = 0;
	return err;
}

static int walk_scan(struct target *t, uint64_t start, uint64_t end, enum walk_detail d,
		     const struct page_sink *s, struct walk_stats *st)
{
	uint64_t pos = start;
	int err;

	while (pos < end) {
		uint64_t lim;

		if (win.t != t || pos < win.start || pos >= win.end) {
			uint64_t scan_end = win.limit > end ? win.limit : end;

			if (d == WALK_PAGES && win.dense) {
				/*
				 * Every page is read anyway: while memory is
				 * dense, a scan first would only walk it twice.
				 */
				uint64_t to = end, nnone = 0, max = walk_tuning()->batch * t->page_size;

				if (to - pos > max)
					to = pos + max;
				err = walk_pread(t, pos, to, s, st, &nnone);
				if (err)
					return err;
				win.dense = nnone * 2 < (to - pos) / t->page_size;
				pos = to;
				continue;
			}
			err = scan_fill(t, pos, scan_end, st);
			if (err)
				return err;
		}
		lim = end < win.end ? end : win.end;
		while (win.idx < win.n && win.vec[win.idx].end <= pos)
			win.idx++;
		while (win.idx < win.n && win.vec[win.idx].start < lim) {
			const struct page_region *r = &win.vec[win.idx];
			uint64_t rs = r->start > pos ? r->start : pos;
			uint64_t re = r->end < lim ? r->end : lim;

			err = emit_none(s, pos, (rs - pos) / t->page_size);
			if (!err)
				err = scan_region(t, r, rs, re, d, s, st);
			if (err)
				return err;
			pos = re;
			if (r->end > lim)
				break;	/* the rest belongs to the next VMA */
			win.idx++;
		}
		err = emit_none(s, pos, (lim - pos) / t->page_size);
		if (err)
			return err;
		pos = lim;
	}
	return 0;
}

int walk_vma(struct target *t, const struct vma *v, uint64_t start, uint64_t end,
	     enum walk_detail d, const struct page_sink *sink, struct walk_stats *st)
{
	int err;

	if (!vma_in_pagemap(v))
		return 0;
	uint64_t nnone = 0;

	if (!t->has_scan || !scan_reliable(v) ||
	    (!win.limit && (end - start) / t->page_size <= 64))
		return walk_pread(t, start, end, sink, st, &nnone);
	err = walk_scan(t, start, end, d, sink, st);
	if (!win.limit)
		walk_finish();	/* outside vmas_foreach(), nothing is kept */
	return err;
}
