// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The evidence of an active 'devexctl check': a few present pages of the
 * range picked, each converted with make_exclusive, listed by entries and
 * reverted (twice), and one conversion tried where none may succeed, per
 * kind of mapping (scope). Every conversion is put back.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "debugfs.h"
#include "errors.h"
#include "event_loop.h"
#include "trace.h"
#include "vmas.h"
#include "walk.h"

/* Choose up to max present pages of private writable VMAs in the range. */
struct pick_ctx {
	struct target *t;
	struct check_run *run;
	struct walker w;
};

static int pick_emit(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	struct pick_ctx *p = ctx;
	struct check_run *r = p->run;

	for (uint64_t i = 0; i < n && r->npages < r->max_pages; i++) {
		if (pi->state != PS_PRESENT)
			break;
		r->pages[r->npages++].addr = addr + i * p->t->page_size;
	}
	return r->npages == r->max_pages ? 1 : 0;
}

static int pick_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct pick_ctx *p = ctx;
	struct page_sink sink = { .ctx = p, .emit = pick_emit };
	int err;

	if (v->perms[1] != 'w' || v->perms[3] != 'p' || !vma_in_pagemap(v))
		return 0;
	if (p->run->npages == p->run->max_pages)
		return 0;
	err = walk_vma(&p->w, v, start, end, WALK_COUNTS, &sink);
	return err == 1 ? 0 : err;
}

/* Answers of the debugfs files, one page at a time. */

static struct check_page *page_at(struct check_run *r, uint64_t addr)
{
	for (unsigned int i = 0; i < r->npages; i++)
		if (r->pages[i].addr == addr)
			return &r->pages[i];
	return NULL;
}

struct answer_ctx {
	struct check_run *run;
	int round;		/* 0 or 1 */
};

/* The round an outcome line of one of the picked pages is about, or NULL. */
static struct check_round *outcome_round(struct answer_ctx *a, char *line, struct dx_outcome *o,
					 int *rc)
{
	struct check_page *p;

	*rc = rec_outcome_parse(line, o);
	if (*rc <= 0 || !(p = page_at(a->run, o->addr)))
		return NULL;
	*rc = 0;
	return &p->round[a->round];
}

static int convert_line(void *ctx, char *line)
{
	struct dx_outcome o;
	int rc;
	struct check_round *cr = outcome_round(ctx, line, &o, &rc);

	if (!cr)
		return rc;
	if (o.skipped) {
		snprintf(cr->skipped, sizeof(cr->skipped), "%s", o.reason);
		return 0;
	}
	if (o.err) {
		cr->conv_errno = o.err;
		return 0;
	}
	cr->converted = true;
	cr->pfn = o.pfn;
	if (o.has_mapcount) {
		cr->mapcount_before = (int)o.mapcount_before;
		cr->mapcount_after = (int)o.mapcount;
	}
	cr->folio_dirty = o.folio_dirty == 1;
	cr->pte_before = o.pte_before;
	cr->have_pte_before = o.has_pte_before;
	return 0;
}

static int entries_line(void *ctx, char *line)
{
	struct answer_ctx *a = ctx;
	struct check_page *p;
	struct dx_entry e;
	int rc = rec_entry_parse(line, &e);

	if (rc <= 0 || !(p = page_at(a->run, e.addr)))
		return rc;
	p->round[a->round].crc = e.crc;
	p->round[a->round].have_crc = e.has_crc;
	p->round[a->round].anon_exclusive = strstr(e.flags, "anon_exclusive") != NULL;
	return 0;
}

static int revert_line(void *ctx, char *line)
{
	struct dx_outcome o;
	int rc;
	struct check_round *cr = outcome_round(ctx, line, &o, &rc);

	if (!cr || o.err)
		return cr ? 0 : rc;
	cr->restored = true;
	cr->restored_pfn = o.pfn;
	cr->pte_after = o.pte;
	return 0;
}

/* scope: every entry of the mm must be anonymous in a private writable VMA. */
struct scope_ctx {
	struct target *t;
	struct check_run *r;
	const struct vma *v;
	uint64_t present;	/* first present page found in v, or 0 */
	struct walker w;
};

static int scope_entry_line(void *ctx, char *line)
{
	struct scope_ctx *s = ctx;
	struct check_run *r = s->r;
	const char *why = NULL;
	struct dx_entry e;
	int rc = rec_entry_parse(line, &e);

	if (rc <= 0)
		return rc;
	r->scope_entries++;
	if (strncmp(e.flags, "anon", 4) != 0)
		why = "not anonymous";
	else if (s->v->perms[3] != 'p')
		why = "in a shared mapping";
	else if (s->v->perms[1] != 'w')
		why = "in a read-only mapping";
	if (why && r->scope_bad++ == 0)
		snprintf(r->scope_first_bad, sizeof(r->scope_first_bad), "%.18s %s (%s %s)",
			 line, why, s->v->perms, s->v->name[0] ? s->v->name : "[anon]");
	return 0;
}

static int first_present(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	struct scope_ctx *s = ctx;

	if (pi->state != PS_PRESENT)
		return 0;
	s->present = addr;
	return 1;
}

static int attempt_line(void *ctx, char *line)
{
	struct check_attempt *a = ctx;
	struct dx_outcome o;
	int rc = rec_outcome_parse(line, &o);

	if (rc <= 0)
		return rc;
	if (o.skipped)
		snprintf(a->skipped, sizeof(a->skipped), "%s", o.reason);
	else if (o.err)
		a->conv_errno = o.err;
	else
		a->converted = true;
	return 0;
}

static int scope_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct scope_ctx *s = ctx;
	struct check_run *r = s->r;
	struct page_sink sink = { .ctx = s, .emit = first_present };
	struct check_attempt *a;
	char req[96];
	int err;

	if (!vma_in_pagemap(v))
		return 0;
	s->v = v;
	dfs_range_req(req, sizeof(req), (int)r->pid, start, end);
	err = s->t->ops->kernel_read(s->t, "entries", req, scope_entry_line, s);
	if (err)
		return err;
	/* One refused conversion per kind, on a page that is already present. */
	if (r->nattempts == 2 || (v->perms[1] == 'w' && v->perms[3] == 'p') ||
	    (r->nattempts == 1 && r->attempts[0].perms[3] == v->perms[3]))
		return 0;
	s->present = 0;
	err = walk_vma(&s->w, v, start, end, WALK_COUNTS, &sink);
	if (err < 0 || !s->present)
		return err < 0 ? err : 0;
	a = &r->attempts[r->nattempts++];
	a->addr = s->present;
	memcpy(a->perms, v->perms, sizeof(a->perms));
	dfs_range_req(req, sizeof(req), (int)r->pid, a->addr, a->addr + r->page_size);
	err = s->t->ops->kernel_read(s->t, "make_exclusive", req, attempt_line, a);
	if (!err && a->converted)	/* put it back as it was */
		err = s->t->ops->kernel_read(s->t, "revert", req, attempt_line,
					     &(struct check_attempt){ 0 });
	return err;
}

int check_scope_gather(struct target *t, struct check_run *r)
{
	struct scope_ctx s = { .t = t, .r = r };
	struct range all;
	unsigned long n;
	int err;

	range_all(&all);
	/* Only present pages are candidates: PAGEMAP_SCAN skips the rest. */
	walker_init(&s.w, t, vmas_walk_limit(&all));
	walker_query(&s.w, 1u << PS_PRESENT);
	err = vmas_foreach(t, &all, scope_vma, &s, &n);
	walker_finish(&s.w);
	return err;
}

/* One round: convert, read entries, revert; each page's outcome recorded. */
/*
 * Pages make_exclusive left alone in the first round (not writable: COW
 * shared, write-protected for soft-dirty or uffd-wp) are not tested.
 */
static int drop_skipped(struct check_run *r)
{
	unsigned int kept = 0;

	for (unsigned int i = 0; i < r->npages; i++) {
		const struct check_round *cr = &r->pages[i].round[0];

		if (cr->skipped[0] && r->pages_skipped++ == 0)
			snprintf(r->skip_reason, sizeof(r->skip_reason), "%s", cr->skipped);
		else if (!cr->skipped[0])
			r->pages[kept++] = r->pages[i];
	}
	r->npages = kept;
	if (!kept)
		return err_usage("check: make_exclusive left every picked page alone (%s): "
				 "convert pages the target has written, or run 'devexctl check "
				 "--self'", r->skip_reason);
	return 0;
}

int check_run_round(struct target *t, struct check_run *r, int round)
{
	struct answer_ctx a = { .run = r, .round = round };
	char req[96];
	int err = 0;

	/* SIGINT/SIGTERM: between pages, so no page is left converted. */
	for (unsigned int i = 0; i < r->npages && !err && !trace_signalled(); i++) {
		uint64_t s = r->pages[i].addr, e = s + r->page_size;

		dfs_range_req(req, sizeof(req), (int)r->pid, s, e);
		err = t->ops->kernel_read(t, "make_exclusive", req, convert_line, &a);
		if (!err)
			err = t->ops->kernel_read(t, "entries", req, entries_line, &a);
		if (!err)
			err = t->ops->kernel_read(t, "revert", req, revert_line, &a);
	}
	return err || round ? err : drop_skipped(r);
}

int check_pick_pages(struct target *t, const struct range *rg, struct check_run *r)
{
	struct pick_ctx pc = { .t = t, .run = r };
	unsigned long n;
	int err;

	walker_init(&pc.w, t, vmas_walk_limit(rg));
	walker_query(&pc.w, 1u << PS_PRESENT);
	err = vmas_foreach(t, rg, pick_vma, &pc, &n);
	walker_finish(&pc.w);
	if (!err && r->npages == 0)
		err = err_usage("check: no present page in a private writable mapping in the range");
	return err;
}

/* Event capture: everything the instance recorded of the mm while the checks ran. */

/*
 * Read until the instance has been quiet for @quiet_ms, or for at most
 * DRAIN_MAX_MS: a target whose mm keeps changing (a busy process, a
 * device driver invalidating all the time) never goes quiet, and check
 * judges what it has then (the judges see each page's own events).
 */
#define DRAIN_MAX_MS 5000

int check_drain(struct dx_trace *t, struct check_run *r, int quiet_ms)
{
	struct ev_loop loop = {
		.tr = t, .fn = check_keep_event, .ctx = r,
		.idle_ms = 50, .quiet_ms = quiet_ms, .quiet_max_ms = DRAIN_MAX_MS,
	};

	return ev_loop_run(&loop);
}
