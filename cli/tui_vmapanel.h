/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tui's VMA panel: the VMA list it shows, and its view of it (filter,
 * sort, selection, search, scrolling), with no curses in it
 * (tests/unit/test-tui-model.c drives it).
 */
#ifndef DEVEXCTL_TUI_VMAPANEL_H
#define DEVEXCTL_TUI_VMAPANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui_model.h"

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

/* The VMA panel: the list, the rows shown (filter, sort), the selection. */
struct tui_vmapanel {
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

void tui_vmapanel_init(struct tui_vmapanel *m);
void tui_vmapanel_free(struct tui_vmapanel *m);
/* Replace the VMA list (keeps the counts it can and the selection). */
void tui_vmapanel_set_vmas(struct tui_vmapanel *m, struct tui_vmalist *l);
/* Recompute view[] from the filter and sort, keeping the selected VMA. */
void tui_vmapanel_rebuild(struct tui_vmapanel *m);
/* The selected VMA, or NULL when the view is empty. */
const struct tui_vma *tui_vmapanel_selected(const struct tui_vmapanel *m);
/* Move the selection by @delta rows (clamped); select row @row. */
void tui_vmapanel_move(struct tui_vmapanel *m, long delta);
void tui_vmapanel_select_row(struct tui_vmapanel *m, size_t row);
/* Keep the selection inside a window of @rows rows. */
void tui_vmapanel_scroll(struct tui_vmapanel *m, size_t rows);
/* Whether @v matches @text (name or address, case-insensitive). */
bool tui_vma_matches(const struct tui_vma *v, const char *text);
/* Select the next row matching m->search from the selection (@next: after it). */
bool tui_vmapanel_search(struct tui_vmapanel *m, bool next);
/* Totals over the rows shown. */
void tui_vmapanel_totals(const struct tui_vmapanel *m, uint64_t *counts);

#endif
