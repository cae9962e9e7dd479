// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The notification judges over the event stream (check.h): before an
 * entry is installed (set) or goes (restore by fault or fork, removal)
 * every subscriber covering the page must be told, with the event and
 * owner each path needs, after the page's previous entry event. From the
 * probes (a stock kernel) they see the mm's invalidation ranges instead of
 * each subscriber's delivery, and a conversion's set event is its
 * function's return; before 6.15 a fault restore sent MMU_NOTIFY_EXCLUSIVE.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* The page's entry event after @i, or nevents. */
static int next_entry(const struct check_run *r, int i)
{
	uint64_t addr = r->events[i].num[DXF_ADDR];
	int j;

	for (j = i + 1; j < (int)r->nevents; j++)
		if (check_is_entry(&r->events[j]) && r->events[j].num[DXF_ADDR] == addr)
			break;
	return j;
}

static bool same_sub(const struct dx_event *e, const struct dx_sub *sub)
{
	if (sub->has_id && ev_has(e, DXF_SUB))
		return e->num[DXF_SUB] == sub->id;
	return e->sym[0] && strcmp(e->sym, sub->callback) == 0;
}

static const char *lost(const struct check_run *r)
{
	return r->events_lost ? " (events were lost: this may be why)" : "";
}

/* Notification: which delivery each path needs before the entry changes. */

typedef bool want_fn(const struct dx_event *d, const struct dx_event *op);

static bool want_exclusive(const struct dx_event *d, const struct dx_event *op)
{
	return d->num[DXF_EVENT] == MMU_NOTIFY_EXCLUSIVE && d->num[DXF_OWNER] == op->num[DXF_OWNER];
}

static bool want_clear(const struct dx_event *d, const struct dx_event *op)
{
	(void)op;
	return d->num[DXF_EVENT] == MMU_NOTIFY_CLEAR && d->num[DXF_OWNER] == 0;
}

static bool want_fork(const struct dx_event *d, const struct dx_event *op)
{
	(void)op;
	return d->num[DXF_EVENT] == MMU_NOTIFY_PROTECTION_PAGE;
}

static bool want_any(const struct dx_event *d, const struct dx_event *op)
{
	(void)d;
	(void)op;
	return true;
}

struct notify_path {
	enum dx_kind kind;
	int reason;		/* DXF_*_REASON, or -1: any */
	want_fn *want;
	const char *what, *expect;
};

static const struct notify_path convert_paths[] = {
	{ DX_SET, -1, want_exclusive, "conversion", "MMU_NOTIFY_EXCLUSIVE with its owner" },
	{ DX_NKINDS, 0, NULL, NULL, NULL },
};

/* Before 6.15 a fault restore sent MMU_NOTIFY_EXCLUSIVE (stable kernels may have CLEAR). */
static bool want_old_fault(const struct dx_event *d, const struct dx_event *op)
{
	(void)op;
	return (d->num[DXF_EVENT] == MMU_NOTIFY_EXCLUSIVE || d->num[DXF_EVENT] == MMU_NOTIFY_CLEAR) &&
	       d->num[DXF_OWNER] == 0;
}

static const struct notify_path restore_paths_range_api[] = {
	{ DX_RESTORE, 0, want_old_fault, "fault restore",
	  "MMU_NOTIFY_EXCLUSIVE or MMU_NOTIFY_CLEAR without owner (a kernel before 6.15)" },
	{ DX_RESTORE, 1, want_fork, "fork restore", "the fork's MMU_NOTIFY_PROTECTION_PAGE" },
	{ DX_REMOVE, -1, want_any, "removal", "an invalidation" },
	{ DX_NKINDS, 0, NULL, NULL, NULL },
};

static const struct notify_path restore_paths[] = {
	{ DX_RESTORE, 0, want_clear, "fault restore", "MMU_NOTIFY_CLEAR without owner" },
	{ DX_RESTORE, 1, want_fork, "fork restore", "the fork's MMU_NOTIFY_PROTECTION_PAGE" },
	{ DX_REMOVE, -1, want_any, "removal", "an invalidation" },
	{ DX_NKINDS, 0, NULL, NULL, NULL },
};

static const struct notify_path *path_of(const struct notify_path *paths,
					 const struct dx_event *e)
{
	for (const struct notify_path *p = paths; p->want; p++) {
		uint64_t reason = e->kind == DX_RESTORE ? e->num[DXF_RESTORE_REASON] :
				  e->num[DXF_REMOVE_REASON];

		if (e->kind == DX_RESTORE && !ev_has(e, DXF_RESTORE_REASON))
			return NULL;	/* a probe restore outside both paths */
		if (p->kind == e->kind && (p->reason < 0 || reason == (uint64_t)p->reason))
			return p;
	}
	return NULL;
}

/*
 * Whether @sub got the delivery @p wants, covering the page, after the
 * page's previous entry event and before entry event @i; *@late when one
 * came after @i instead (before the page's next entry event). @sub NULL:
 * an invalidation range of the mm (the probes see no subscriber).
 */
static bool delivered(const struct check_run *r, const struct dx_sub *sub, int i,
		      const struct notify_path *p, bool *late)
{
	const struct dx_event *op = &r->events[i];
	uint64_t addr = op->num[DXF_ADDR];
	int next = next_entry(r, i);

	for (int j = check_prev_entry(r, i) + 1; j < next; j++) {
		const struct dx_event *d = &r->events[j];

		if ((sub ? d->kind != DX_SUBSCRIBER || !same_sub(d, sub) :
			   d->kind != DX_RANGE_START) || !check_covers(d, addr) || !p->want(d, op))
			continue;
		if (j < i)
			return true;
		*late = true;
		break;
	}
	return false;
}

/* An active check: each tested page must show its two rounds' events. */
static bool rounds_seen(const struct check_run *r, const struct notify_path *paths,
			struct check_verdict *v)
{
	for (unsigned int p = 0; p < r->npages && !r->watch; p++) {
		const struct check_page *pg = &r->pages[p];
		unsigned int n = 0, want = pg->round[0].converted + pg->round[1].converted;

		for (unsigned int i = 0; i < r->nevents; i++)
			n += r->events[i].num[DXF_ADDR] == pg->addr &&
			     r->events[i].kind == paths[0].kind;
		if (n < want) {
			check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": %u %s events for %u "
					  "conversions%s", pg->addr, n, paths[0].what, want, lost(r));
			return false;
		}
	}
	return true;
}

/* Whether any invalidation of the mm started in the window. */
static bool any_range(const struct check_run *r)
{
	for (unsigned int i = 0; i < r->nevents; i++)
		if (r->events[i].kind == DX_RANGE_START)
			return true;
	return false;
}

/* Probes: the mm's invalidations, not each subscriber's, before each entry change. */
static void judge_notify_ranges(const struct check_run *r, struct check_verdict *v,
				const struct notify_path *paths, const char *none)
{
	unsigned int ops[4] = { 0 }, judged = 0;

	if (!r->subscribed && !any_range(r)) {
		check_verdict_set(v, CHECK_SKIP, "the mm had no MMU-notifier subscriber when the "
				  "window opened and no invalidation reached one, so nobody to tell");
		return;
	}
	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i];
		const struct notify_path *p = check_is_entry(e) ? path_of(paths, e) : NULL;
		bool late = false;

		if (!p)
			continue;
		ops[p - paths]++;
		judged++;
		if (!delivered(r, NULL, (int)i, p, &late)) {
			check_verdict_set(v, CHECK_FAIL, "the %s of 0x%" PRIx64 " at %" PRIu64 " ns "
					  "(task %d) was not preceded by %s for the mm (probes: "
					  "__mmu_notifier_invalidate_range_start)%s%s", p->what,
					  e->num[DXF_ADDR], e->ts_ns, e->task, p->expect,
					  late ? "; it came after the entry changed" : "", lost(r));
			return;
		}
	}
	if (!judged)
		check_verdict_set(v, CHECK_SKIP, "no %s of the target's entries in the window", none);
	else if (paths == convert_paths)
		check_verdict_set(v, CHECK_PASS, "%u conversions, each preceded by its invalidation "
				  "of the mm before the conversion returned (probes: per range, "
				  "not per subscriber)", ops[0]);
	else
		check_verdict_set(v, CHECK_PASS, "%u fault restores, %u fork restores, each "
				  "preceded by its invalidation of the mm (probes: per range, not per "
				  "subscriber)", ops[0], ops[1]);
}

static void judge_notify(const struct check_run *r, struct check_verdict *v,
			 const struct notify_path *paths, const char *none)
{
	unsigned int ops[4] = { 0 }, deliveries = 0, judged = 0;

	if (r->probes) {
		judge_notify_ranges(r, v, paths, none);
		return;
	}
	if (r->nsubs == 0) {
		check_verdict_set(v, CHECK_SKIP, "the mm has no MMU-notifier subscriber, so nobody "
				  "to tell (open /dev/hmm_dmirror0 in the target to add one)");
		return;
	}
	if (!rounds_seen(r, paths, v))
		return;
	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i];
		const struct notify_path *p = check_is_entry(e) ? path_of(paths, e) : NULL;

		if (!p)
			continue;
		ops[p - paths]++;
		judged++;
		for (unsigned int s = 0; s < r->nsubs; s++) {
			const struct dx_sub *sub = &r->subs[s];
			bool late = false;

			if (!rec_sub_covers(sub, e->num[DXF_ADDR]))
				continue;
			if (!delivered(r, sub, (int)i, p, &late)) {
				check_verdict_set(v, CHECK_FAIL, "the %s of 0x%" PRIx64 " at %" PRIu64
						  " ns (task %d) was not preceded by %s for subscriber "
						  "%s (id 0x%08x)%s%s", p->what, e->num[DXF_ADDR],
						  e->ts_ns, e->task, p->expect, sub->callback, sub->id,
						  late ? "; it came after the entry changed" : "", lost(r));
				return;
			}
			deliveries++;
		}
	}
	if (!judged) {
		check_verdict_set(v, CHECK_SKIP, "no %s of the target's entries in the window", none);
		return;
	}
	if (paths == convert_paths)
		check_verdict_set(v, CHECK_PASS, "%u conversions, %u deliveries to %u subscribers, "
				  "each before the entry was installed", ops[0], deliveries,
				  r->nsubs);
	else
		check_verdict_set(v, CHECK_PASS, "%u fault restores, %u fork restores, %u "
				  "removals; %u deliveries to %u subscribers, each before the entry "
				  "went", ops[0], ops[1], ops[2], deliveries, r->nsubs);
}

void judge_stream_notify_convert(const struct check_run *r, struct check_verdict *v)
{
	judge_notify(r, v, convert_paths, "conversion");
}

void judge_stream_notify_restore(const struct check_run *r, struct check_verdict *v)
{
	judge_notify(r, v, r->range_api ? restore_paths_range_api : restore_paths,
		     "restore or removal");
}
