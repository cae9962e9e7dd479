/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report --svg/--png: a recording's timeline (record_model.h) bucketed into
 * a grid of address rows by time columns, and written for the plot helper
 * (devexctl-plot) in the format doc/heatmap.md describes. No cairo here:
 * the helper draws, so that devexctl itself does not link it.
 */
#ifndef DEVEXCTL_REPORT_HEATMAP_H
#define DEVEXCTL_REPORT_HEATMAP_H

#include <stdint.h>
#include <stdio.h>

#include "record_model.h"

/* The kinds a cell counts (enum rm_kind up to RK_NOTIFY); notifiers are a strip of their own. */
#define HM_KINDS RK_NOTIFY

#define HM_COLS 120		/* time columns */
#define HM_ROWS 96		/* address rows at most */
#define HM_MIN_ROWS 4		/* rows of a busy VMA at least (fewer when it has fewer pages) */
#define HM_MAX_VMAS 16		/* busy VMAs drawn at most: the busiest, in address order */

/* One busy VMA (overlapping VMAs of the two snapshots merged): its rows. */
struct hm_band {
	uint64_t start, end;
	char name[128];
	char perms[5];
	unsigned row, rows;	/* its first row, and how many */
	uint64_t events;	/* page events in it */
};

struct heatmap {
	unsigned ncols, nrows;
	uint64_t t0, t1;		/* the time span the columns divide (ns, CLOCK_MONOTONIC) */
	uint64_t page_size;
	uint64_t *cells;		/* [(row * ncols + col) * HM_KINDS + kind]: page events */
	uint64_t *notify;		/* [col]: notifier invalidations */
	struct hm_band *bands;
	unsigned nbands;
	uint64_t totals[RK_NR];		/* page events drawn per kind; [RK_NOTIFY]: invalidations */
	uint64_t max_cell;		/* the largest cell (all kinds) */
	uint64_t max_notify;
	uint64_t outside;		/* page events outside every recorded VMA */
	uint64_t hidden;		/* page events in busy VMAs not drawn (past HM_MAX_VMAS) */
	unsigned hidden_vmas;
	unsigned quiet_vmas;		/* VMAs without page events: no rows */
};

/*
 * The kind an event is drawn as: a polled change into device-exclusive is a
 * conversion, out of it to present a restore, out of it otherwise a
 * removal (as report's VMA table counts them); other changes stay changes.
 */
unsigned hm_kind(const struct rm_event *e);

/*
 * Fill @h from @m: @ncols columns over start_ns..end (the end snapshot, or
 * the last event), at most @maxrows rows. 0 or -ENOMEM; hm_free() either way.
 */
int hm_build(struct heatmap *h, const struct rec_model *m, unsigned ncols, unsigned maxrows);
void hm_free(struct heatmap *h);

/* The row @addr falls in, or -1 (tests, and the helper's address ticks follow the same rule). */
int hm_row_of(const struct heatmap *h, uint64_t addr);
/* The column of time @ts. */
unsigned hm_col_of(const struct heatmap *h, uint64_t ts);

/* The grid as the helper reads it (doc/heatmap.md), one JSON document into @f. */
void hm_write(const struct heatmap *h, const struct rec_model *m, const char *path, FILE *f);

/* report's options (report_opts[], report_plot.c), and what they drive. */
enum report_opt { ROPT_SVG, ROPT_PNG, ROPT_NR };

struct cmd_ctx;
/*
 * Draw the pictures report's options ask for (none: nothing) with the
 * helper devexctl-plot (DEVEXCTL_PLOT, else its installed path): each into
 * a temporary name beside its file, renamed when the helper succeeded. 0,
 * or a negative errno with the message recorded (errors.h).
 */
int report_pictures(const struct cmd_ctx *c, const struct rec_model *m, const char *path,
		    struct heatmap *h);
/* The files written (text: a line each; JSON: "heatmap"). */
void report_pictures_print(const struct cmd_ctx *c, const struct heatmap *h);

#endif
