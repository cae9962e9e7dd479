// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the page walker (cli/walk*.c) against a fake kernel: a
 * pagemap held in an array, and a PAGEMAP_SCAN that answers from it as
 * fs/proc/task_mmu.c does (regions of equal categories, a full vector
 * stops the walk before the region that did not fit, a walk that stops
 * early reports walk_end, which may lie inside a region).  Whatever the
 * vector size, the stops, the query and what the kernel refuses, every
 * page must reach the sink once, in the state pagemap_decode() gives it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "errors.h"
#include "walk.h"

#define PSZ	4096ULL
#define BASE	0x10000000ULL
#define NPAGES	6000ULL

#define SWP(type, off)	(PM_SWAP | (uint64_t)(type) | ((uint64_t)(off) << 5))

struct fake {
	uint64_t pme[NPAGES];	/* the pagemap of [BASE, BASE + NPAGES pages) */
	int scan_err;		/* non-zero: every PAGEMAP_SCAN answers this */
	uint64_t refuse;	/* categories answered with -EINVAL */
	uint64_t cut;		/* pages one call walks at most (0: all) */
	unsigned int scans, preads, mid_stops;
	uint64_t asked;		/* every category_anyof_mask asked */
	uint64_t read_entries;	/* pagemap entries read */
};

static struct fake fk;
static struct swap_layout layout;

static uint64_t entry(uint64_t addr)
{
	return addr >= BASE && addr < BASE + NPAGES * PSZ ? fk.pme[(addr - BASE) / PSZ] : 0;
}

/* The kernel's pagemap_page_category(), for the entries this test makes. */
static uint64_t categories(uint64_t pme)
{
	if (pme & PM_PRESENT)
		return PAGE_IS_PRESENT;
	if (pme & (PM_SWAP | PM_GUARD))
		return PAGE_IS_SWAPPED | (pme & PM_GUARD ? PAGE_IS_GUARD : 0);
	return 0;
}

static int fake_scan(struct walker *w, struct pm_scan_arg *a)
{
	struct page_region *vec = (struct page_region *)(uintptr_t)a->vec;
	uint64_t stop = a->end, addr;
	int n = 0;

	(void)w;
	fk.scans++;
	if (fk.scan_err)
		return fk.scan_err;
	if ((a->category_anyof_mask | a->return_mask) & fk.refuse)
		return -EINVAL;
	fk.asked |= a->category_anyof_mask;
	if (fk.cut && (stop - a->start) / PSZ > fk.cut)
		stop = a->start + fk.cut * PSZ;
	for (addr = a->start; addr < stop; addr += PSZ) {
		uint64_t c = categories(entry(addr));

		if (!(c & a->category_anyof_mask))
			continue;
		c &= a->return_mask;
		if (n && vec[n - 1].end == addr && vec[n - 1].categories == c) {
			vec[n - 1].end += PSZ;
			continue;
		}
		if ((uint64_t)n == a->vec_len) {
			a->walk_end = addr;	/* the vector is full */
			return n;
		}
		vec[n++] = (struct page_region){ addr, addr + PSZ, c };
	}
	a->walk_end = stop;
	if (n && vec[n - 1].end == stop && stop < a->end &&
	    (categories(entry(stop)) & a->category_anyof_mask))
		fk.mid_stops++;		/* the next call goes on inside the region */
	return n;
}

static ssize_t fake_pread(struct walker *w, void *buf, size_t len, off_t off)
{
	uint64_t *out = buf;

	(void)w;
	fk.preads++;
	for (size_t i = 0; i < len / 8; i++)
		out[i] = entry(((uint64_t)off / 8 + i) * PSZ);
	fk.read_entries += len / 8;
	return (ssize_t)len;
}

/* What the sink saw: each page's state and PFN, and how often it came. */
static struct seen {
	uint8_t state[NPAGES];
	uint64_t pfn[NPAGES];
	unsigned int times[NPAGES];
} seen;

static int record(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	(void)ctx;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t p = (addr - BASE) / PSZ + i;

		if (p >= NPAGES)
			return -ERANGE;
		seen.state[p] = pi->state;
		seen.pfn[p] = pi->pfn_valid ? pi->pfn + i : 0;
		seen.times[p]++;
	}
	return 0;
}

/* Present runs, holes, and one page or a few of every non-present kind. */
/* The lowest swap type of @state in the layout. */
static int layout_type(int state)
{
	for (int i = 0; i < 32; i++)
		if (layout.type[i].name && layout.type[i].state == state)
			return i;
	return 0;
}

static void make_space(void)
{
	int type[PS_NR] = { 0 };

	for (int i = 31; i >= 0; i--)
		if (layout.type[i].name)
			type[layout.type[i].state] = i;
	memset(&fk, 0, sizeof(fk));
	for (uint64_t p = 0; p < NPAGES; p++) {
		uint64_t m = p % 100;

		if (m < 40)
			fk.pme[p] = PM_PRESENT | (0x1000 + p);	/* PFNs counting up */
		else if (m == 41)
			fk.pme[p] = SWP(1, p);			/* swap */
		else if (m == 43)
			fk.pme[p] = SWP(type[PS_DEVICE_EXCLUSIVE], 0x5000 + p);
		else if (m == 45)
			fk.pme[p] = SWP(type[PS_DEVICE_PRIVATE], 0x6000 + p);
		else if (m == 47)
			fk.pme[p] = SWP(type[PS_MIGRATION], 0x7000 + p);
		else if (m == 49)
			fk.pme[p] = SWP(type[PS_HWPOISON], 0x8000 + p);
		else if (m == 51 || m == 52)
			fk.pme[p] = SWP(type[PS_MARKER], 0) | PM_GUARD;	/* guard marker */
		else if (m == 54)
			fk.pme[p] = SWP(type[PS_MARKER], 0);	/* uffd-wp: no guard bit */
		else if (m >= 60 && m < 70 && p % 3)
			fk.pme[p] = PM_PRESENT | (0x90000 + p);	/* scattered small regions */
	}
}

static struct target target_for(bool has_scan)
{
	struct target t = { .ops = &source_snapshot, .pid = 1, .pagemap_fd = -1, .maps_fd = -1,
			    .page_size = PSZ, .pfn_visible = true, .has_scan = has_scan };

	t.layout = layout;
	return t;
}

/*
 * Walk the space as three VMAs (a look-ahead past each), wanting @states;
 * each page of @states must come once with pagemap_decode()'s state and PFN,
 * any other page at most once and right.  Leaves @w to walker_finish().
 */
static void walk_check(const char *what, struct target *t, unsigned int states,
		       enum walk_detail d, unsigned int vec_len, struct walker *w)
{
	struct page_sink sink = { .emit = record };
	const uint64_t cuts[] = { BASE, BASE + 1000 * PSZ, BASE + 3333 * PSZ, BASE + NPAGES * PSZ };
	unsigned int bad = 0;
	char msg[160];

	memset(&seen, 0, sizeof(seen));
	walker_init(w, t, BASE + NPAGES * PSZ);
	w->scan = fake_scan;
	w->pread = fake_pread;
	if (vec_len)
		w->vec_len = vec_len;
	if (states != ~0u)	/* ~0u: walker_init()'s default, every state */
		walker_query(w, states);
	for (int i = 0; i < 3; i++) {
		struct vma v = { .start = cuts[i], .end = cuts[i + 1], .perms = "rw-p",
				 .name = "" };

		snprintf(msg, sizeof(msg), "%s: VMA %d walks", what, i);
		CHECK_INT(walk_vma(w, &v, v.start, v.end, d, &sink), 0, msg);
	}
	for (uint64_t p = 0; p < NPAGES; p++) {
		struct page_info pi;
		bool wanted, wrong;

		pagemap_decode(fk.pme[p], &t->layout, t->pfn_visible, &pi);
		wanted = states & (1u << pi.state);
		wrong = seen.state[p] != pi.state ||
			(d == WALK_PAGES && seen.pfn[p] != (pi.pfn_valid ? pi.pfn : 0));
		if (seen.times[p] <= 1 && (!wanted || seen.times[p] == 1) &&
		    (!seen.times[p] || !wrong))
			continue;
		if (bad++ == 0)
			fprintf(stderr, "%s: page %" PRIu64 ": seen %u times as %s, want %s\n",
				what, p, seen.times[p], state_table[seen.state[p]].name,
				state_table[pi.state].name);
	}
	snprintf(msg, sizeof(msg), "%s: every page once, as pagemap says", what);
	CHECK_INT(bad, 0, msg);
}

/* The full walk: with the scan or without, any vector, stops inside regions. */
static void test_full(void)
{
	const unsigned int vecs[] = { 1, 2, 3, 7, 512 };
	const uint64_t cuts[] = { 0, 37, 300 };
	struct target t = target_for(false);
	struct walker w;
	char what[96];

	make_space();
	walk_check("pread only", &t, ~0u, WALK_PAGES, 0, &w);
	CHECK_INT(fk.scans, 0, "no scan without PAGEMAP_SCAN");
	walker_finish(&w);

	t = target_for(true);
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
		for (size_t v = 0; v < sizeof(vecs) / sizeof(vecs[0]); v++) {
			for (int d = WALK_COUNTS; d <= WALK_PAGES; d++) {
				fk.cut = cuts[c];
				fk.scans = fk.mid_stops = 0;
				snprintf(what, sizeof(what), "scan vec %u cut %" PRIu64 " %s",
					 vecs[v], cuts[c], d == WALK_PAGES ? "pages" : "counts");
				walk_check(what, &t, ~0u, d, vecs[v], &w);
				CHECK(fk.scans > 0, what);
				/* (dense memory is read without a scan for pages) */
				if (vecs[v] <= 3 && d == WALK_COUNTS)
					CHECK(w.fills.full > 0, what);
				if (cuts[c] == 37 && vecs[v] == 512)
					CHECK(fk.mid_stops > 0, "walk_end inside a region");
				walker_finish(&w);
			}
		}
	}
	CHECK(w.buf == NULL && w.vec == NULL, "walker_finish() frees the buffers");
}

/* A kernel without PAGEMAP_SCAN, or refusing a category. */
static void test_fallback(void)
{
	const int errs[] = { -ENOTTY, -EOPNOTSUPP, -EINVAL };
	struct target t = target_for(true);
	struct walker w;
	char what[96];

	make_space();
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		fk.scan_err = errs[i];
		fk.scans = 0;
		snprintf(what, sizeof(what), "scan answers %d", errs[i]);
		walk_check(what, &t, ~0u, WALK_PAGES, 0, &w);
		CHECK(w.no_scan, what);
		/* -EINVAL: once with PAGE_IS_GUARD, once without; then never again. */
		CHECK_INT(fk.scans, errs[i] == -EINVAL ? 2 : 1, "probed once per walker");
		walker_finish(&w);
	}
	fk.scan_err = 0;

	/* Before 6.14: no guard category, the scan goes on without it. */
	fk.refuse = PAGE_IS_GUARD;
	fk.scans = 0;
	walk_check("no guard category", &t, ~0u, WALK_COUNTS, 2, &w);
	CHECK(w.no_guard && !w.no_scan, "no guard category: scan without it");
	CHECK(fk.scans > 3, "no guard category: scans");
	walker_finish(&w);

	/* A query whose category the kernel refuses reads pagemap instead. */
	fk.refuse = PAGE_IS_SWAPPED;
	walk_check("no swapped category", &t, 1u << PS_MARKER, WALK_PAGES, 0, &w);
	CHECK(w.no_scan, "no swapped category: pread");
	walker_finish(&w);
	fk.refuse = 0;
}

/*
 * Each state: its table mask selects it (the fake kernel's categories of
 * its pages meet the mask), the walker asks for that mask only, and the
 * pages in it come exactly as in the full walk.
 */
static void test_queries(void)
{
	struct target t = target_for(true);
	struct walker w;
	char what[96];

	make_space();
	for (int s = 0; s < PS_NR; s++) {
		const struct state_info *si = &state_table[s];

		for (uint64_t p = 0; p < NPAGES; p++) {
			struct page_info pi;

			pagemap_decode(fk.pme[p], &t.layout, true, &pi);
			if (pi.state != s)
				continue;
			snprintf(what, sizeof(what), "%s: its mask selects its pages", si->name);
			/* none: the holes between the regions of the mask */
			CHECK(s == PS_NONE ? !(categories(fk.pme[p]) & si->scan_mask)
					   : (categories(fk.pme[p]) & si->scan_mask) != 0, what);
			break;
		}
		fk.asked = 0;
		fk.read_entries = 0;
		snprintf(what, sizeof(what), "--state %s", si->name);
		walk_check(what, &t, 1u << s, WALK_PAGES, 3, &w);
		CHECK_U64(fk.asked, si->scan_mask, what);
		walker_finish(&w);
	}
	/* A sparse query reads a part of pagemap only: markers in present memory. */
	for (uint64_t p = 0; p < NPAGES; p++)
		fk.pme[p] = p % 1000 == 500 ? SWP(31, 0) | PM_GUARD : PM_PRESENT | (0x1000 + p);
	fk.read_entries = 0;
	walk_check("markers in present memory", &t, 1u << PS_MARKER, WALK_PAGES, 0, &w);
	CHECK(fk.read_entries < NPAGES / 2, "a sparse query reads little of pagemap");
	walker_finish(&w);

	/*
	 * Guard regions are in PAGE_IS_SWAPPED too: a query for another
	 * swapped state reads pagemap for its own entries only (one page in a
	 * thousand), not for the markers (one in 600: beyond a read-ahead).
	 */
	for (uint64_t p = 0; p < NPAGES; p++)
		fk.pme[p] = p % 1000 == 700 ? SWP(layout_type(PS_DEVICE_EXCLUSIVE), 0x5000 + p)
			  : p % 600 == 300 ? SWP(layout_type(PS_MARKER), 0) | PM_GUARD
			  : PM_PRESENT | p;
	fk.read_entries = fk.preads = 0;
	walk_check("device-exclusive among guard markers", &t, 1u << PS_DEVICE_EXCLUSIVE,
		   WALK_PAGES, 0, &w);
	CHECK(fk.preads <= NPAGES / 1000, "at most a pread per device-exclusive entry, none per marker");
	walker_finish(&w);
	/* Markers wanted: their flags come from pagemap (soft-dirty after mremap). */
	fk.preads = 0;
	walk_check("markers wanted among guard markers", &t, 1u << PS_MARKER, WALK_PAGES, 0, &w);
	CHECK(fk.preads > 0, "markers wanted: pagemap read for their flags");
	walker_finish(&w);
}

/* Two walkers at once keep their own windows and buffers. */
static void test_reentrant(void)
{
	struct target t = target_for(true);
	struct walker a, b;

	make_space();
	walk_check("walker a", &t, ~0u, WALK_PAGES, 5, &a);
	walk_check("walker b inside a", &t, 1u << PS_DEVICE_EXCLUSIVE, WALK_PAGES, 2, &b);
	CHECK(a.buf != b.buf && a.vec != b.vec, "own buffers");
	walker_finish(&b);
	walker_finish(&a);
}

int main(void)
{
	swap_layout_build(&layout, LAYOUT_615, true, "unit test");
	test_full();
	test_fallback();
	test_queries();
	test_reentrant();
	CHECK_DONE();
}
