/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data model of 'devexctl tui': the VMAs with their per-state counts,
 * the selected VMA's page map and the marked pages, with no curses in it
 * (tests/unit/test-tui-model.c drives it; the VMA panel's view of the list
 * is tui_vmapanel.h).
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
/*
 * Pages [first, first + n) (page indexes in the VMA) are in @state, in
 * address order: a group's first page starts it afresh (a walk's sink, a
 * replay's runs).
 */
void tui_pagemap_put(struct tui_pagemap *pm, uint64_t first, uint64_t n, int state);
/* The shown state of pages [first, first + n) (page indexes in the VMA). */
int tui_pagemap_state(const struct tui_pagemap *pm, uint64_t first, uint64_t n);
/* Pages per cell so that the map fits in @cells cells (a power of two). */
uint64_t tui_pagemap_cell_pages(const struct tui_pagemap *pm, uint64_t cells);

/* A state's count of @v, 0 until counted (sorting and totals). */
uint64_t tui_vma_count(const struct tui_vma *v, int state);

/*
 * The first row to show of @n rows in a window of @rows, from @top, so that
 * row @sel is in it and the window is as full as it can be.
 */
size_t tui_scroll(size_t top, size_t sel, size_t rows, size_t n);

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

#endif
