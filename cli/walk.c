// SPDX-License-Identifier: GPL-2.0-or-later
/* The page walker: PAGEMAP_SCAN to skip holes, batched pread to decode. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "walk.h"

#define SCAN_VEC 512

static int emit_none(const struct page_sink *s, uint64_t addr, uint64_t n)
{
	struct page_info pi = { .state = PS_NONE };

	return n ? s->emit(s->ctx, addr, n, &pi) : 0;
}

static int short_read(struct target *t, uint64_t addr)
{
	if (!target_alive(t))
		return err_set(-ESRCH, "process %d exited during the walk", (int)t->pid);
	if (t->ops == &source_snapshot)
		return err_set(-ETRUNC, "%s/%d/pagemap ends before address 0x%llx",
			       t->root, (int)t->pid, (unsigned long long)addr);
	return err_set(-EIO, "short read of pagemap at 0x%llx", (unsigned long long)addr);
}

/* Decode [start, end) from pagemap with batched pread, emitting runs. */
static int walk_pread(struct target *t, uint64_t start, uint64_t end,
		      const struct page_sink *s, struct walk_stats *st)
{
	uint64_t psz = t->page_size, addr = start;

	while (addr < end) {
		uint64_t want = (end - addr) / psz, got;
		struct page_info run, pi, prev;
		uint64_t run_addr, run_n;
		ssize_t n;
		int err;

		if (want > PAGEMAP_BATCH)
			want = PAGEMAP_BATCH;
		n = pread(t->pagemap_fd, t->buf, want * 8, (off_t)(addr / psz * 8));
		st->preads++;
		if (n < 0) {
			if (errno == ESRCH || !target_alive(t))
				return err_set(-ESRCH, "process %d exited during the walk", (int)t->pid);
			return err_set(-errno, "reading pagemap of %d", (int)t->pid);
		}
		got = (uint64_t)n / 8;
		if (got == 0)
			return short_read(t, addr);
		st->entries_read += got;
		if (s->raw) {
			err = s->raw(s->ctx, addr, t->buf, got);
			if (err)
				return err;
		}
		pagemap_decode(t->buf[0], &t->layout, t->pfn_visible, &run);
		prev = run;
		run_addr = addr;
		run_n = 1;
		for (uint64_t i = 1; i < got; i++) {
			pagemap_decode(t->buf[i], &t->layout, t->pfn_visible, &pi);
			/* Compare with the previous page, not the run's first. */
			if (page_info_continues(&prev, &pi)) {
				prev = pi;
				run_n++;
				continue;
			}
			err = s->emit(s->ctx, run_addr, run_n, &run);
			if (err)
				return err;
			run = prev = pi;
			run_addr = addr + i * psz;
			run_n = 1;
		}
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

static int walk_scan(struct target *t, uint64_t start, uint64_t end, enum walk_detail d,
		     const struct page_sink *s, struct walk_stats *st)
{
	struct page_region vec[SCAN_VEC];
	uint64_t psz = t->page_size, pos = start;
	int err;

	while (pos < end) {
		struct pm_scan_arg a = {
			.size = sizeof(a),
			.start = pos,
			.end = end,
			.vec = (uintptr_t)vec,
			.vec_len = SCAN_VEC,
			.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
			.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
		};
		int n = t->ops->scan(t, &a);

		st->scan_calls++;
		if (n < 0) {
			if (n == -ESRCH || !target_alive(t))
				return err_set(-ESRCH, "process %d exited during the walk", (int)t->pid);
			return err_set(n, "PAGEMAP_SCAN on %d", (int)t->pid);
		}
		for (int i = 0; i < n; i++) {
			const struct page_region *r = &vec[i];

			if (r->start < pos || r->end > end || r->end <= r->start)
				return err_set(-EIO, "PAGEMAP_SCAN returned a bad region");
			err = emit_none(s, pos, (r->start - pos) / psz);
			if (!err && d == WALK_COUNTS && (r->categories & PAGE_IS_PRESENT)) {
				struct page_info pi = { .state = PS_PRESENT };

				err = s->emit(s->ctx, r->start, (r->end - r->start) / psz, &pi);
			} else if (!err) {
				err = walk_pread(t, r->start, r->end, s, st);
			}
			if (err)
				return err;
			pos = r->end;
		}
		/* walk_end: where the kernel stopped; nothing unseen lies before it. */
		if (a.walk_end > end || a.walk_end < pos || (n == 0 && a.walk_end == pos && pos < end))
			return err_set(-EIO, "PAGEMAP_SCAN made no progress at 0x%llx",
				       (unsigned long long)pos);
		err = emit_none(s, pos, (a.walk_end - pos) / psz);
		if (err)
			return err;
		pos = a.walk_end;
	}
	return 0;
}

int walk_vma(struct target *t, const struct vma *v, uint64_t start, uint64_t end,
	     enum walk_detail d, const struct page_sink *sink, struct walk_stats *st)
{
	if (!vma_in_pagemap(v))
		return 0;
	if (t->has_scan && scan_reliable(v) && (end - start) / t->page_size > 64)
		return walk_scan(t, start, end, d, sink, st);
	return walk_pread(t, start, end, sink, st);
}
