// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The heatmap's picture (plot.h): title, notifier strip, the grid with a
 * band per VMA (labels on the left), the time axis below, the legend on the
 * right. Text with cairo's toy API in DejaVu Sans (fontconfig finds it).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "plot.h"

const unsigned char plot_colors[PLOT_KINDS + 1][3] = {
	{ 0xd6, 0x27, 0x28 },	/* conversion: red */
	{ 0x2c, 0xa0, 0x2c },	/* restore: green */
	{ 0x1f, 0x77, 0xb4 },	/* removal: blue */
	{ 0x94, 0x67, 0xbd },	/* change: purple */
	{ 0xff, 0x7f, 0x0e },	/* notifier invalidations: orange */
};

#define FONT "DejaVu Sans"
#define EMPTY 0.95		/* the grid's background grey */

static void rgb(cairo_t *cr, double v)
{
	cairo_set_source_rgb(cr, v, v, v);
}

/* Colour @c at depth @a (0: white, 1: the colour itself). */
static void tint(cairo_t *cr, const unsigned char c[3], double a)
{
	cairo_set_source_rgb(cr, 1 - a * (1 - c[0] / 255.0), 1 - a * (1 - c[1] / 255.0),
			     1 - a * (1 - c[2] / 255.0));
}

/* The depth of @n among counts up to @max: 0.3 for one, 1 for the largest, log scale. */
static double depth(uint64_t n, uint64_t max)
{
	if (max <= 1)
		return 1;
	return 0.3 + 0.7 * log1p((double)n - 1) / log1p((double)max - 1);
}

static void font(cairo_t *cr, double size, bool bold)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

/* @s at (@x, @y), its right end at most at @maxw from @x (cut with "..."); align: 0 left, 1 right, 0.5 centre. */
static void text(cairo_t *cr, double x, double y, const char *s, double maxw, double align)
{
	cairo_text_extents_t e;
	char buf[160];
	size_t n;

	snprintf(buf, sizeof(buf), "%s", s);
	cairo_text_extents(cr, buf, &e);
	for (n = strlen(buf); maxw > 0 && e.x_advance > maxw && n > 4; n--) {
		while (n > 4 && (buf[n - 4] & 0xc0) == 0x80)	/* not inside a UTF-8 character */
			n--;
		memcpy(buf + n - 4, "...", 4);
		cairo_text_extents(cr, buf, &e);
	}
	cairo_move_to(cr, x - align * e.x_advance, y);
	cairo_show_text(cr, buf);
}

/* Word-wrapped @s in @w pixels from (@x, @y); returns the y below it. */
static double wrapped(cairo_t *cr, double x, double y, double w, double lh, const char *s)
{
	char line[160] = "", test[320];
	cairo_text_extents_t e;
	const char *p = s;

	while (*p) {
		size_t n = strcspn(p, " ");

		snprintf(test, sizeof(test), "%s%s%.*s", line, line[0] ? " " : "", (int)n, p);
		cairo_text_extents(cr, test, &e);
		if (e.x_advance > w && line[0]) {
			text(cr, x, y, line, w, 0);
			y += lh;
			snprintf(line, sizeof(line), "%.*s", (int)n, p);
		} else {
			snprintf(line, sizeof(line), "%s", test);
		}
		p += n;
		p += strspn(p, " ");
	}
	if (line[0]) {
		text(cr, x, y, line, w, 0);
		y += lh;
	}
	return y;
}

static double cell_x(const struct plot *p, unsigned c)
{
	return GRID_X + (double)c * GRID_W / p->cols;
}

static double cell_y(const struct plot *p, unsigned r)
{
	return GRID_Y + (double)r * GRID_H / p->rows;
}

static void draw_cells(cairo_t *cr, const struct plot *p)
{
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);	/* no seams between cells */
	for (unsigned r = 0; r < p->rows; r++)
		for (unsigned c = 0; c < p->cols; c++) {
			const uint64_t *v = &p->cells[((size_t)r * p->cols + c) * PLOT_KINDS];
			uint64_t sum = 0;
			unsigned top = 0;

			for (unsigned k = 0; k < PLOT_KINDS; k++) {
				sum += v[k];
				if (v[k] > v[top])
					top = k;
			}
			if (!sum)
				continue;
			tint(cr, plot_colors[top], depth(sum, p->max_cell));
			cairo_rectangle(cr, cell_x(p, c), cell_y(p, r),
					cell_x(p, c + 1) - cell_x(p, c), cell_y(p, r + 1) - cell_y(p, r));
			cairo_fill(cr);
		}
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
}

static void draw_strip(cairo_t *cr, const struct plot *p)
{
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	for (unsigned c = 0; c < p->cols; c++) {
		if (!p->notify[c])
			continue;
		tint(cr, plot_colors[PLOT_KINDS], depth(p->notify[c], p->max_notify));
		cairo_rectangle(cr, cell_x(p, c), STRIP_Y, cell_x(p, c + 1) - cell_x(p, c), STRIP_H);
		cairo_fill(cr);
	}
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
}

/* "64 KiB": a VMA's size. */
static void size_text(char *buf, size_t len, uint64_t bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;

	while (bytes >= 10240 && u < 4) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", bytes, unit[u]);
}

/* A band per VMA: its separator line, and on the left its name, start, size. */
static void draw_bands(cairo_t *cr, const struct plot *p)
{
	for (unsigned i = 0; i < p->nvmas; i++) {
		const struct plot_vma *v = &p->vmas[i];
		double y = cell_y(p, v->row), h = cell_y(p, v->row + v->rows) - y;
		const char *base = strrchr(v->name, '/');
		char addr[24], line[200], size[24];

		base = v->name[0] == '/' && base && base[1] ? base + 1 : v->name;
		snprintf(addr, sizeof(addr), "0x%" PRIx64, v->start);
		size_text(size, sizeof(size), v->end - v->start);
		rgb(cr, 0.45);
		cairo_set_line_width(cr, 1);
		cairo_move_to(cr, i ? GRID_X : GRID_X - 6, floor(y) + 0.5);
		cairo_line_to(cr, GRID_X + GRID_W, floor(y) + 0.5);
		cairo_stroke(cr);
		rgb(cr, 0);
		if (h >= 26) {
			font(cr, 11, true);
			text(cr, 8, y + 12, base, GRID_X - 16, 0);
			font(cr, 10, false);
			text(cr, 8, y + 24, addr, GRID_X - 16, 0);
			if (h >= 38) {
				snprintf(line, sizeof(line), "%s, %s", size, v->perms);
				rgb(cr, 0.35);
				text(cr, 8, y + 36, line, GRID_X - 16, 0);
			}
			if (h >= 64) {	/* where the band ends */
				snprintf(addr, sizeof(addr), "0x%" PRIx64, v->end);
				text(cr, 8, y + h - 3, addr, GRID_X - 16, 0);
			}
		} else {
			font(cr, 10, false);
			snprintf(line, sizeof(line), "%s  %s", addr, base);
			text(cr, 8, y + (h < 12 ? h : 12) - 1, line, GRID_X - 16, 0);
		}
	}
}

/* A round step for about 8 ticks over @d seconds. */
static double tick_step(double d)
{
	double s = pow(10, floor(log10(d / 8))), f = d / 8 / s;

	return f < 1.5 ? s : f < 3.5 ? 2 * s : f < 7.5 ? 5 * s : 10 * s;
}

static void draw_axes(cairo_t *cr, const struct plot *p)
{
	/* The unit that makes the span at least 1: s, ms or us. */
	static const struct { const char *name; double ns; } units[] = {
		{ "s", 1e9 }, { "ms", 1e6 }, { "\xc2\xb5s", 1e3 },
	};
	unsigned u = 0;
	double d, step;
	char buf[96];
	int prec;

	while (u < 2 && p->duration_ns < units[u].ns)
		u++;
	d = p->duration_ns / units[u].ns;
	step = d > 0 ? tick_step(d) : 1;
	prec = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;
	rgb(cr, 0.3);
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, GRID_X - 0.5, GRID_Y - 0.5, GRID_W + 1, GRID_H + 1);
	cairo_rectangle(cr, GRID_X - 0.5, STRIP_Y - 0.5, GRID_W + 1, STRIP_H + 1);
	cairo_stroke(cr);
	font(cr, 10, false);
	for (double t = 0; t <= d * (1 + 1e-9) + (d <= 0); t += step) {
		double x = GRID_X + (d > 0 ? t / d : 0) * GRID_W;

		cairo_move_to(cr, floor(x) + 0.5, GRID_Y + GRID_H);
		cairo_line_to(cr, floor(x) + 0.5, GRID_Y + GRID_H + 5);
		cairo_stroke(cr);
		snprintf(buf, sizeof(buf), "%.*f", prec, t);
		text(cr, x, GRID_Y + GRID_H + 17, buf, 0, 0.5);
	}
	font(cr, 11, false);
	snprintf(buf, sizeof(buf), "time (%s) since the recording began; %u columns of %.3g %s",
		 units[u].name, p->cols, d / p->cols, units[u].name);
	text(cr, GRID_X + GRID_W / 2.0, GRID_Y + GRID_H + 36, buf, 0, 0.5);
	font(cr, 10, false);
	text(cr, GRID_X - 6, STRIP_Y + STRIP_H - 2, "notifiers", 0, 1);
	if (!p->notify_total) {
		rgb(cr, 0.5);
		text(cr, GRID_X + 4, STRIP_Y + STRIP_H - 2, "none recorded", 0, 0);
	}
	rgb(cr, 0.3);
	text(cr, 8, GRID_Y - 4, "VMA (addresses grow down)", GRID_X - 16, 0);
	if (!p->nvmas) {
		font(cr, 16, false);
		text(cr, GRID_X + GRID_W / 2.0, GRID_Y + GRID_H / 2.0, "no page events in this recording",
		     0, 0.5);
	}
}

void plot_swatch(unsigned k, double *x, double *y)
{
	*x = LEGEND_X;
	*y = GRID_Y + 18 + 18.0 * k;
}

static void draw_legend(cairo_t *cr, const struct plot *p)
{
	double y = GRID_Y + 10, w = PLOT_WIDTH - LEGEND_X - 8;
	char buf[64];

	rgb(cr, 0);
	font(cr, 11, true);
	text(cr, LEGEND_X, y, "page events", w, 0);
	y += 18;
	for (unsigned k = 0; k <= PLOT_KINDS; k++) {
		double sx, sy;

		plot_swatch(k, &sx, &sy);
		tint(cr, plot_colors[k], 1);
		cairo_rectangle(cr, sx, sy, SWATCH, SWATCH);
		cairo_fill(cr);
		rgb(cr, 0);
		font(cr, 11, false);
		text(cr, LEGEND_X + 18, y, k < PLOT_KINDS ? p->kind_names[k] : "notifier", w - 18, 0);
		snprintf(buf, sizeof(buf), "%" PRIu64, k < PLOT_KINDS ? p->kind_totals[k] : p->notify_total);
		text(cr, PLOT_WIDTH - 8, y, buf, 0, 1);
		y += 18;
	}
	y += 8;
	font(cr, 10, false);
	rgb(cr, 0.2);
	y = wrapped(cr, LEGEND_X, y, w,  13, "Colour: the kind with the most page events in the "
		    "cell; depth: how many (log scale):");
	y += 2;
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	for (int i = 0; i < 5; i++) {
		static const unsigned char grey[3] = { 0x30, 0x30, 0x30 };

		tint(cr, grey, 0.3 + 0.7 * i / 4.0);
		cairo_rectangle(cr, LEGEND_X + i * 24, y, 24, 10);
		cairo_fill(cr);
	}
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
	rgb(cr, 0.2);
	text(cr, LEGEND_X, y + 22, "1", 0, 0);
	snprintf(buf, sizeof(buf), "%" PRIu64, p->max_cell ? p->max_cell : 1);
	text(cr, LEGEND_X + 120, y + 22, buf, 0, 1);
	y += 40;
	font(cr, 9, false);
	for (unsigned i = 0; i < p->nnotes; i++)
		y = wrapped(cr, LEGEND_X, y, w, 12, p->notes[i]) + 4;
}

void plot_draw(cairo_t *cr, const struct plot *p)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	rgb(cr, 0);
	font(cr, 15, true);
	text(cr, 8, 22, p->title, PLOT_WIDTH - 16, 0);
	rgb(cr, 0.3);
	font(cr, 11, false);
	text(cr, 8, 42, p->subtitle, PLOT_WIDTH - 16, 0);
	rgb(cr, EMPTY);
	cairo_rectangle(cr, GRID_X, GRID_Y, GRID_W, GRID_H);
	cairo_rectangle(cr, GRID_X, STRIP_Y, GRID_W, STRIP_H);
	cairo_fill(cr);
	if (p->rows)
		draw_cells(cr, p);
	draw_strip(cr, p);
	draw_bands(cr, p);
	draw_axes(cr, p);
	draw_legend(cr, p);
}
