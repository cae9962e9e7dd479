// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl check PID [RANGE] [CHECK...]: invariant checks for triage,
 * drawn from the 2025 device-exclusive rework and its review (design.md
 * §8). It converts a few present pages of the range with make_exclusive,
 * reverts them, converts and reverts them once more, and judges what the
 * kernel interface and the event stream reported. The target ends with
 * its pages present again, as before.
 *
 * Exit: 0 all passed, 3 one failed, 4 one could not run on this kernel.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "commands.h"
#include "debugfs.h"
#include "errors.h"
#include "events.h"
#include "output.h"
#include "report.h"
#include "trace.h"
#include "vmas.h"
#include "walk.h"

enum { OPT_MAX_PAGES };	/* position in check_opts[] */

/* Choose up to max present pages of private writable VMAs in the range. */
struct pick_ctx {
	struct target *t;
	struct check_run *run;
	struct walk_stats st;
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
	err = walk_vma(p->t, v, start, end, WALK_COUNTS, &sink, &p->st);
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

static int convert_line(void *ctx, char *line)
{
	struct answer_ctx *a = ctx;
	struct check_page *p;
	struct check_round *cr;
	struct dx_outcome o;
	int rc = rec_outcome_parse(line, &o);

	if (rc <= 0 || !(p = page_at(a->run, o.addr)))
		return rc;
	cr = &p->round[a->round];
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
	p->round[a->round].have_crc = true;
	p->round[a->round].anon_exclusive = strstr(e.flags, "anon_exclusive") != NULL;
	return 0;
}

static int revert_line(void *ctx, char *line)
{
	struct answer_ctx *a = ctx;
	struct check_page *p;
	struct check_round *cr;
	struct dx_outcome o;
	int rc = rec_outcome_parse(line, &o);

	if (rc <= 0 || !(p = page_at(a->run, o.addr)))
		return rc;
	cr = &p->round[a->round];
	if (o.err)
		return 0;
	cr->restored = true;
	cr->restored_pfn = o.pfn;
	cr->pte_after = o.pte;
	return 0;
}

/* scope: every entry of the mm must be anonymous in a private writable VMA. */
struct scope_ctx {
	const char *debugfs;
	struct target *t;
	struct check_run *r;
	const struct vma *v;
	uint64_t present;	/* first present page found in v, or 0 */
	struct walk_stats st;
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
	if (o.err)
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
	err = dfs_request(s->debugfs, "entries", req, scope_entry_line, s);
	if (err)
		return err;
	/* One refused conversion per kind, on a page that is already present. */
	if (r->nattempts == 2 || (v->perms[1] == 'w' && v->perms[3] == 'p') ||
	    (r->nattempts == 1 && r->attempts[0].perms[3] == v->perms[3]))
		return 0;
	s->present = 0;
	err = walk_vma(s->t, v, start, end, WALK_COUNTS, &sink, &s->st);
	if (err < 0 || !s->present)
		return err < 0 ? err : 0;
	a = &r->attempts[r->nattempts++];
	a->addr = s->present;
	memcpy(a->perms, v->perms, sizeof(a->perms));
	dfs_range_req(req, sizeof(req), (int)r->pid, a->addr, a->addr + r->page_size);
	err = dfs_request(s->debugfs, "make_exclusive", req, attempt_line, a);
	if (!err && a->converted)	/* put it back as it was */
		err = dfs_request(s->debugfs, "revert", req, attempt_line, &(struct check_attempt){ 0 });
	return err;
}

int check_scope_gather(const char *debugfs, struct target *t, struct check_run *r)
{
	struct scope_ctx s = { .debugfs = debugfs, .t = t, .r = r };
	struct range all;
	unsigned long n;

	range_all(&all);
	return vmas_foreach(t, &all, scope_vma, &s, &n);
}

/* Event capture: everything the instance recorded of the mm while the checks ran. */

static int keep_event(void *ctx, const struct dx_event *ev)
{
	struct check_run *r = ctx;

	if (ev->kind == DX_LOST) {
		r->events_lost = true;
		return 0;
	}
	if (ev->kind == DX_FORK || ev->kind == DX_EXIT || ev->kind == DX_EXEC)
		return 0;
	if (r->nevents == CHECK_MAX_EVENTS) {
		r->events_lost = true;
		return 0;
	}
	r->events[r->nevents++] = *ev;
	return 0;
}

/*
 * Read until the instance has been quiet for @quiet_ms, or for at most
 * DRAIN_MAX_MS: a target whose mm keeps changing (a busy process, a
 * device driver invalidating all the time) never goes quiet, and check
 * judges what it has then (the judges see each page's own events).
 */
#define DRAIN_MAX_MS 5000

static int64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int drain_events(struct dx_trace *t, struct check_run *r, int quiet_ms)
{
	int64_t end = ms_now() + DRAIN_MAX_MS;
	int quiet = 0;

	while (quiet < quiet_ms && ms_now() < end) {
		int n = trace_read(t, keep_event, r);

		if (n < 0)
			return n;
		if (n > 0) {
			quiet = 0;
			continue;
		}
		poll(NULL, 0, 50);
		quiet += 50;
	}
	return 0;
}

/* One round: convert, read entries, revert; each page's outcome recorded. */
static int run_round(const struct globals *g, struct check_run *r, int round)
{
	struct answer_ctx a = { .run = r, .round = round };
	char req[96];
	int err = 0;

	/* SIGINT/SIGTERM: between pages, so no page is left converted. */
	for (unsigned int i = 0; i < r->npages && !err && !trace_signalled(); i++) {
		uint64_t s = r->pages[i].addr, e = s + r->page_size;

		dfs_range_req(req, sizeof(req), (int)r->pid, s, e);
		err = dfs_request(g->debugfs, "make_exclusive", req, convert_line, &a);
		if (!err)
			err = dfs_request(g->debugfs, "entries", req, entries_line, &a);
		if (!err)
			err = dfs_request(g->debugfs, "revert", req, revert_line, &a);
	}
	return err;
}

int cmd_check(struct cmd_ctx *c)
{
	struct check_run *r = calloc(1, sizeof(*r));
	unsigned int selected = 0, nfail = 0, nmissing = 0;
	struct dx_trace *tr = NULL;
	struct target t;
	struct range rg;
	unsigned long n;
	int err, argi = 1;

	if (!r)
		return -ENOMEM;
	r->max_pages = 8;
	if (c->opt[OPT_MAX_PAGES]) {
		uint64_t v;

		if (parse_size(c->opt[OPT_MAX_PAGES], &v) || v == 0 || v > CHECK_MAX_PAGES) {
			free(r);
			return err_usage("check: --max-pages takes 1 to %d", CHECK_MAX_PAGES);
		}
		r->max_pages = (unsigned int)v;
	}
	err = report_open_target(&t, c->g->proc, c->argv[0]);
	if (err)
		goto out_free;
	range_all(&rg);
	/* The second argument is a RANGE unless it names a check. */
	if (c->argc > 1 && !check_lookup(c->argv[1])) {
		err = range_parse(c->argv[1], t.page_size, &rg);
		argi = 2;
	}
	for (int i = argi; i < c->argc && !err; i++) {
		const struct check_def *d = check_lookup(c->argv[i]);

		if (!d)
			err = err_usage("check: unknown check '%s' (see 'devexctl help check')",
					c->argv[i]);
		else
			selected |= 1u << (d - check_table);
	}
	if (err)
		goto out;
	if (!selected)
		selected = ~0u;
	if (t.ops == &source_snapshot) {
		err = err_usage("check acts on a live process, not on a snapshot");
		goto out;
	}
	r->pid = t.pid;
	r->page_size = t.page_size;

	/* What this kernel offers decides which checks can run. */
	r->have_debugfs = dfs_require(c->g->debugfs) == 0;
	if (!r->have_debugfs) {
		err = dfs_require(c->g->debugfs);
		if (err != -ENOPATCH)
			goto out;	/* not root: a permission error, exit 5 */
		err = 0;
	}
	err_clear();
	if (r->have_debugfs) {
		struct dx_trace_opts o = { .debugfs = c->g->debugfs };

		if (trace_mm_id(c->g->debugfs, r->pid, &o.mm_id) == 0 && o.mm_id) {
			int terr;

			o.filter_mm = true;
			trace_catch_signals();	/* the instance is removed on the way out */
			terr = trace_open(&tr, &o);
			r->have_events = terr == 0;
			if (terr)
				err_text(terr, r->events_why, sizeof(r->events_why));
		} else {
			snprintf(r->events_why, sizeof(r->events_why),
				 "no mm id for the target in devexcl/notifiers");
		}
	}
	err_clear();

	if (r->have_debugfs) {
		struct pick_ctx pc = { .t = &t, .run = r };

		err = vmas_foreach(&t, &rg, pick_vma, &pc, &n);
		if (!err && r->npages == 0)
			err = err_usage("check: no present page in a private writable mapping in the range");
		if (!err)
			err = check_read_subscribers(c->g->debugfs, r);
		for (int round = 0; round < 2 && !err; round++)
			err = run_round(c->g, r, round);
		if (!err && (selected & (1u << (check_lookup("scope") - check_table))))
			err = check_scope_gather(c->g->debugfs, &t, r);
		if (!err && tr)
			err = drain_events(tr, r, 300);
		if (!err && trace_signalled())
			err = err_set(-EINTR, "check interrupted (the pages tested so far are present again)");
		if (err)
			goto out;
	}

	report_begin(&t);
	out_u64(OUT_JSON, "pages_tested", "", r->npages);
	out_bool(OUT_JSON, "events_lost", "", r->events_lost);
	out_open_array("checks");
	for (const struct check_def *d = check_table; d->name; d++) {
		struct check_verdict v = { 0 };

		if (!(selected & (1u << (d - check_table))))
			continue;
		if (!r->have_debugfs || (d->needs_events && !r->have_events)) {
			v.result = CHECK_MISSING;
			if (!r->have_debugfs)
				snprintf(v.evidence, sizeof(v.evidence), "needs the devexcl debugfs "
					 "interface (kernel-debugfs/ patches)");
			else
				snprintf(v.evidence, sizeof(v.evidence), "needs the devexcl tracepoints "
					 "in tracefs (kernel-debugfs/ patches; root): %s", r->events_why);
		} else {
			d->judge(r, &v);
		}
		nfail += v.result == CHECK_FAIL;
		nmissing += v.result == CHECK_MISSING;
		check_print(d, &v);
	}
	out_close_array();
	out_u64(OUT_JSON, "failed", "", nfail);
	out_u64(OUT_JSON, "missing", "", nmissing);
	err = report_end(&t);
	if (!err)
		err = nfail ? EXIT_CHECK_FAILED : nmissing ? EXIT_MISSING : 0;
out:
	trace_close(tr);
	target_close(&t);
out_free:
	free(r);
	return err;
}
