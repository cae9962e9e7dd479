// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event source of last resort (record.h): walk the range with the page
 * walker (the sinks 'pages' uses; WALK_COUNTS faults nothing in and reads
 * no PFNs of present pages), keep each VMA's counts and the runs of pages
 * by state, and between two walks report the pages whose state changed.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "output.h"
#include "record.h"
#include "vmas.h"
#include "walk.h"

struct scan_ctx {
	struct target *t;
	struct rec_scan *s;
	struct walker w;
	int err;
};

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *np;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	np = realloc(*p, ncap * size);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static int scan_emit(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	struct scan_ctx *c = ctx;
	struct rec_scan *s = c->s;
	struct rec_run *last = s->nruns ? &s->runs[s->nruns - 1] : NULL;

	s->vmas[s->nvmas - 1].counts[pi->state] += n;
	/* One run per state: flags and PFNs do not matter here. */
	if (last && last->state == pi->state &&
	    last->addr + last->pages * c->t->page_size == addr) {
		last->pages += n;
		return 0;
	}
	if (grow((void **)&s->runs, &s->rcap, s->nruns, sizeof(*s->runs)))
		return c->err = -ENOMEM;
	s->runs[s->nruns++] = (struct rec_run){ .addr = addr, .pages = n, .state = pi->state };
	return 0;
}

static int scan_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct scan_ctx *c = ctx;
	struct rec_scan *s = c->s;
	struct page_sink sink = { .ctx = c, .emit = scan_emit };
	struct rec_vma *rv;

	if (!vma_in_pagemap(v))
		return 0;
	if (grow((void **)&s->vmas, &s->vcap, s->nvmas, sizeof(*s->vmas)))
		return -ENOMEM;
	rv = &s->vmas[s->nvmas++];
	memset(rv, 0, sizeof(*rv));
	rv->start = start;
	rv->end = end;
	memcpy(rv->perms, v->perms, sizeof(rv->perms));
	snprintf(rv->name, sizeof(rv->name), "%s", v->name);
	return walk_vma(&c->w, v, start, end, WALK_COUNTS, &sink);
}

int rec_scan(struct target *t, const struct range *r, struct rec_scan *s)
{
	struct scan_ctx c = { .t = t, .s = s };
	unsigned long n;
	int err;

	s->nvmas = 0;
	s->nruns = 0;
	walker_init(&c.w, t, vmas_walk_limit(r));
	err = vmas_foreach(t, r, scan_vma, &c, &n);
	walker_finish(&c.w);
	if (c.err)
		return err_set(c.err, "walking the pages of %d", (int)t->pid);
	/* A range with no mapping left is an empty scan, not an error here. */
	if (err == -EUSAGE) {
		err_clear();
		return 0;
	}
	return err;
}

void rec_scan_free(struct rec_scan *s)
{
	free(s->vmas);
	free(s->runs);
	memset(s, 0, sizeof(*s));
}

struct change {
	uint64_t addr, pages;
	uint8_t from, to;
	bool have;
};

static uint64_t change_flush(struct change *c, uint64_t ts_ns)
{
	if (!c->have)
		return 0;
	out_open_object(NULL);
	out_string(OUT_JSON, "type", "", "change");
	out_u64(OUT_JSON, "timestamp_ns", "", ts_ns);
	out_string(OUT_JSON, "source", "", "poll");
	out_addr(OUT_JSON, "addr", "", c->addr);
	out_u64(OUT_JSON, "pages", "", c->pages);
	out_string(OUT_JSON, "from", "", state_table[c->from].name);
	out_string(OUT_JSON, "to", "", state_table[c->to].name);
	out_close_object();
	c->have = false;
	return 1;
}

/*
 * Both scans are sorted runs; where they overlap with different states,
 * those pages changed. Pages in only one scan (a VMA mapped or unmapped
 * between the walks) are no state change and are left out.
 */
uint64_t rec_scan_diff(const struct rec_scan *old, const struct rec_scan *cur, uint64_t ts_ns,
		       uint64_t psz)
{
	struct change c = { .have = false };
	size_t i = 0, j = 0;
	uint64_t lines = 0;

	while (i < old->nruns && j < cur->nruns) {
		const struct rec_run *a = &old->runs[i], *b = &cur->runs[j];
		uint64_t ae = a->addr + a->pages * psz, be = b->addr + b->pages * psz;
		uint64_t lo = a->addr > b->addr ? a->addr : b->addr;
		uint64_t hi = ae < be ? ae : be;

		if (lo < hi && a->state != b->state) {
			if (!(c.have && c.from == a->state && c.to == b->state &&
			      c.addr + c.pages * psz == lo)) {
				lines += change_flush(&c, ts_ns);
				c = (struct change){ .addr = lo, .from = a->state, .to = b->state,
						     .have = true };
			}
			c.pages += (hi - lo) / psz;
		}
		if (ae <= be)
			i++;
		else
			j++;
	}
	return lines + change_flush(&c, ts_ns);
}
