// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the tui view model without curses (cli/tui_model.c,
 * tui_vmapanel.c, tui_picker.c) over a small snapshot written here: the VMA
 * rows and their counts (walked in small steps), sorting, filtering,
 * search and the selection that follows a VMA, the page map and its
 * grouping, marks, and the process picker's order.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "errors.h"
#include "tui_model.h"
#include "tui_vmapanel.h"
#include "tui_picker.h"

#define PSZ 4096ULL
#define PRESENT(pfn) ((1ULL << 63) | (pfn))
#define DEXCL(pfn) ((1ULL << 62) | ((uint64_t)(pfn) << 5) | 30)	/* 6.15+: type 30 */

static char root[256];

static void put_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(99);
	}
	fputs(text, f);
	fclose(f);
}

static void put_entry(int fd, uint64_t addr, uint64_t pme)
{
	if (pwrite(fd, &pme, 8, (off_t)(addr / PSZ * 8)) != 8)
		exit(99);
}

/* A process: /usr/bin/unit (2 pages), [heap] (16), an anonymous VMA (64), libc (4). */
static void make_proc(int pid, int dexcl_heap, int dexcl_anon, const char *name)
{
	char rel[128], path[512], maps[1024];
	int fd;

	snprintf(rel, sizeof(rel), "%d", pid);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdir(path, 0755);
	snprintf(maps, sizeof(maps),
		 "55550000-55552000 r--p 00000000 08:01 11 /usr/bin/unit\n"
		 "55560000-55570000 rw-p 00000000 00:00 0 [heap]\n"
		 "7f0000000000-7f0000040000 rw-p 00000000 00:00 0 \n"
		 "7f1000000000-7f1000004000 r--p 00000000 08:01 22 /usr/lib/libc.so.6\n");
	snprintf(rel, sizeof(rel), "%d/maps", pid);
	put_file(rel, maps);
	snprintf(rel, sizeof(rel), "%d/status", pid);
	snprintf(maps, sizeof(maps), "Name:\t%s\nPid:\t%d\n", name, pid);
	put_file(rel, maps);
	snprintf(path, sizeof(path), "%s/%d/pagemap", root, pid);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		exit(99);
	put_entry(fd, 0x55550000, PRESENT(0x100));
	for (int i = 0; i < 16; i++)
		put_entry(fd, 0x55560000 + i * PSZ, i < dexcl_heap ? DEXCL(0x200 + i) : PRESENT(0x300 + i));
	for (int i = 0; i < 64; i++)
		if (i % 8 == 0)
			put_entry(fd, 0x7f0000000000 + i * PSZ,
				  i / 8 < dexcl_anon ? DEXCL(0x400 + i) : PRESENT(0x500 + i));
	/* the last entry, so that the sparse file covers every VMA */
	put_entry(fd, 0x7f1000003000, 0);
	close(fd);
}

static void make_snapshot(void)
{
	char path[512];

	snprintf(root, sizeof(root), "%s/tui-model.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		exit(99);
	put_file("devexctl-snapshot", "format 1\npid 77\ntime 0\npage_size 4096\npfn_visible 1\n"
		 "pfn_reason -\nswap_layout 6.15\nmemory_failure 1\nlayout_source unit test\n");
	snprintf(path, sizeof(path), "%s/sys", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/kernel", root);
	mkdir(path, 0755);
	put_file("sys/kernel/osrelease", "7.3.4\n");
	make_proc(77, 4, 3, "withdx");		/* heap: 4 dexcl; anon: 3 dexcl of 8 present */
	make_proc(78, 0, 0, "plain");
	snprintf(path, sizeof(path), "%s/79", root);	/* no maps, no pagemap: unreadable */
	mkdir(path, 0755);
	put_file("79/status", "Name:\tghost\n");
}

static void test_counts(struct target *t, struct tui_vmapanel *m)
{
	struct tui_vmalist l;
	struct tui_counter c = { 0 };
	int rc, steps = 0;

	CHECK_INT(tui_vmas_load(t, &l), 0, "load");
	CHECK_INT(l.n, 4, "four VMAs");
	CHECK_STR(l.v[1].name, "[heap]", "heap name");
	CHECK_STR(l.v[2].name, "", "anonymous name");
	/* Three pages per step: many steps, the last one says done. */
	while ((rc = tui_count_step(t, &l, &c, 3)) == 0)
		steps++;
	CHECK_INT(rc, 1, "count done");
	CHECK(steps > 20, "counting took many bounded steps");
	CHECK_U64(l.v[0].counts[PS_PRESENT], 1, "binary present");
	CHECK_U64(l.v[0].counts[PS_NONE], 1, "binary none");
	CHECK_U64(l.v[1].counts[PS_DEVICE_EXCLUSIVE], 4, "heap dexcl");
	CHECK_U64(l.v[1].counts[PS_PRESENT], 12, "heap present");
	CHECK_U64(l.v[2].counts[PS_DEVICE_EXCLUSIVE], 3, "anon dexcl");
	CHECK_U64(l.v[2].counts[PS_PRESENT], 5, "anon present");
	CHECK_U64(l.v[2].counts[PS_NONE], 56, "anon none");
	CHECK(l.v[3].counted && l.v[3].counts[PS_NONE] == 4, "libc counted, all none");
	tui_vmapanel_set_vmas(m, &l);
	CHECK_INT(m->nview, 4, "view has every VMA");
}

static void test_view(struct target *t, struct tui_vmapanel *m)
{
	struct tui_vmalist l;
	uint64_t tot[PS_NR];

	tui_vmapanel_totals(m, tot);
	CHECK_U64(tot[PS_DEVICE_EXCLUSIVE], 7, "total dexcl");
	CHECK_U64(m->sel_start, 0x55550000, "first VMA selected");
	tui_vmapanel_move(m, 2);
	CHECK_U64(tui_vmapanel_selected(m)->start, 0x7f0000000000, "move down twice");
	tui_vmapanel_move(m, 100);
	CHECK_U64(tui_vmapanel_selected(m)->start, 0x7f1000000000, "move clamps at the end");
	tui_vmapanel_move(m, -100);
	CHECK_INT(m->sel, 0, "move clamps at the top");
	/* Sort by device-exclusive count: heap (4), anon (3), then address order. */
	m->sort = SORT_DEXCL;
	tui_vmapanel_rebuild(m);
	CHECK_STR(m->vmas.v[m->view[0]].name, "[heap]", "dexcl sort: heap first");
	CHECK_STR(m->vmas.v[m->view[1]].name, "", "dexcl sort: anon second");
	CHECK_U64(tui_vmapanel_selected(m)->start, 0x55550000, "selection follows the VMA");
	CHECK_INT(m->sel, 2, "selected VMA now on row 2");
	m->sort_reverse = true;
	tui_vmapanel_rebuild(m);
	CHECK_STR(m->vmas.v[m->view[3]].name, "[heap]", "reversed: heap last");
	m->sort_reverse = false;
	m->sort = SORT_SIZE;
	tui_vmapanel_rebuild(m);
	CHECK_STR(m->vmas.v[m->view[0]].name, "", "size sort: the 64-page VMA first");
	m->sort = SORT_ADDR;
	tui_vmapanel_rebuild(m);
	/* Filter: by name, by [anon], by address; the selection moves inside. */
	snprintf(m->filter, sizeof(m->filter), "HEAP");
	tui_vmapanel_rebuild(m);
	CHECK_INT(m->nview, 1, "filter HEAP (case-insensitive)");
	CHECK_STR(tui_vmapanel_selected(m)->name, "[heap]", "filtered selection");
	snprintf(m->filter, sizeof(m->filter), "[anon]");
	tui_vmapanel_rebuild(m);
	CHECK_INT(m->nview, 1, "filter [anon]");
	snprintf(m->filter, sizeof(m->filter), "0x7f1");
	tui_vmapanel_rebuild(m);
	CHECK_INT(m->nview, 1, "filter by address");
	CHECK_STR(tui_vmapanel_selected(m)->name, "/usr/lib/libc.so.6", "address filter row");
	snprintf(m->filter, sizeof(m->filter), "nothing-matches");
	tui_vmapanel_rebuild(m);
	CHECK_INT(m->nview, 0, "filter with no match");
	CHECK(tui_vmapanel_selected(m) == NULL, "no selection in an empty view");
	m->filter[0] = '\0';
	tui_vmapanel_rebuild(m);
	CHECK_INT(m->nview, 4, "filter cleared");
	/* Search jumps, wraps, and 'next' skips the current row. */
	tui_vmapanel_select_row(m, 0);
	snprintf(m->search, sizeof(m->search), "usr");
	CHECK(tui_vmapanel_search(m, false), "search usr");
	CHECK_INT(m->sel, 0, "first match is the current row");
	CHECK(tui_vmapanel_search(m, true), "search next");
	CHECK_INT(m->sel, 3, "next match: libc");
	CHECK(tui_vmapanel_search(m, true), "search wraps");
	CHECK_INT(m->sel, 0, "wrapped to the binary");
	snprintf(m->search, sizeof(m->search), "zzz");
	CHECK(!tui_vmapanel_search(m, true), "no match");
	CHECK_INT(m->sel, 0, "no match keeps the selection");
	/* Scrolling keeps the selection visible. */
	tui_vmapanel_select_row(m, 3);
	tui_vmapanel_scroll(m, 2);
	CHECK_INT(m->top, 2, "scrolled to show row 3 in 2 rows");
	/* A refresh keeps counts of unchanged VMAs until the walk redoes them. */
	tui_vmapanel_select_row(m, 1);
	CHECK_INT(tui_vmas_load(t, &l), 0, "reload");
	CHECK(!l.v[1].counted, "fresh rows are not counted");
	tui_vmapanel_set_vmas(m, &l);
	CHECK(m->vmas.v[1].counted && m->vmas.v[1].counts[PS_DEVICE_EXCLUSIVE] == 4, "counts carried");
	CHECK_STR(tui_vmapanel_selected(m)->name, "[heap]", "selection kept across a refresh");
}

static void test_pagemap(struct target *t, struct tui_vmapanel *m)
{
	struct tui_pagemap pm = { 0 };
	struct tui_vma *v = &m->vmas.v[2];	/* the 64-page anonymous VMA */
	int steps = 0;

	tui_pagemap_reset(&pm, v->start, v->end, PSZ);
	CHECK_U64(pm.npages, 64, "map pages");
	CHECK_INT(pm.gshift, 0, "one group per page");
	CHECK_INT(tui_pagemap_state(&pm, 0, 1), TUI_STATE_UNKNOWN, "unknown before the walk");
	while (tui_pagemap_step(t, v, &pm, 5) == 0)
		steps++;
	CHECK(steps >= 12, "the map walk is incremental");
	CHECK_INT(tui_pagemap_state(&pm, 0, 1), PS_DEVICE_EXCLUSIVE, "page 0");
	CHECK_INT(tui_pagemap_state(&pm, 1, 1), PS_NONE, "page 1");
	CHECK_INT(tui_pagemap_state(&pm, 24, 1), PS_PRESENT, "page 24");
	CHECK_INT(tui_pagemap_state(&pm, 24, 8), PS_PRESENT, "a cell of present and none");
	CHECK_INT(tui_pagemap_state(&pm, 8, 32), PS_DEVICE_EXCLUSIVE, "dexcl wins a cell");
	CHECK_INT(tui_pagemap_state(&pm, 64, 1), TUI_STATE_UNKNOWN, "past the end");
	CHECK_U64(pm.counts[PS_DEVICE_EXCLUSIVE], 3, "map counts = maps counts");
	CHECK_U64(tui_pagemap_cell_pages(&pm, 100), 1, "fits: one page per cell");
	CHECK_U64(tui_pagemap_cell_pages(&pm, 10), 8, "10 cells: 8 pages each");
	/* A rewalk replaces, it does not merge with the old states. */
	pm.pos = pm.start;
	pm.done = false;
	while (tui_pagemap_step(t, v, &pm, 64) == 0)
		;
	CHECK_INT(tui_pagemap_state(&pm, 1, 1), PS_NONE, "rewalk keeps none as none");
	/* A huge VMA is grouped. */
	tui_pagemap_reset(&pm, 0x100000000000ULL, 0x110000000000ULL, PSZ);
	CHECK(pm.ngroups <= TUI_MAP_MAX_GROUPS && pm.gshift > 0, "huge VMA grouped");
	CHECK_U64(pm.ngroups << pm.gshift, pm.npages, "groups cover the VMA");
	tui_pagemap_free(&pm);
	CHECK_INT(tui_state_rank(PS_DEVICE_EXCLUSIVE) < tui_state_rank(PS_PRESENT), 1, "rank");
}

static void test_marks(void)
{
	struct tui_marks mk = { .n = 0 };

	CHECK_INT(tui_marks_toggle(&mk, 0x5000, 0x6000), 0, "mark one");
	CHECK_INT(tui_marks_toggle(&mk, 0x1000, 0x2000), 0, "mark before");
	CHECK_INT(mk.n, 2, "two ranges");
	CHECK_U64(mk.start[0], 0x1000, "sorted");
	tui_marks_toggle(&mk, 0x2000, 0x5000);
	CHECK_INT(mk.n, 1, "touching ranges merge");
	CHECK_U64(tui_marks_bytes(&mk), 0x5000, "merged size");
	tui_marks_toggle(&mk, 0x3000, 0x4000);
	CHECK_INT(mk.n, 2, "unmarking the middle splits");
	CHECK(!tui_marks_has(&mk, 0x3000) && tui_marks_has(&mk, 0x2fff) && tui_marks_has(&mk, 0x4000),
	      "has");
	CHECK_U64(tui_marks_bytes(&mk), 0x4000, "split size");
}

static void test_picker(void)
{
	struct tui_picker pk = { .n = 0 };
	const struct tui_proc *p;

	CHECK_INT(tui_picker_load(&pk, root), 0, "picker load");
	CHECK_INT(pk.n, 3, "three processes");
	while (tui_picker_step(&pk, 7) == 0)
		;
	p = tui_picker_row(&pk, 0);
	CHECK(p && p->pid == 77 && p->counted, "dexcl process first");
	CHECK_U64(p ? p->counts[PS_DEVICE_EXCLUSIVE] : 0, 7, "its dexcl count");
	CHECK_STR(p ? p->comm : "", "withdx", "comm from status");
	p = tui_picker_row(&pk, 1);
	CHECK(p && p->pid == 78 && p->counted && p->counts[PS_PRESENT] == 25, "plain second");
	p = tui_picker_row(&pk, 2);
	CHECK(p && p->pid == 79 && p->unreadable, "unreadable last");
	snprintf(pk.filter, sizeof(pk.filter), "plain");
	tui_picker_sort(&pk);
	CHECK_INT(tui_picker_rows(&pk), 1, "picker filter");
	pk.filter[0] = '\0';
	tui_picker_sort(&pk);
	pk.sel = 0;
	CHECK(tui_picker_search(&pk, "79", true) && pk.sel_pid == 79, "picker search by pid");
	tui_picker_free(&pk);
}

/* The window of rows every list pane and the picker keep around the selection. */
static void test_scroll(void)
{
	CHECK_INT(tui_scroll(0, 0, 10, 100), 0, "selection in the first window");
	CHECK_INT(tui_scroll(0, 10, 10, 100), 1, "one past the window scrolls by one");
	CHECK_INT(tui_scroll(50, 20, 10, 100), 20, "above the window: it starts there");
	CHECK_INT(tui_scroll(0, 99, 10, 100), 90, "the last row at the bottom");
	CHECK_INT(tui_scroll(95, 96, 10, 100), 90, "a window past the end is pulled back full");
	CHECK_INT(tui_scroll(5, 3, 10, 4), 0, "fewer rows than the window: from the top");
	CHECK_INT(tui_scroll(0, 5, 0, 100), 5, "a window of no rows is one row");
}

int main(void)
{
	struct tui_vmapanel m;
	struct target t;
	char cmd[600];

	make_snapshot();
	CHECK_INT(target_open(&t, root, NULL, 77), 0, "open the snapshot");
	tui_vmapanel_init(&m);
	test_counts(&t, &m);
	test_view(&t, &m);
	test_pagemap(&t, &m);
	test_marks();
	test_picker();
	test_scroll();
	tui_vmapanel_free(&m);
	target_close(&t);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	CHECK_DONE();
}
