// SPDX-License-Identifier: GPL-2.0-or-later
/* The page walker's decoding: batched pread of pagemap, emitted as runs. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "errors.h"
#include "walk.h"

int walker_bufs(struct walker *w)
{
	if (!w->buf)
		w->buf = malloc(w->batch * sizeof(*w->buf));
	return w->buf ? 0 : -ENOMEM;
}

/* The kernel's pagemap, through the target's fd (struct walker's pread). */
ssize_t walk_kernel_pread(struct walker *w, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(w->t->pagemap_fd, buf, len, off);

	return n < 0 ? -errno : n;
}

static int short_read(struct walker *w, uint64_t addr)
{
	struct target *t = w->t;

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

/*
 * The entries of [addr, addr + want pages): from the last read when it
 * holds them, else read (with the read-ahead up to w->pm.ahead).  Sets
 * *got to the entries available from @addr, at most @want.
 */
static int pread_batch(struct walker *w, uint64_t addr, uint64_t want, const uint64_t **buf,
		       uint64_t *got)
{
	struct target *t = w->t;
	uint64_t psz = t->page_size, len = want;
	ssize_t n;

	if (w->pm.valid && addr >= w->pm.start &&
	    addr + want * psz <= w->pm.start + w->pm.n * psz) {
		*buf = w->buf + (addr - w->pm.start) / psz;
		*got = want;
		return 0;
	}
	if (w->pm.ahead > addr && (w->pm.ahead - addr) / psz > len)
		len = (w->pm.ahead - addr) / psz;
	if (len > w->batch)
		len = w->batch;
	w->pm.valid = false;
	n = w->pread(w, w->buf, len * 8, (off_t)(addr / psz * 8));
	w->st.preads++;
	w->fills.preads++;
	if (n < 0) {
		if (n == -ESRCH || !target_alive(t))
			return err_set(-ESRCH, "process %d exited during the walk", (int)t->pid);
		return err_set((int)n, "reading pagemap of %d", (int)t->pid);
	}
	*got = (uint64_t)n / 8;
	if (*got == 0)
		return short_read(w, addr);
	w->st.entries_read += *got;
	if (w->limit) {
		w->pm.valid = true;
		w->pm.start = addr;
		w->pm.n = *got;
	}
	if (*got > want)
		*got = want;
	*buf = w->buf;
	return 0;
}

int walk_pread(struct walker *w, uint64_t start, uint64_t end, const struct page_sink *s,
	       uint64_t *hits)
{
	struct target *t = w->t;
	uint64_t psz = t->page_size, addr = start;
	int err = walker_bufs(w);

	if (err)
		return err;
	while (addr < end) {
		uint64_t want = (end - addr) / psz, got = 0, step, last;
		struct page_info run, pi, prev;
		uint64_t run_addr, run_n;
		const uint64_t *buf = NULL;

		if (want > w->batch)
			want = w->batch;
		err = pread_batch(w, addr, want, &buf, &got);
		if (err)
			return err;
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
			if (w->hits & (1u << run.state))
				*hits += run_n;
			err = s->emit(s->ctx, run_addr, run_n, &run);
			if (err)
				return err;
			run = prev = pi;
			run_addr = addr + i * psz;
			run_n = 1;
			step = run_step(&run);
		}
		if (w->hits & (1u << run.state))
			*hits += run_n;
		err = s->emit(s->ctx, run_addr, run_n, &run);
		if (err)
			return err;
		addr += got * psz;
	}
	return 0;
}
