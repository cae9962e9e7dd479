// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page walker's PAGEMAP_SCAN part: ask the kernel which parts of the
 * range hold pages of the wanted categories, and decode only those.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "errors.h"
#include "walk.h"

/* The read-ahead of a region's pread: regions starting this many pages on. */
#define READ_AHEAD 512

int walk_kernel_scan(struct walker *w, struct pm_scan_arg *a)
{
	return w->t->ops->scan(w->t, a);
}

static int emit_none(const struct walker *w, const struct page_sink *s, uint64_t addr,
		     uint64_t n)
{
	struct page_info pi = { .state = PS_NONE };

	/* Outside a query for none, holes may hold anything the query does not want. */
	return n && w->emit_holes ? s->emit(s->ctx, addr, n, &pi) : 0;
}

/*
 * Answers that say the kernel cannot serve this query, not that the walk
 * failed: no PAGEMAP_SCAN at all (ENOTTY before 6.7; EOPNOTSUPP from a
 * source without it), or a category it does not know (EINVAL).
 */
static bool scan_refused(int n)
{
	return n == -ENOTTY || n == -EOPNOTSUPP || n == -EINVAL;
}

/* Ask the kernel about [pos, end): fill the window.  1: refused. */
static int scan_fill(struct walker *w, uint64_t pos, uint64_t end)
{
	struct target *t = w->t;
	struct pm_scan_arg a;
	uint64_t found = 0;
	int n;

	w->win.valid = false;
	if (end - pos > w->win.chunk)
		end = pos + w->win.chunk;
	for (;;) {
		a = (struct pm_scan_arg) {
			.size = sizeof(a),
			.start = pos,
			.end = end,
			.vec = (uintptr_t)w->vec,
			.vec_len = w->vec_len,
			.category_anyof_mask = w->scan_mask,
			.return_mask = w->scan_mask | (w->no_guard ? 0 : PAGE_IS_GUARD),
		};
		n = w->scan(w, &a);
		w->st.scan_calls++;
		if (n != -EINVAL || w->no_guard)
			break;
		w->no_guard = true;	/* before 6.14: no guard category */
	}
	if (n < 0 && n != -ESRCH && scan_refused(n) && target_alive(t)) {
		w->no_scan = true;	/* for the rest of this walker's life */
		return 1;
	}
	if (n < 0) {
		if (n == -ESRCH || !target_alive(t))
			return err_set(-ESRCH, "process %d exited during the walk", (int)t->pid);
		return err_set(n, "PAGEMAP_SCAN on %d", (int)t->pid);
	}
	if ((unsigned int)n > w->vec_len)
		return err_set(-EIO, "PAGEMAP_SCAN returned more regions than asked for");
	for (int i = 0; i < n; i++) {
		const struct page_region *r = &w->vec[i];

		if (r->start < (i ? r[-1].end : pos) || r->end > end || r->end <= r->start)
			return err_set(-EIO, "PAGEMAP_SCAN returned a bad region");
	}
	/*
	 * A walk_end before the last region's end is stale: the walk finished.
	 * With a vector above the kernel's bounce buffer of 512 regions
	 * (PAGEMAP_WALK_SIZE >> PAGE_SHIFT), a call whose buffer filled once
	 * and which then finished the range still reports the walk_end of
	 * that first stop (seen on 6.18 and 7.3's do_pagemap_scan()).
	 */
	if (n > 0 && a.walk_end < w->vec[n - 1].end)
		a.walk_end = end;
	if (n == 0)
		w->fills.empty++;
	else if ((unsigned int)n < w->vec_len)
		w->fills.partly++;
	else if (a.walk_end == end)
		w->fills.exactly++;
	else
		w->fills.full++;
	/* walk_end: where the kernel stopped; nothing unseen lies before it. */
	if (a.walk_end > end || a.walk_end <= pos)
		return err_set(-EIO, "PAGEMAP_SCAN made no progress at 0x%llx",
			       (unsigned long long)pos);
	w->win.valid = true;
	w->win.start = pos;
	w->win.end = a.walk_end;
	w->win.n = n;
	w->win.idx = 0;
	for (int i = 0; i < n; i++)
		found += w->vec[i].end - w->vec[i].start;
	w->win.dense = found * 2 >= w->win.end - w->win.start;
	w->win.chunk = w->win.dense || w->win.chunk >> 62 ? WALK_SCAN_CHUNK : w->win.chunk * 2;
	return 0;
}

static int scan_region(struct walker *w, const struct page_region *r, uint64_t rs, uint64_t re,
		       enum walk_detail d, const struct page_sink *s)
{
	struct page_info pi = { .state = PS_PRESENT };
	uint64_t n = (re - rs) / w->t->page_size, hits = 0;
	int err;

	if (d == WALK_COUNTS && (r->categories & PAGE_IS_PRESENT))
		return s->emit(s->ctx, rs, n, &pi);
	/*
	 * A guard marker decodes to the marker state whatever else it holds;
	 * its flags (soft-dirty after an mremap, say) only pagemap gives.  A
	 * query that does not want markers has nothing to read there.
	 */
	if (r->categories & PAGE_IS_GUARD) {
		pi.state = PS_MARKER;
		if (d == WALK_COUNTS)
			return s->emit(s->ctx, rs, n, &pi);
		if (!(w->states & (1u << PS_MARKER)) && !s->raw)
			return 0;
	}
	/* Read ahead to the last region that starts within READ_AHEAD pages. */
	w->pm.ahead = re;
	for (int i = w->win.idx + 1; i < w->win.n; i++) {
		if (w->vec[i].start - rs >= READ_AHEAD * w->t->page_size)
			break;
		w->pm.ahead = w->vec[i].end < w->win.end ? w->vec[i].end : w->win.end;
	}
	err = walk_pread(w, rs, re, s, &hits);
	w->pm.ahead = 0;
	return err;
}

/*
 * Every page is read anyway: while the memory is dense with what the scan
 * would find, a scan first would only walk it twice.  Reads one batch.
 */
static int pread_dense(struct walker *w, uint64_t *pos, uint64_t end, const struct page_sink *s)
{
	uint64_t to = end, hits = 0, max = w->batch * w->t->page_size;
	int err;

	if (to - *pos > max)
		to = *pos + max;
	err = walk_pread(w, *pos, to, s, &hits);
	if (err)
		return err;
	w->win.dense = hits * 2 > (to - *pos) / w->t->page_size;
	*pos = to;
	return 0;
}

int walk_scan(struct walker *w, uint64_t start, uint64_t end, enum walk_detail d,
	      const struct page_sink *s)
{
	uint64_t pos = start;
	int err;

	if (!w->vec && !(w->vec = malloc(w->vec_len * sizeof(*w->vec))))
		return -ENOMEM;
	while (pos < end) {
		uint64_t lim;

		if (w->no_scan)	/* refused: pagemap alone, exact whatever the query */
			return walk_pread(w, pos, end, s, &(uint64_t){ 0 });
		if (!w->win.valid || pos < w->win.start || pos >= w->win.end) {
			uint64_t scan_end = w->limit > end ? w->limit : end;

			if (d == WALK_PAGES && w->win.dense) {
				err = pread_dense(w, &pos, end, s);
				if (err)
					return err;
				continue;
			}
			err = scan_fill(w, pos, scan_end);
			if (err > 0)
				continue;
			if (err)
				return err;
		}
		lim = end < w->win.end ? end : w->win.end;
		while (w->win.idx < w->win.n && w->vec[w->win.idx].end <= pos)
			w->win.idx++;
		while (w->win.idx < w->win.n && w->vec[w->win.idx].start < lim) {
			const struct page_region *r = &w->vec[w->win.idx];
			uint64_t rs = r->start > pos ? r->start : pos;
			uint64_t re = r->end < lim ? r->end : lim;

			err = emit_none(w, s, pos, (rs - pos) / w->t->page_size);
			if (!err)
				err = scan_region(w, r, rs, re, d, s);
			if (err)
				return err;
			pos = re;
			if (r->end > lim)
				break;	/* the rest belongs to the next VMA */
			w->win.idx++;
		}
		err = emit_none(w, s, pos, (lim - pos) / w->t->page_size);
		if (err)
			return err;
		pos = lim;
	}
	return 0;
}
