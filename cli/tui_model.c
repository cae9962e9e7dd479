// SPDX-License-Identifier: GPL-2.0-or-later
/* The tui data model: VMA rows, incremental counts, the page map, marks. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errors.h"
#include "range.h"
#include "tui_model.h"
#include "vmas.h"
#include "walk.h"

/* VMA list */

static int load_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct tui_vmalist *l = ctx;
	struct tui_vma *r;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct tui_vma *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		l->v = nv;
		l->cap = cap;
	}
	r = &l->v[l->n];
	memset(r, 0, sizeof(*r));
	r->start = v->start;
	r->end = v->end;
	r->offset = v->offset;
	memcpy(r->perms, v->perms, sizeof(r->perms));
	r->name = strdup(v->name);
	if (!r->name)
		return -ENOMEM;
	r->in_pagemap = vma_in_pagemap(v);
	r->counted = !r->in_pagemap;	/* nothing to walk: zero counts are complete */
	l->n++;
	return 0;
}

int tui_vmas_load(struct target *t, struct tui_vmalist *l)
{
	struct range all;
	unsigned long n;

	memset(l, 0, sizeof(*l));
	range_all(&all);
	return vmas_foreach(t, &all, load_vma, l, &n);
}

void tui_vmas_free(struct tui_vmalist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void tui_vmas_carry(struct tui_vmalist *l, const struct tui_vmalist *old)
{
	size_t j = 0;

	/* Both lists are in address order: one merge pass. */
	for (size_t i = 0; i < l->n; i++) {
		struct tui_vma *v = &l->v[i];

		while (j < old->n && old->v[j].start < v->start)
			j++;
		if (j < old->n && old->v[j].start == v->start && old->v[j].end == v->end &&
		    old->v[j].counted) {
			memcpy(v->counts, old->v[j].counts, sizeof(v->counts));
			v->counted = true;
			v->notified = old->v[j].notified;
		}
	}
}

/* Incremental counts */

size_t tui_scroll(size_t top, size_t sel, size_t rows, size_t n)
{
	if (rows == 0)
		rows = 1;
	if (sel < top)
		top = sel;
	if (sel >= top + rows)
		top = sel - rows + 1;
	if (top + rows > n)
		top = n > rows ? n - rows : 0;
	return top;
}

uint64_t tui_vma_count(const struct tui_vma *v, int state)
{
	return v->counted ? v->counts[state] : 0;
}

static int add_counts(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	uint64_t *counts = ctx;

	counts[pi->state] += n;
	return 0;
}

static struct vma as_vma(const struct tui_vma *r)
{
	struct vma v = { .start = r->start, .end = r->end, .offset = r->offset, .name = r->name };

	memcpy(v.perms, r->perms, sizeof(v.perms));
	return v;
}

int tui_count_step(struct target *t, struct tui_vmalist *l, struct tui_counter *c,
		   uint64_t max_pages)
{
	struct walker w;

	walker_init(&w, t, 0);
	while (c->vi < l->n && max_pages) {
		struct tui_vma *r = &l->v[c->vi];
		struct page_sink sink = { .ctx = r->scan, .emit = add_counts };
		struct vma v = as_vma(r);
		uint64_t end;
		int err;

		if (!r->in_pagemap) {
			c->vi++;
			c->pos = 0;
			continue;
		}
		if (c->pos < r->start || c->pos > r->end) {
			c->pos = r->start;
			memset(r->scan, 0, sizeof(r->scan));
		}
		end = r->end;
		if ((end - c->pos) / t->page_size > max_pages)
			end = c->pos + max_pages * t->page_size;
		err = walk_vma(&w, &v, c->pos, end, WALK_COUNTS, &sink);
		if (err) {
			walker_finish(&w);
			return err;
		}
		max_pages -= (end - c->pos) / t->page_size;
		c->pos = end;
		if (c->pos == r->end) {
			memcpy(r->counts, r->scan, sizeof(r->counts));
			r->counted = true;
			c->vi++;
			c->pos = 0;
		}
	}
	walker_finish(&w);
	c->done = c->vi >= l->n;
	return c->done ? 1 : 0;
}

/* Page map */

/* Most notable first; index = state. */
static const uint8_t rank_of[PS_NR] = {
	[PS_DEVICE_EXCLUSIVE] = 0, [PS_DEVICE_PRIVATE] = 1, [PS_MIGRATION] = 2,
	[PS_HWPOISON] = 3, [PS_SWAP_LIKE] = 4, [PS_SWAP] = 5, [PS_MARKER] = 6,
	[PS_PRESENT] = 7, [PS_NONE] = 8,
};

int tui_state_rank(int state)
{
	return state >= 0 && state < PS_NR ? rank_of[state] : PS_NR;
}

static int more_notable(int a, int b)
{
	if (a == TUI_STATE_UNKNOWN)
		return b;
	if (b == TUI_STATE_UNKNOWN)
		return a;
	return tui_state_rank(a) <= tui_state_rank(b) ? a : b;
}

void tui_pagemap_reset(struct tui_pagemap *pm, uint64_t start, uint64_t end, uint64_t psz)
{
	free(pm->gstate);
	memset(pm, 0, sizeof(*pm));
	pm->start = start;
	pm->end = end;
	pm->pos = start;
	pm->npages = psz ? (end - start) / psz : 0;
	while ((pm->npages >> pm->gshift) > TUI_MAP_MAX_GROUPS)
		pm->gshift++;
	pm->ngroups = (pm->npages + (1ULL << pm->gshift) - 1) >> pm->gshift;
	pm->gstate = pm->ngroups ? malloc(pm->ngroups) : NULL;
	if (pm->gstate)
		memset(pm->gstate, TUI_STATE_UNKNOWN, pm->ngroups);
	else
		pm->ngroups = 0;
	pm->done = pm->npages == 0;
}

void tui_pagemap_free(struct tui_pagemap *pm)
{
	free(pm->gstate);
	memset(pm, 0, sizeof(*pm));
}

struct map_ctx {
	struct tui_pagemap *pm;
	uint64_t psz;
	bool *seen;		/* first page of the walk: a group is overwritten, not merged */
};

void tui_pagemap_put(struct tui_pagemap *pm, uint64_t first, uint64_t n, int state)
{
	if (!n || !pm->gstate)
		return;
	pm->counts[state] += n;
	for (uint64_t g = first >> pm->gshift; g <= (first + n - 1) >> pm->gshift && g < pm->ngroups; g++) {
		/* The first page of a group starts it afresh: a rewalk replaces. */
		if ((g << pm->gshift) >= first)
			pm->gstate[g] = (uint8_t)state;
		else
			pm->gstate[g] = (uint8_t)more_notable(pm->gstate[g], state);
	}
}

static int map_emit(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	struct map_ctx *mc = ctx;

	tui_pagemap_put(mc->pm, (addr - mc->pm->start) / mc->psz, n, pi->state);
	return 0;
}

int tui_pagemap_step(struct target *t, const struct tui_vma *r, struct tui_pagemap *pm,
		     uint64_t max_pages)
{
	struct map_ctx mc = { .pm = pm, .psz = t->page_size };
	struct page_sink sink = { .ctx = &mc, .emit = map_emit };
	struct walker w;
	struct vma v;
	uint64_t end;
	int err;

	if (!r)
		pm->done = true;
	if (pm->done)
		return 1;
	if (!r->in_pagemap || !pm->gstate) {
		pm->done = true;
		return 1;
	}
	if (pm->pos == pm->start)
		memset(pm->counts, 0, sizeof(pm->counts));
	v = as_vma(r);
	end = pm->end;
	if ((end - pm->pos) / t->page_size > max_pages)
		end = pm->pos + max_pages * t->page_size;
	walker_init(&w, t, 0);
	err = walk_vma(&w, &v, pm->pos, end, WALK_COUNTS, &sink);
	walker_finish(&w);
	if (err)
		return err;
	pm->pos = end;
	pm->done = pm->pos >= pm->end;
	return pm->done ? 1 : 0;
}

int tui_pagemap_state(const struct tui_pagemap *pm, uint64_t first, uint64_t n)
{
	int s = TUI_STATE_UNKNOWN;

	if (!pm->gstate || first >= pm->npages || n == 0)
		return TUI_STATE_UNKNOWN;
	if (first + n > pm->npages)
		n = pm->npages - first;
	for (uint64_t g = first >> pm->gshift; g <= (first + n - 1) >> pm->gshift; g++)
		s = more_notable(s, pm->gstate[g]);
	return s;
}

uint64_t tui_pagemap_cell_pages(const struct tui_pagemap *pm, uint64_t cells)
{
	uint64_t cp = 1ULL << pm->gshift;

	if (cells == 0)
		cells = 1;
	while ((pm->npages + cp - 1) / cp > cells)
		cp <<= 1;
	return cp;
}

/* Marks */

static void marks_remove(struct tui_marks *mk, uint64_t s, uint64_t e)
{
	struct tui_marks out = { .n = 0 };

	for (unsigned int i = 0; i < mk->n; i++) {
		uint64_t a = mk->start[i], b = mk->end[i];

		if (b <= s || a >= e) {
			out.start[out.n] = a;
			out.end[out.n++] = b;
			continue;
		}
		if (a < s && out.n < TUI_MAX_MARKS) {
			out.start[out.n] = a;
			out.end[out.n++] = s;
		}
		if (b > e && out.n < TUI_MAX_MARKS) {
			out.start[out.n] = e;
			out.end[out.n++] = b;
		}
	}
	*mk = out;
}

int tui_marks_toggle(struct tui_marks *mk, uint64_t s, uint64_t e)
{
	unsigned int i, j;

	for (i = 0; i < mk->n; i++)
		if (mk->start[i] <= s && mk->end[i] >= e) {
			marks_remove(mk, s, e);
			return 0;
		}
	/* Add, merging with what touches or overlaps [s, e). */
	for (i = 0, j = 0; i < mk->n; i++) {
		if (mk->end[i] < s || mk->start[i] > e) {
			mk->start[j] = mk->start[i];
			mk->end[j++] = mk->end[i];
			continue;
		}
		if (mk->start[i] < s)
			s = mk->start[i];
		if (mk->end[i] > e)
			e = mk->end[i];
	}
	mk->n = j;
	if (mk->n == TUI_MAX_MARKS)
		return -ENOSPC;
	for (i = mk->n; i > 0 && mk->start[i - 1] > s; i--) {
		mk->start[i] = mk->start[i - 1];
		mk->end[i] = mk->end[i - 1];
	}
	mk->start[i] = s;
	mk->end[i] = e;
	mk->n++;
	return 0;
}

bool tui_marks_has(const struct tui_marks *mk, uint64_t addr)
{
	for (unsigned int i = 0; i < mk->n; i++)
		if (addr >= mk->start[i] && addr < mk->end[i])
			return true;
	return false;
}

uint64_t tui_marks_bytes(const struct tui_marks *mk)
{
	uint64_t b = 0;

	for (unsigned int i = 0; i < mk->n; i++)
		b += mk->end[i] - mk->start[i];
	return b;
}
