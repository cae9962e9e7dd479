// SPDX-License-Identifier: GPL-2.0-or-later
/* The tui's VMA panel: its list's filter, sort, selection and search (no curses). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui_vmapanel.h"

const char *const tui_sort_names[SORT_NR] = {
	[SORT_ADDR] = "address", [SORT_SIZE] = "size", [SORT_DEXCL] = "device-exclusive",
	[SORT_SWAPLIKE] = "swap-like", [SORT_PRESENT] = "present", [SORT_NAME] = "name",
};

void tui_vmapanel_init(struct tui_vmapanel *m)
{
	memset(m, 0, sizeof(*m));
}

void tui_vmapanel_free(struct tui_vmapanel *m)
{
	tui_vmas_free(&m->vmas);
	free(m->view);
	m->view = NULL;
	m->nview = 0;
}

bool tui_vma_matches(const struct tui_vma *v, const char *text)
{
	char addr[40];

	if (!text[0])
		return true;
	if (strcasestr(v->name, text) || (!v->name[0] && strcasestr("[anon]", text)))
		return true;
	/* An address: the VMA that holds it, or whose start begins with it. */
	if (strncasecmp(text, "0x", 2) == 0)
		text += 2;
	if (text[0] && text[strspn(text, "0123456789abcdefABCDEF")] == '\0') {
		uint64_t a = strtoull(text, NULL, 16);

		if (a >= v->start && a < v->end)
			return true;
		snprintf(addr, sizeof(addr), "%" PRIx64, v->start);
		return strncasecmp(addr, text, strlen(text)) == 0;
	}
	return false;
}

/* qsort has no context argument: the panel being sorted. */
static const struct tui_vmapanel *sort_panel;

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct tui_vmapanel *m = sort_panel;
	const struct tui_vma *a = &m->vmas.v[*(const size_t *)pa];
	const struct tui_vma *b = &m->vmas.v[*(const size_t *)pb];
	int c = 0;

	switch (m->sort) {
	case SORT_ADDR:
		break;
	case SORT_SIZE:
		c = cmp_u64_desc(a->end - a->start, b->end - b->start);
		break;
	case SORT_DEXCL:
		c = cmp_u64_desc(tui_vma_count(a, PS_DEVICE_EXCLUSIVE), tui_vma_count(b, PS_DEVICE_EXCLUSIVE));
		break;
	case SORT_SWAPLIKE:
		c = cmp_u64_desc(tui_vma_count(a, PS_SWAP_LIKE), tui_vma_count(b, PS_SWAP_LIKE));
		break;
	case SORT_PRESENT:
		c = cmp_u64_desc(tui_vma_count(a, PS_PRESENT), tui_vma_count(b, PS_PRESENT));
		break;
	case SORT_NAME:
		c = strcmp(a->name, b->name);
		break;
	case SORT_NR:
		break;
	}
	if (m->sort_reverse)
		c = -c;
	if (c == 0)	/* ties (and the address sort): address order, stable */
		c = a->start < b->start ? -1 : a->start > b->start;
	return c;
}

void tui_vmapanel_rebuild(struct tui_vmapanel *m)
{
	size_t *view = realloc(m->view, (m->vmas.n ? m->vmas.n : 1) * sizeof(*view));

	if (!view)
		return;	/* keep the old view; the next rebuild tries again */
	m->view = view;
	m->nview = 0;
	for (size_t i = 0; i < m->vmas.n; i++)
		if (tui_vma_matches(&m->vmas.v[i], m->filter))
			m->view[m->nview++] = i;
	sort_panel = m;
	qsort(m->view, m->nview, sizeof(*m->view), cmp_rows);
	sort_panel = NULL;
	/* Follow the selected VMA; else the row at or after its address. */
	m->sel = 0;
	for (size_t r = 0; r < m->nview; r++) {
		const struct tui_vma *v = &m->vmas.v[m->view[r]];

		if (v->start == m->sel_start) {
			m->sel = r;
			break;
		}
		if (m->sort == SORT_ADDR && !m->sort_reverse && v->start < m->sel_start)
			m->sel = r + 1 < m->nview ? r + 1 : r;
	}
	if (m->nview)
		m->sel_start = m->vmas.v[m->view[m->sel]].start;
}

void tui_vmapanel_set_vmas(struct tui_vmapanel *m, struct tui_vmalist *l)
{
	tui_vmas_carry(l, &m->vmas);
	tui_vmas_free(&m->vmas);
	m->vmas = *l;
	memset(l, 0, sizeof(*l));
	tui_vmapanel_rebuild(m);
}

const struct tui_vma *tui_vmapanel_selected(const struct tui_vmapanel *m)
{
	return m->nview ? &m->vmas.v[m->view[m->sel]] : NULL;
}

void tui_vmapanel_select_row(struct tui_vmapanel *m, size_t row)
{
	if (!m->nview)
		return;
	m->sel = row < m->nview ? row : m->nview - 1;
	m->sel_start = m->vmas.v[m->view[m->sel]].start;
}

void tui_vmapanel_move(struct tui_vmapanel *m, long delta)
{
	long row = (long)m->sel + delta;

	if (row < 0)
		row = 0;
	tui_vmapanel_select_row(m, (size_t)row);
}

void tui_vmapanel_scroll(struct tui_vmapanel *m, size_t rows)
{
	m->top = tui_scroll(m->top, m->sel, rows, m->nview);
}

bool tui_vmapanel_search(struct tui_vmapanel *m, bool next)
{
	for (size_t i = 0; i < m->nview; i++) {
		size_t r = (m->sel + i + (next ? 1 : 0)) % m->nview;

		if (tui_vma_matches(&m->vmas.v[m->view[r]], m->search)) {
			tui_vmapanel_select_row(m, r);
			return true;
		}
	}
	return false;
}

void tui_vmapanel_totals(const struct tui_vmapanel *m, uint64_t *counts)
{
	memset(counts, 0, PS_NR * sizeof(*counts));
	for (size_t r = 0; r < m->nview; r++)
		for (int s = 0; s < PS_NR; s++)
			counts[s] += tui_vma_count(&m->vmas.v[m->view[r]], s);
}
