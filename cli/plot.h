/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devexctl-plot, the helper that draws report's heatmap with cairo (a
 * program of its own, so that devexctl does not load cairo): the grid it
 * reads (doc/heatmap.md) and the picture's fixed layout.
 */
#ifndef DEVEXCTL_PLOT_H
#define DEVEXCTL_PLOT_H

#include <cairo.h>
#include <stdint.h>

#define PLOT_KINDS 4		/* conversion, restore, removal, change */
#define PLOT_NOTES 8

/* The picture, in pixels: doc/heatmap.md documents them (tests find cells by them). */
#define PLOT_WIDTH 1000
#define PLOT_HEIGHT 600
#define GRID_X 230		/* the grid's rectangle */
#define GRID_Y 84
#define GRID_W 590
#define GRID_H 440
#define STRIP_Y 66		/* the notifier strip, above the grid, as wide */
#define STRIP_H 12
#define LEGEND_X 840

struct plot_vma {
	const char *name, *perms;
	uint64_t start, end, events;
	unsigned row, rows;
};

struct plot {
	const char *title, *subtitle;
	const char *notes[PLOT_NOTES];
	unsigned nnotes;
	uint64_t duration_ns, page_size, max_cell, max_notify, notify_total;
	unsigned cols, rows;
	const char *kind_names[PLOT_KINDS];
	uint64_t kind_totals[PLOT_KINDS];
	struct plot_vma *vmas;
	unsigned nvmas;
	uint64_t *cells;	/* [(row * cols + col) * PLOT_KINDS + kind] */
	uint64_t *notify;	/* [col] */
};

/* The kinds' colours, and the notifiers' (RGB, 0-255); the legend's order. */
extern const unsigned char plot_colors[PLOT_KINDS + 1][3];

/* The legend's swatch of kind @k (PLOT_KINDS: the notifiers'): its top left corner, 12 px square. */
#define SWATCH 12
void plot_swatch(unsigned k, double *x, double *y);

/* Draw @p on @cr (PLOT_WIDTH x PLOT_HEIGHT). */
void plot_draw(cairo_t *cr, const struct plot *p);

#endif
