// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl-plot svg|png: the heatmap grid of 'devexctl report --svg/--png'
 * (doc/heatmap.md) on standard input, the picture on standard output.
 * devexctl runs it (report_plot.c); it is a program of its own so that
 * devexctl does not load cairo and its libraries. Messages go to standard
 * error, one line; exit 0, 1 (bad input, cairo failed) or 2 (usage).
 */
#include "config.h"

#include <cairo.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"

#define MAX_CELLS (1u << 20)	/* rows x columns: report sends 96 x 120 */

static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("devexctl-plot: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static uint64_t get_u64(json_t *o, const char *k)
{
	json_t *x = json_object_get(o, k);

	if (!json_is_integer(x) || json_integer_value(x) < 0)
		die(1, "bad input: \"%s\" is missing or not a non-negative integer", k);
	return (uint64_t)json_integer_value(x);
}

static const char *get_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	if (!s)
		die(1, "bad input: \"%s\" is missing or not a string", k);
	return s;
}

static uint64_t get_addr(json_t *o, const char *k)
{
	const char *s = get_str(o, k);
	char *end;

	errno = 0;
	uint64_t v = strtoull(s, &end, 16);
	if (strncmp(s, "0x", 2) != 0 || *end || errno)
		die(1, "bad input: \"%s\" is not a \"0x...\" address", k);
	return v;
}

/* An array member [a, b, ...] of @n unsigned integers into @v. */
static void get_tuple(json_t *a, uint64_t *v, size_t n, const char *what)
{
	if (!json_is_array(a) || json_array_size(a) != n)
		die(1, "bad input: a member of \"%s\" is not an array of %zu numbers", what, n);
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(a, i);

		if (!json_is_integer(x) || json_integer_value(x) < 0)
			die(1, "bad input: a member of \"%s\" has a bad number", what);
		v[i] = (uint64_t)json_integer_value(x);
	}
}

static void parse_vmas(struct plot *p, json_t *vmas)
{
	size_t i;
	json_t *x;

	if (!json_is_array(vmas))
		die(1, "bad input: \"vmas\" is not an array");
	p->nvmas = (unsigned)json_array_size(vmas);
	p->vmas = calloc(p->nvmas ? p->nvmas : 1, sizeof(*p->vmas));
	if (!p->vmas)
		die(1, "out of memory");
	json_array_foreach(vmas, i, x) {
		struct plot_vma *v = &p->vmas[i];

		v->name = get_str(x, "name");
		v->perms = get_str(x, "perms");
		v->start = get_addr(x, "start");
		v->end = get_addr(x, "end");
		v->row = (unsigned)get_u64(x, "row");
		v->rows = (unsigned)get_u64(x, "rows");
		v->events = get_u64(x, "events");
		if (v->end <= v->start || v->rows == 0 || v->row > p->rows || v->rows > p->rows - v->row)
			die(1, "bad input: vma %zu: its addresses or rows are out of bounds", i);
	}
}

static void parse(struct plot *p, json_t *d)
{
	json_t *kinds = json_object_get(d, "kinds"), *notes = json_object_get(d, "notes");
	json_t *cells = json_object_get(d, "cells"), *nt = json_object_get(d, "notifiers"), *x;
	uint64_t v[4];
	size_t i;

	if (!json_is_object(d) || strcmp(get_str(d, "format"), "devexctl-heatmap") != 0)
		die(1, "bad input: not a devexctl-heatmap document");
	if (get_u64(d, "version") != 1)
		die(1, "bad input: version %" PRIu64 ": this devexctl-plot reads version 1",
		    get_u64(d, "version"));
	p->title = get_str(d, "title");
	p->subtitle = get_str(d, "subtitle");
	p->duration_ns = get_u64(d, "duration_ns");
	p->page_size = get_u64(d, "page_size");
	p->max_cell = get_u64(d, "max_cell");
	p->cols = (unsigned)get_u64(d, "columns");
	p->rows = (unsigned)get_u64(d, "rows");
	if (!p->cols || (uint64_t)p->cols * (p->rows ? p->rows : 1) > MAX_CELLS)
		die(1, "bad input: %u columns by %u rows", p->cols, p->rows);
	if (!json_is_array(kinds) || json_array_size(kinds) != PLOT_KINDS)
		die(1, "bad input: \"kinds\" is not an array of %d", PLOT_KINDS);
	json_array_foreach(kinds, i, x) {
		p->kind_names[i] = get_str(x, "name");
		p->kind_totals[i] = get_u64(x, "total");
	}
	json_array_foreach(notes, i, x)
		if (json_is_string(x) && p->nnotes < PLOT_NOTES)
			p->notes[p->nnotes++] = json_string_value(x);
	parse_vmas(p, json_object_get(d, "vmas"));
	p->cells = calloc((size_t)(p->rows ? p->rows : 1) * p->cols * PLOT_KINDS, sizeof(*p->cells));
	p->notify = calloc(p->cols, sizeof(*p->notify));
	if (!p->cells || !p->notify)
		die(1, "out of memory");
	if (!json_is_array(cells))
		die(1, "bad input: \"cells\" is not an array");
	json_array_foreach(cells, i, x) {
		get_tuple(x, v, 4, "cells");
		if (v[0] >= p->rows || v[1] >= p->cols || v[2] >= PLOT_KINDS)
			die(1, "bad input: cell %zu is outside the grid", i);
		p->cells[(v[0] * p->cols + v[1]) * PLOT_KINDS + v[2]] += v[3];
	}
	if (!json_is_object(nt) || !json_is_array(json_object_get(nt, "columns")))
		die(1, "bad input: \"notifiers\" is not an object with \"columns\"");
	p->notify_total = get_u64(nt, "total");
	p->max_notify = get_u64(nt, "max");
	json_array_foreach(json_object_get(nt, "columns"), i, x) {
		get_tuple(x, v, 2, "notifiers");
		if (v[0] >= p->cols)
			die(1, "bad input: notifier column %" PRIu64 " is outside the grid", v[0]);
		p->notify[v[0]] += v[1];
	}
}

struct buf {
	char *d;
	size_t n, cap;
};

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	struct buf *b = closure;

	if (b->n + len > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 65536) + len;
		char *d = realloc(b->d, cap);

		if (!d)
			return CAIRO_STATUS_NO_MEMORY;
		b->d = d;
		b->cap = cap;
	}
	memcpy(b->d + b->n, data, len);
	b->n += len;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_stdout(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	return fwrite(data, 1, len, stdout) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* @s with XML's special characters escaped. */
static void xml(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

/*
 * Cairo draws text as glyph outlines: the SVG gets the texts as <title> and
 * <desc> (for search, screen readers, tests) and the layout as <metadata>.
 */
static void svg_texts(FILE *f, const struct plot *p)
{
	fputs("<title>", f);
	xml(f, p->title);
	fputs("</title>\n<desc>", f);
	xml(f, p->subtitle);
	fputs(". Legend (page events):", f);
	for (unsigned k = 0; k < PLOT_KINDS; k++) {
		fputs(k ? ", " : " ", f);
		xml(f, p->kind_names[k]);
		fprintf(f, " %" PRIu64, p->kind_totals[k]);
	}
	fprintf(f, "; notifier invalidations %" PRIu64 ". VMAs:", p->notify_total);
	for (unsigned i = 0; i < p->nvmas; i++) {
		fputs(i ? "; " : " ", f);
		xml(f, p->vmas[i].name);
		fprintf(f, " 0x%" PRIx64 "-0x%" PRIx64, p->vmas[i].start, p->vmas[i].end);
	}
	if (!p->nvmas)
		fputs(" none (no page events in this recording)", f);
	fputs(".", f);
	for (unsigned i = 0; i < p->nnotes; i++) {
		fputc(' ', f);
		xml(f, p->notes[i]);
		fputc('.', f);
	}
	fprintf(f, "</desc>\n<metadata id=\"devexctl-heatmap\">{\"width\": %d, \"height\": %d, "
		"\"grid\": [%d, %d, %d, %d], \"notifier_strip\": [%d, %d, %d, %d], "
		"\"rows\": %u, \"columns\": %u, \"colors\": [", PLOT_WIDTH, PLOT_HEIGHT,
		GRID_X, GRID_Y, GRID_W, GRID_H, GRID_X, STRIP_Y, GRID_W, STRIP_H, p->rows, p->cols);
	for (unsigned k = 0; k <= PLOT_KINDS; k++)
		fprintf(f, "%s\"#%02x%02x%02x\"", k ? ", " : "", plot_colors[k][0],
			plot_colors[k][1], plot_colors[k][2]);
	fputs("], \"swatches\": [", f);
	for (unsigned k = 0; k <= PLOT_KINDS; k++) {
		double x, y;

		plot_swatch(k, &x, &y);
		fprintf(f, "%s[%g, %g, %d, %d]", k ? ", " : "", x, y, SWATCH, SWATCH);
	}
	fputs("]}</metadata>\n", f);
}

static void write_svg(const struct plot *p)
{
	struct buf b = { 0 };
	cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_buf, &b, PLOT_WIDTH, PLOT_HEIGHT);
	cairo_t *cr = cairo_create(s);
	char *svg, *gt;

	plot_draw(cr, p);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		die(1, "cairo: %s", cairo_status_to_string(cairo_surface_status(s)));
	cairo_surface_destroy(s);
	if (!to_buf(&b, (const unsigned char *)"", 1) && b.d &&
	    (svg = strstr(b.d, "<svg")) && (gt = strchr(svg, '>'))) {
		/* Cairo sizes the picture in pt: say pixels, as the PNG has. */
		fwrite(b.d, 1, (size_t)(svg - b.d), stdout);
		printf("<svg xmlns=\"http://www.w3.org/2000/svg\" "
		       "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"%d\" height=\"%d\" "
		       "viewBox=\"0 0 %d %d\" version=\"1.1\">\n", PLOT_WIDTH, PLOT_HEIGHT,
		       PLOT_WIDTH, PLOT_HEIGHT);
		svg_texts(stdout, p);
		fputs(gt + 1, stdout);
	} else {
		die(1, "cairo wrote no <svg> element");
	}
	free(b.d);
}

static void write_png(const struct plot *p)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, PLOT_WIDTH, PLOT_HEIGHT);
	cairo_t *cr = cairo_create(s);
	cairo_status_t st;

	plot_draw(cr, p);
	cairo_destroy(cr);
	st = cairo_surface_write_to_png_stream(s, to_stdout, NULL);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS)
		die(1, "writing the PNG: %s", cairo_status_to_string(st));
}

int main(int argc, char **argv)
{
	struct plot p = { 0 };
	json_error_t jerr;
	json_t *d;

	if (argc != 2 || (strcmp(argv[1], "svg") != 0 && strcmp(argv[1], "png") != 0))
		die(2, "usage: devexctl-plot svg|png < GRID > PICTURE (the grid: doc/heatmap.md)");
	d = json_loadf(stdin, 0, &jerr);
	if (!d)
		die(1, "bad input: line %d: %s", jerr.line, jerr.text);
	parse(&p, d);
	if (strcmp(argv[1], "svg") == 0)
		write_svg(&p);
	else
		write_png(&p);
	if (fflush(stdout) != 0 || ferror(stdout))
		die(1, "writing the picture: %s", strerror(errno));
	free(p.vmas);
	free(p.cells);
	free(p.notify);
	json_decref(d);
	/* Everything back, fontconfig's configuration too: leak checkers stay quiet. */
	cairo_debug_reset_static_data();
	FcFini();
	return 0;
}
