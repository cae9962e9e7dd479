/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The view model of 'devexctl tui': what each pane lists and what is
 * selected, with no curses in it (tests/unit/test_tui_model.c drives it).
 * Everything it shows comes from the same walker as 'maps' and 'pages'
 * (walk_vma); it only cuts the work into bounded steps so that a huge
 * process never blocks the keyboard, and keeps the last complete numbers
 * on screen while the next refresh runs.
 */
#ifndef DEVEXCTL_TUI_MODEL_H
#define DEVEXCTL_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "states.h"
#include "target.h"

/* One VMA row. */
struct tui_vma {
	uint64_t start, end, offset;
	char perms[5];
	char *name;			/* "" for anonymous */
	bool in_pagemap;
	bool counted;			/* counts[] hold a complete walk */
	bool notified;			/* an MMU-notifier interval covers part of it */
	uint64_t counts[PS_NR];
	uint64_t scan[PS_NR];		/* the walk in progress */
};

struct tui_vmalist {
	struct tui_vma *v;
	size_t n, cap;
};

/* Read the VMAs of @t (every mapping, address order). */
int tui_vmas_load(struct target *t, struct tui_vmalist *l);
void tui_vmas_free(struct tui_vmalist *l);
/* Take counts of VMAs with the same start and end over from @old. */
void tui_vmas_carry(struct tui_vmalist *l, const struct tui_vmalist *old);

/* An incremental per-VMA count: WALK_COUNTS, at most a budget per step. */
struct tui_counter {
	size_t vi;			/* VMA being counted */
	uint64_t pos;			/* next address in it */
	bool done;
};

/* Count up to @max_pages pages; 1 when all VMAs are counted, 0 when not, <0 error. */
int tui_count_step(struct target *t, struct tui_vmalist *l, struct tui_counter *c,
		   uint64_t max_pages);

/* Most notable first: the order in which a group of pages shows its state. */
int tui_state_rank(int state);

/* The page map of one VMA: the most notable state of each group of pages. */
#define TUI_MAP_MAX_GROUPS (1u << 20)
#define TUI_STATE_UNKNOWN 0xff

struct tui_pagemap {
	uint64_t start, end;		/* the VMA; 0, 0 when none */
	uint64_t npages;
	unsigned int gshift;		/* a group is 1 << gshift pages */
	uint64_t ngroups;
	uint8_t *gstate;		/* TUI_STATE_UNKNOWN until walked */
	uint64_t pos;			/* next address to walk */
	bool done;
	uint64_t counts[PS_NR];		/* of the walk in progress / last */
};

void tui_pagemap_reset(struct tui_pagemap *pm, uint64_t start, uint64_t end, uint64_t psz);
void tui_pagemap_free(struct tui_pagemap *pm);
/* Walk up to @max_pages more; 1 when done. */
int tui_pagemap_step(struct target *t, const struct tui_vma *v, struct tui_pagemap *pm,
		     uint64_t max_pages);
/* The shown state of pages [first, first + n) (page indexes in the VMA). */
int tui_pagemap_state(const struct tui_pagemap *pm, uint64_t first, uint64_t n);
/* Pages per cell so that the map fits in @cells cells (a power of two). */
uint64_t tui_pagemap_cell_pages(const struct tui_pagemap *pm, uint64_t cells);

/* Marked pages: a small list of disjoint address ranges. */
#define TUI_MAX_MARKS 64
struct tui_marks {
	uint64_t start[TUI_MAX_MARKS], end[TUI_MAX_MARKS];
	unsigned int n;
};

/* Toggle [s, e): unmark it when wholly marked, mark it otherwise. -ENOSPC when full. */
int tui_marks_toggle(struct tui_marks *mk, uint64_t s, uint64_t e);
bool tui_marks_has(const struct tui_marks *mk, uint64_t addr);
uint64_t tui_marks_bytes(const struct tui_marks *mk);

enum tui_sort {
	SORT_ADDR,
	SORT_SIZE,
	SORT_DEXCL,
	SORT_SWAPLIKE,
	SORT_PRESENT,
	SORT_NAME,
	SORT_NR
};

extern const char *const tui_sort_names[SORT_NR];

/* The VMA pane: the list, the rows shown (filter, sort), the selection. */
struct tui_model {
	struct tui_vmalist vmas;
	size_t *view;			/* indexes into vmas, in display order */
	size_t nview;
	size_t sel;			/* row in view */
	uint64_t sel_start;		/* the selected VMA, followed across refreshes */
	size_t top;			/* first row shown */
	enum tui_sort sort;
	bool sort_reverse;
	char filter[64];
	char search[64];
};

void tui_model_init(struct tui_model *m);
void tui_model_free(struct tui_model *m);
/* Replace the VMA list (keeps the counts it can and the selection). */
void tui_model_set_vmas(struct tui_model *m, struct tui_vmalist *l);
/* Recompute view[] from the filter and sort, keeping the selected VMA. */
void tui_model_rebuild(struct tui_model *m);
/* The selected VMA, or NULL when the view is empty. */
struct tui_vma *tui_model_selected(struct tui_model *m);
/* Move the selection by @delta rows (clamped); select row @row. */
void tui_model_move(struct tui_model *m, long delta);
void tui_model_select_row(struct tui_model *m, size_t row);
/* Keep the selection inside a window of @rows rows. */
void tui_model_scroll(struct tui_model *m, size_t rows);
/* Whether @v matches @text (name or address, case-insensitive). */
bool tui_vma_matches(const struct tui_vma *v, const char *text);
/* Select the next row matching m->search from the selection (@next: after it). */
bool tui_model_search(struct tui_model *m, bool next);
/* The device-exclusive count used for sorting and totals. */
uint64_t tui_vma_count(const struct tui_vma *v, int state);
/* Totals over the rows shown. */
void tui_model_totals(const struct tui_model *m, uint64_t *counts);

#endif
