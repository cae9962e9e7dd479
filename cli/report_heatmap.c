// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The heatmap's grid (report_heatmap.h): the VMAs of the two snapshots,
 * overlaps merged, sorted by address; the busy ones (with page events) get
 * rows in proportion to their size, HM_MIN_ROWS at least; each event adds
 * its pages to the cells of its column and the rows its pages fall in.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report_heatmap.h"

unsigned hm_kind(const struct rm_event *e)
{
	if (e->kind != RK_CHANGE)
		return e->kind;
	if (e->to == PS_DEVICE_EXCLUSIVE)
		return RK_CONVERT;
	if (e->from == PS_DEVICE_EXCLUSIVE)
		return e->to == PS_PRESENT ? RK_RESTORE : RK_REMOVE;
	return RK_CHANGE;
}

static int by_start(const void *a, const void *b)
{
	const struct hm_band *p = a, *q = b;

	return p->start < q->start ? -1 : p->start > q->start;
}

static int by_events(const void *a, const void *b)
{
	const struct hm_band *p = a, *q = b;

	if (p->events != q->events)
		return p->events < q->events ? 1 : -1;
	return by_start(a, b);
}

/* The model's VMAs, sorted, overlaps merged (a VMA that grew between the snapshots). */
static struct hm_band *merged_vmas(const struct rec_model *m, unsigned *n)
{
	struct hm_band *v = calloc(m->nvmas ? m->nvmas : 1, sizeof(*v));
	unsigned k = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < m->nvmas; i++) {
		v[i].start = m->vmas[i].start;
		v[i].end = m->vmas[i].end;
		snprintf(v[i].name, sizeof(v[i].name), "%s", m->vmas[i].name);
		snprintf(v[i].perms, sizeof(v[i].perms), "%s", m->vmas[i].perms);
	}
	qsort(v, m->nvmas, sizeof(*v), by_start);
	for (size_t i = 0; i < m->nvmas; i++) {
		if (k && v[i].start < v[k - 1].end) {
			if (v[i].end > v[k - 1].end)
				v[k - 1].end = v[i].end;
			if (!v[k - 1].name[0])
				memcpy(v[k - 1].name, v[i].name, sizeof(v[i].name));
			continue;
		}
		v[k++] = v[i];
	}
	*n = k;
	return v;
}

/* The first of the @n sorted bands that ends above @addr (@n if none). */
static unsigned first_band(const struct hm_band *b, unsigned n, uint64_t addr)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (b[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* An event's pages as [*a, *e), saturating at the top of the address space. */
static void event_span(const struct rm_event *ev, uint64_t ps, uint64_t *a, uint64_t *e)
{
	*a = ev->addr;
	*e = ev->pages > (UINT64_MAX - ev->addr) / ps ? UINT64_MAX : ev->addr + ev->pages * ps;
}

static uint64_t band_pages(const struct hm_band *b, uint64_t ps)
{
	return (b->end - b->start + ps - 1) / ps;
}

/* The first page (from the band's start) of row @r of a band of @pages pages in @rows rows. */
static uint64_t row_first_page(uint64_t r, uint64_t pages, unsigned rows)
{
	return (uint64_t)(((unsigned __int128)r * pages + rows - 1) / rows);
}

/* Rows in proportion to the pages, HM_MIN_ROWS at least, never more than the pages. */
static void give_rows(struct heatmap *h, unsigned maxrows)
{
	uint64_t total = 0;
	unsigned base = 0, row = 0;

	for (unsigned i = 0; i < h->nbands; i++) {
		uint64_t p = band_pages(&h->bands[i], h->page_size);

		h->bands[i].rows = p < HM_MIN_ROWS ? (unsigned)p : HM_MIN_ROWS;
		base += h->bands[i].rows;
		total += p;
	}
	for (unsigned i = 0; i < h->nbands; i++) {
		struct hm_band *b = &h->bands[i];
		uint64_t p = band_pages(b, h->page_size);
		double extra = maxrows > base ? (double)(maxrows - base) * (double)p / (double)total : 0;

		if ((double)b->rows + extra > (double)p)
			b->rows = (unsigned)p;
		else
			b->rows += (unsigned)extra;
		b->row = row;
		row += b->rows;
	}
	h->nrows = row;
}

unsigned hm_col_of(const struct heatmap *h, uint64_t ts)
{
	uint64_t span = h->t1 - h->t0, c;

	if (ts <= h->t0 || !span)
		return 0;
	if (ts >= h->t1)
		return h->ncols - 1;
	c = (uint64_t)((unsigned __int128)(ts - h->t0) * h->ncols / span);
	return c < h->ncols ? (unsigned)c : h->ncols - 1;
}

int hm_row_of(const struct heatmap *h, uint64_t addr)
{
	unsigned i = first_band(h->bands, h->nbands, addr);
	const struct hm_band *b = &h->bands[i];
	uint64_t page, pages;
	unsigned r;

	if (i >= h->nbands || addr < b->start)
		return -1;
	page = (addr - b->start) / h->page_size;
	pages = band_pages(b, h->page_size);
	r = (unsigned)((unsigned __int128)page * b->rows / pages);
	return (int)(b->row + r);
}

/* Add @ev's pages in band @b to column @col's cells. */
static void add_to_band(struct heatmap *h, const struct hm_band *b, uint64_t a, uint64_t e,
			unsigned col, unsigned kind)
{
	uint64_t ps = h->page_size, pages = band_pages(b, ps);
	uint64_t k0 = ((a > b->start ? a : b->start) - b->start) / ps;
	uint64_t k1 = ((e < b->end ? e : b->end) - b->start + ps - 1) / ps;
	unsigned r0 = (unsigned)((unsigned __int128)k0 * b->rows / pages);

	for (unsigned r = r0; r < b->rows; r++) {
		uint64_t lo = row_first_page(r, pages, b->rows);
		uint64_t hi = row_first_page(r + 1, pages, b->rows);
		uint64_t *cell;

		if (lo >= k1)
			break;
		if (lo < k0)
			lo = k0;
		if (hi > k1)
			hi = k1;
		cell = &h->cells[((size_t)(b->row + r) * h->ncols + col) * HM_KINDS + kind];
		*cell += hi - lo;
		h->totals[kind] += hi - lo;
	}
}

/* The page events of the timeline per band, and those outside every band. */
static void count_bands(struct hm_band *v, unsigned n, const struct rec_model *m,
			uint64_t *outside)
{
	uint64_t ps = m->page_size;

	for (size_t i = 0; i < m->ntl; i++) {
		const struct rm_event *ev = &m->tl[i];
		uint64_t a, e, in = 0;

		if (ev->kind == RK_NOTIFY)
			continue;
		event_span(ev, ps, &a, &e);
		for (unsigned j = first_band(v, n, a); j < n && v[j].start < e; j++) {
			uint64_t lo = a > v[j].start ? a : v[j].start;
			uint64_t hi = e < v[j].end ? e : v[j].end;

			v[j].events += (hi - lo + ps - 1) / ps;
			in += (hi - lo + ps - 1) / ps;
		}
		*outside += ev->pages > in ? ev->pages - in : 0;
	}
}

void hm_free(struct heatmap *h)
{
	free(h->cells);
	free(h->notify);
	free(h->bands);
	memset(h, 0, sizeof(*h));
}

int hm_build(struct heatmap *h, const struct rec_model *m, unsigned ncols, unsigned maxrows)
{
	struct hm_band *v;
	unsigned n, busy = 0;

	memset(h, 0, sizeof(*h));
	h->ncols = ncols ? ncols : 1;
	h->page_size = m->page_size ? m->page_size : 4096;
	h->t0 = m->start_ns;
	h->t1 = m->have_end ? m->end_ns : m->last_ns;
	if (h->t1 < m->last_ns)
		h->t1 = m->last_ns;	/* an event after the end snapshot: keep it inside */
	if (h->t1 < h->t0)
		h->t1 = h->t0;
	v = merged_vmas(m, &n);
	if (!v)
		return -ENOMEM;
	count_bands(v, n, m, &h->outside);
	for (unsigned i = 0; i < n; i++)
		if (v[i].events)
			v[busy++] = v[i];
	h->quiet_vmas = n - busy;
	if (busy > HM_MAX_VMAS) {
		qsort(v, busy, sizeof(*v), by_events);
		for (unsigned i = HM_MAX_VMAS; i < busy; i++)
			h->hidden += v[i].events;
		h->hidden_vmas = busy - HM_MAX_VMAS;
		busy = HM_MAX_VMAS;
		qsort(v, busy, sizeof(*v), by_start);
	}
	h->bands = v;
	h->nbands = busy;
	give_rows(h, maxrows);
	h->cells = calloc((size_t)(h->nrows ? h->nrows : 1) * h->ncols * HM_KINDS, sizeof(*h->cells));
	h->notify = calloc(h->ncols, sizeof(*h->notify));
	if (!h->cells || !h->notify)
		return -ENOMEM;
	for (size_t i = 0; i < m->ntl; i++) {
		const struct rm_event *ev = &m->tl[i];
		unsigned col = hm_col_of(h, ev->ts_ns), kind = hm_kind(ev);
		uint64_t a, e;

		if (kind == RK_NOTIFY) {
			h->notify[col]++;
			h->totals[RK_NOTIFY]++;
			continue;
		}
		event_span(ev, h->page_size, &a, &e);
		for (unsigned j = first_band(h->bands, h->nbands, a);
		     j < h->nbands && h->bands[j].start < e; j++)
			add_to_band(h, &h->bands[j], a, e, col, kind);
	}
	for (size_t i = 0; i < (size_t)h->nrows * h->ncols; i++) {
		uint64_t s = 0;

		for (unsigned k = 0; k < HM_KINDS; k++)
			s += h->cells[i * HM_KINDS + k];
		if (s > h->max_cell)
			h->max_cell = s;
	}
	for (unsigned c = 0; c < h->ncols; c++)
		if (h->notify[c] > h->max_notify)
			h->max_notify = h->notify[c];
	return 0;
}

/* The title lines and the notes under the legend. */
static void write_texts(const struct heatmap *h, const struct rec_model *m, const char *path)
{
	const char *base;
	char buf[512];
	int n;

	n = snprintf(buf, sizeof(buf), "%s (pid %" PRId64 "), kernel %s, events from %s",
		     m->comm[0] ? m->comm : "?", m->pid, m->kernel[0] ? m->kernel : "?",
		     m->source[0] ? m->source : "?");
	if (m->poll && n > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, " every %" PRIu64 " ms", m->interval_ms);
	out_string(OUT_JSON, "title", "", buf);
	base = strrchr(path, '/');	/* the file's name: the picture travels, the directories need not */
	snprintf(buf, sizeof(buf), "%s: %.3f s, %" PRIu64 " events, %s%s", base ? base + 1 : path,
		 (double)(h->t1 - h->t0) / 1e9, m->events,
		 m->have_trailer ? "stopped: " : "incomplete: no trailer", m->stopped);
	out_string(OUT_JSON, "subtitle", "", buf);
	out_open_array("notes");
	if (h->outside) {
		snprintf(buf, sizeof(buf), "%" PRIu64 " page events outside the snapshots' VMAs",
			 h->outside);
		out_string(OUT_JSON, NULL, "", buf);
	}
	if (h->hidden_vmas) {
		snprintf(buf, sizeof(buf), "%u more busy VMAs (%" PRIu64 " page events) not drawn",
			 h->hidden_vmas, h->hidden);
		out_string(OUT_JSON, NULL, "", buf);
	}
	if (h->quiet_vmas) {
		snprintf(buf, sizeof(buf), "VMAs without page events, not drawn: %u", h->quiet_vmas);
		out_string(OUT_JSON, NULL, "", buf);
	}
	if (m->tl_dropped) {
		snprintf(buf, sizeof(buf), "%" PRIu64 " events past the first %u not drawn",
			 m->tl_dropped, RM_MAX_EVENTS);
		out_string(OUT_JSON, NULL, "", buf);
	}
	if (m->lost) {
		snprintf(buf, sizeof(buf), "%" PRIu64 " events lost while recording", m->lost);
		out_string(OUT_JSON, NULL, "", buf);
	}
	out_close_array();
}

void hm_write(const struct heatmap *h, const struct rec_model *m, const char *path, FILE *f)
{
	out_push_json(f);
	out_open_object(NULL);
	out_string(OUT_JSON, "format", "", "devexctl-heatmap");
	out_u64(OUT_JSON, "version", "", 1);
	write_texts(h, m, path);
	out_u64(OUT_JSON, "duration_ns", "", h->t1 - h->t0);
	out_u64(OUT_JSON, "columns", "", h->ncols);
	out_u64(OUT_JSON, "rows", "", h->nrows);
	out_u64(OUT_JSON, "page_size", "", h->page_size);
	out_u64(OUT_JSON, "max_cell", "", h->max_cell);
	out_open_array("kinds");
	for (unsigned k = 0; k < HM_KINDS; k++) {
		out_open_object(NULL);
		out_string(OUT_JSON, "name", "", rm_kind_names[k]);
		out_u64(OUT_JSON, "total", "", h->totals[k]);
		out_close_object();
	}
	out_close_array();
	out_open_array("vmas");
	for (unsigned i = 0; i < h->nbands; i++) {
		const struct hm_band *b = &h->bands[i];

		out_open_object(NULL);
		out_string(OUT_JSON, "name", "", b->name[0] ? b->name : "[anon]");
		out_string(OUT_JSON, "perms", "", b->perms);
		out_addr(OUT_JSON, "start", "", b->start);
		out_addr(OUT_JSON, "end", "", b->end);
		out_u64(OUT_JSON, "row", "", b->row);
		out_u64(OUT_JSON, "rows", "", b->rows);
		out_u64(OUT_JSON, "events", "", b->events);
		out_close_object();
	}
	out_close_array();
	/* Sparse: [row, column, kind, page events] for each cell and kind that has any. */
	out_open_array("cells");
	for (unsigned r = 0; r < h->nrows; r++)
		for (unsigned c = 0; c < h->ncols; c++)
			for (unsigned k = 0; k < HM_KINDS; k++) {
				uint64_t v = h->cells[((size_t)r * h->ncols + c) * HM_KINDS + k];

				if (!v)
					continue;
				out_open_array(NULL);
				out_u64(OUT_JSON, NULL, "", r);
				out_u64(OUT_JSON, NULL, "", c);
				out_u64(OUT_JSON, NULL, "", k);
				out_u64(OUT_JSON, NULL, "", v);
				out_close_array();
			}
	out_close_array();
	out_open_object("notifiers");
	out_u64(OUT_JSON, "total", "", h->totals[RK_NOTIFY]);
	out_u64(OUT_JSON, "max", "", h->max_notify);
	out_open_array("columns");	/* [column, invalidations] */
	for (unsigned c = 0; c < h->ncols; c++) {
		if (!h->notify[c])
			continue;
		out_open_array(NULL);
		out_u64(OUT_JSON, NULL, "", c);
		out_u64(OUT_JSON, NULL, "", h->notify[c]);
		out_close_array();
	}
	out_close_array();
	out_close_object();
	out_close_object();
	out_pop();
	fputc('\n', f);
}
