// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report_heatmap.c: the grid report --svg/--png hand the plot helper, from
 * hand-made models: which VMAs get rows and how many, which row and column
 * each event's pages land in, as which kind, what falls outside, the
 * notifier strip, and the document (doc/heatmap.md) it writes.
 */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "record.h"
#include "report_heatmap.h"

#define PS 4096

static struct rec_model *model(uint64_t t0, uint64_t t1)
{
	struct rec_model *m = rec_model_new();

	m->page_size = PS;
	m->start_ns = t0;
	m->end_ns = m->last_ns = t1;
	m->have_end = true;
	m->vmas = calloc(64, sizeof(*m->vmas));
	m->tl = calloc(256, sizeof(*m->tl));
	return m;
}

static void vma(struct rec_model *m, uint64_t start, uint64_t end, const char *name)
{
	struct rm_vma *v = &m->vmas[m->nvmas++];

	v->start = start;
	v->end = end;
	snprintf(v->name, sizeof(v->name), "%s", name);
	snprintf(v->perms, sizeof(v->perms), "rw-p");
}

static void ev(struct rec_model *m, uint64_t ts, uint64_t addr, uint64_t pages, int kind,
	       int from, int to)
{
	m->tl[m->ntl++] = (struct rm_event){ .ts_ns = ts, .addr = addr, .pages = pages,
					     .kind = (uint8_t)kind, .from = (uint8_t)from,
					     .to = (uint8_t)to };
}

static uint64_t cell(const struct heatmap *h, unsigned r, unsigned c, unsigned k)
{
	return h->cells[((size_t)r * h->ncols + c) * HM_KINDS + k];
}

/* Two busy VMAs (one grew between the snapshots), a quiet one; 120 columns of 10 ns. */
static void layout(void)
{
	struct rec_model *m = model(1000, 2200);
	struct heatmap h;

	vma(m, 0x10000, 0x20000, "");			/* 16 pages, start snapshot */
	vma(m, 0x10000, 0x28000, "");			/* the same, grown to 24 pages at the end */
	vma(m, 0x100000, 0x200000, "[heap]");		/* 256 pages */
	vma(m, 0x400000, 0x500000, "/usr/lib/libquiet.so");	/* no events */
	ev(m, 1000, 0x10000, 1, RK_CONVERT, PS_PRESENT, PS_DEVICE_EXCLUSIVE);
	ev(m, 1015, 0x27000, 1, RK_RESTORE, PS_DEVICE_EXCLUSIVE, PS_PRESENT);
	ev(m, 2200, 0x100000, 8, RK_CHANGE, PS_NONE, PS_PRESENT);
	ev(m, 2199, 0x100000, 1, RK_CHANGE, PS_PRESENT, PS_DEVICE_EXCLUSIVE);
	ev(m, 1500, 0x1ff000, 1, RK_CHANGE, PS_DEVICE_EXCLUSIVE, PS_PRESENT);
	ev(m, 1500, 0x1ff000, 1, RK_CHANGE, PS_DEVICE_EXCLUSIVE, PS_SWAP);
	ev(m, 1600, 0x900000, 3, RK_CHANGE, PS_NONE, PS_PRESENT);	/* outside every VMA */
	ev(m, 1650, 0x1fe000, 4, RK_CHANGE, PS_NONE, PS_PRESENT);	/* half past the heap's end */
	ev(m, 1700, 0x0, 1ull << 40, RK_NOTIFY, PS_NR, PS_NR);	/* a huge invalidation */
	ev(m, 1705, 0x10000, 1, RK_NOTIFY, PS_NR, PS_NR);

	CHECK_INT(hm_build(&h, m, HM_COLS, HM_ROWS), 0, "build");
	CHECK_INT(h.ncols, 120, "columns");
	CHECK_INT(h.nbands, 2, "the two busy VMAs, the grown one merged");
	CHECK_U64(h.bands[0].start, 0x10000, "band 0 start");
	CHECK_U64(h.bands[0].end, 0x28000, "band 0: the union of both snapshots");
	CHECK_U64(h.bands[1].start, 0x100000, "band 1 start");
	CHECK_STR(h.bands[1].name, "[heap]", "band 1 name");
	/* 4 rows each, the other 88 by size: 88 * 24 / 280 = 7.5, 88 * 256 / 280 = 80.5. */
	CHECK_INT(h.bands[0].row, 0, "band 0 row");
	CHECK_INT(h.bands[0].rows, 11, "band 0 rows");
	CHECK_INT(h.bands[1].row, 11, "band 1 row");
	CHECK_INT(h.bands[1].rows, 84, "band 1 rows");
	CHECK_INT(h.nrows, 95, "rows");
	CHECK_U64(h.bands[0].events, 2, "band 0 page events");
	CHECK_U64(h.bands[1].events, 8 + 1 + 1 + 1 + 2, "band 1 page events");
	CHECK_U64(h.outside, 3 + 2, "page events outside");
	CHECK_INT(h.quiet_vmas, 1, "the quiet library");

	/* Columns: t0 is column 0, 15 ns column 1, the end the last. */
	CHECK_INT(hm_col_of(&h, 1000), 0, "col of t0");
	CHECK_INT(hm_col_of(&h, 1015), 1, "col of 15 ns");
	CHECK_INT(hm_col_of(&h, 2199), 119, "col of the last ns");
	CHECK_INT(hm_col_of(&h, 2200), 119, "col of the end");
	CHECK_INT(hm_col_of(&h, 5000), 119, "col past the end");
	/* Rows: 24 pages in 11 rows (page k in row k * 11 / 24); 256 in 84. */
	CHECK_INT(hm_row_of(&h, 0x10000), 0, "first page");
	CHECK_INT(hm_row_of(&h, 0x27000), 10, "last page of band 0");
	CHECK_INT(hm_row_of(&h, 0x100000), 11, "first page of band 1");
	CHECK_INT(hm_row_of(&h, 0x1ff000), 94, "last page of band 1");
	CHECK_INT(hm_row_of(&h, 0x30000), -1, "between the bands");
	CHECK_INT(hm_row_of(&h, 0x400000), -1, "a quiet VMA has no rows");

	CHECK_U64(cell(&h, 0, 0, RK_CONVERT), 1, "the conversion");
	CHECK_U64(cell(&h, 10, 1, RK_RESTORE), 1, "the restore in the grown part");
	/* 8 pages from the heap's start: rows of pages [0,4), [4,7), [7,10). */
	CHECK_U64(cell(&h, 11, 119, RK_CHANGE), 4, "8 pages: row 0");
	CHECK_U64(cell(&h, 12, 119, RK_CHANGE), 3, "8 pages: row 1");
	CHECK_U64(cell(&h, 13, 119, RK_CHANGE), 1, "8 pages: row 2");
	CHECK_U64(cell(&h, 11, 119, RK_CONVERT), 1, "a polled change into device-exclusive: a conversion");
	CHECK_U64(cell(&h, 94, 50, RK_RESTORE), 1, "out of device-exclusive to present: a restore");
	CHECK_U64(cell(&h, 94, 50, RK_REMOVE), 1, "out of device-exclusive otherwise: a removal");
	CHECK_U64(cell(&h, 94, 65, RK_CHANGE), 2, "the part inside the heap");
	CHECK_U64(h.totals[RK_CONVERT], 2, "conversions");
	CHECK_U64(h.totals[RK_RESTORE], 2, "restores");
	CHECK_U64(h.totals[RK_REMOVE], 1, "removals");
	CHECK_U64(h.totals[RK_CHANGE], 8 + 2, "changes drawn");
	CHECK_U64(h.max_cell, 5, "the busiest cell: 4 changes and a conversion");
	/* Notifiers: a strip per column, whatever their range. */
	CHECK_U64(h.totals[RK_NOTIFY], 2, "notifier invalidations");
	CHECK_U64(h.notify[70], 2, "both in column 70");
	CHECK_U64(h.max_notify, 2, "notifier max");
	hm_free(&h);
	rec_model_free(m);
}

/* More busy VMAs than HM_MAX_VMAS: the busiest are drawn, in address order. */
static void many(void)
{
	struct rec_model *m = model(0, 100);
	struct heatmap h;

	for (unsigned i = 0; i < HM_MAX_VMAS + 2; i++) {
		uint64_t a = 0x100000 * (i + 1);

		vma(m, a, a + 2 * PS, "");
		for (unsigned k = 0; k <= i; k++)	/* VMA i has i + 1 events */
			ev(m, 50, a, 1, RK_CHANGE, PS_NONE, PS_PRESENT);
	}
	CHECK_INT(hm_build(&h, m, 10, HM_ROWS), 0, "build");
	CHECK_INT(h.nbands, HM_MAX_VMAS, "drawn");
	CHECK_INT(h.hidden_vmas, 2, "not drawn");
	CHECK_U64(h.hidden, 1 + 2, "their page events");
	CHECK_U64(h.bands[0].start, 0x300000, "the quietest two left out");
	CHECK(h.bands[1].start > h.bands[0].start, "address order");
	CHECK_INT(h.bands[0].rows, 2, "a 2-page VMA gets 2 rows, not HM_MIN_ROWS");
	CHECK_INT(h.nrows, 2 * HM_MAX_VMAS, "rows");
	CHECK_U64(cell(&h, 2 * (HM_MAX_VMAS - 1), 5, RK_CHANGE), HM_MAX_VMAS + 2, "the busiest");
	hm_free(&h);
	rec_model_free(m);
}

/* No events, no VMAs, no time: an empty grid, not a crash. */
static void empty(void)
{
	struct rec_model *m = model(500, 500);
	struct heatmap h;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	json_t *d;

	vma(m, 0x10000, 0x20000, "");
	ev(m, 500, 0x10000, 1, RK_NOTIFY, PS_NR, PS_NR);
	CHECK_INT(hm_build(&h, m, HM_COLS, HM_ROWS), 0, "build");
	CHECK_INT(h.nbands, 0, "no busy VMA");
	CHECK_INT(h.nrows, 0, "no rows");
	CHECK_INT(hm_col_of(&h, 500), 0, "a zero span: column 0");
	CHECK_U64(h.notify[0], 1, "the notifier still counts");
	f = open_memstream(&buf, &len);
	hm_write(&h, m, "x.rec.gz", f);
	fclose(f);
	d = json_loads(buf, 0, NULL);
	CHECK(d != NULL, "the document parses");
	CHECK_STR(json_string_value(json_object_get(d, "format")), "devexctl-heatmap", "format");
	CHECK_INT(json_array_size(json_object_get(d, "cells")), 0, "no cells");
	CHECK_INT(json_array_size(json_object_get(d, "vmas")), 0, "no vmas");
	json_decref(d);
	free(buf);
	hm_free(&h);
	rec_model_free(m);
}

/* The document: the cells sparse as [row, column, kind, page events]. */
static void document(void)
{
	struct rec_model *m = model(0, 1000000000);
	struct heatmap h;
	char *buf = NULL;
	size_t len = 0;
	json_t *d, *c;
	FILE *f;

	snprintf(m->comm, sizeof(m->comm), "victim");
	snprintf(m->kernel, sizeof(m->kernel), "7.3.0");
	snprintf(m->source, sizeof(m->source), "poll");
	m->poll = true;
	m->interval_ms = 10;
	m->pid = 42;
	m->have_trailer = true;
	snprintf(m->stopped, sizeof(m->stopped), "interrupted");
	vma(m, 0x10000, 0x20000, "/tmp/a \"quoted\" name");
	ev(m, 500000000, 0x13000, 1, RK_CONVERT, PS_PRESENT, PS_DEVICE_EXCLUSIVE);
	m->events = 1;
	CHECK_INT(hm_build(&h, m, HM_COLS, HM_ROWS), 0, "build");
	f = open_memstream(&buf, &len);
	hm_write(&h, m, "/home/someone/x.rec.gz", f);
	fclose(f);
	d = json_loads(buf, 0, NULL);
	CHECK(d != NULL, "the document parses");
	CHECK_INT(json_integer_value(json_object_get(d, "rows")), 16, "rows: a page each");
	CHECK_INT(json_integer_value(json_object_get(d, "duration_ns")), 1000000000, "duration");
	CHECK_STR(json_string_value(json_object_get(d, "title")),
		  "victim (pid 42), kernel 7.3.0, events from poll every 10 ms", "title");
	CHECK_STR(json_string_value(json_object_get(d, "subtitle")),
		  "x.rec.gz: 1.000 s, 1 events, stopped: interrupted", "subtitle");
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(d, "vmas"), 0),
						     "name")), "/tmp/a \"quoted\" name", "name");
	c = json_array_get(json_object_get(d, "cells"), 0);
	CHECK_INT(json_array_size(json_object_get(d, "cells")), 1, "one cell");
	CHECK_INT(json_integer_value(json_array_get(c, 0)), 3, "its row");
	CHECK_INT(json_integer_value(json_array_get(c, 1)), 60, "its column");
	CHECK_INT(json_integer_value(json_array_get(c, 2)), RK_CONVERT, "its kind");
	CHECK_INT(json_integer_value(json_array_get(c, 3)), 1, "its count");
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(d, "kinds"),
								    RK_CONVERT), "name")),
		  "conversion", "the kinds' names, in the cells' order");
	json_decref(d);
	free(buf);
	hm_free(&h);
	rec_model_free(m);
}

int main(void)
{
	layout();
	many();
	empty();
	document();
	CHECK_DONE();
}
