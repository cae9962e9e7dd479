// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The judges over the event stream: every conversion (set), restore
 * (fault, fork) and removal (zap, unmap, migrate) of the target's entries
 * that the tracepoints recorded, whoever made it (a driver, make_exclusive,
 * a fork, an munmap), each judged against the page's previous entry event
 * and the subscriber deliveries in between. Events are in the order the
 * kernel emitted them (one mm, the mono clock).
 *
 * The notification judges are in check_notify.c.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static bool bit(uint64_t v, unsigned int b)
{
	return v & (1ull << b);
}

bool check_is_entry(const struct dx_event *e)
{
	return e->kind == DX_SET || e->kind == DX_RESTORE || e->kind == DX_REMOVE;
}

/* The page's entry event before @i, or -1 (its entry predates the run). */
int check_prev_entry(const struct check_run *r, int i)
{
	uint64_t addr = r->events[i].num[DXF_ADDR];

	for (int j = i - 1; j >= 0; j--)
		if (check_is_entry(&r->events[j]) && r->events[j].num[DXF_ADDR] == addr)
			return j;
	return -1;
}

/* The conversion that the restore or removal @i ends, or NULL when it predates the run. */
static const struct dx_event *set_of(const struct check_run *r, int i)
{
	int p = check_prev_entry(r, i);

	return p >= 0 && r->events[p].kind == DX_SET ? &r->events[p] : NULL;
}

bool check_covers(const struct dx_event *d, uint64_t addr)
{
	return addr >= d->num[DXF_START] && addr < d->num[DXF_END];
}

/* The name of the path of restore or removal @e. */
static const char *end_name(const struct dx_event *e)
{
	static const char *const restore[] = { "fault restore", "fork restore" };
	static const char *const remove[] = { "zap", "unmap", "migration" };
	uint64_t reason = e->kind == DX_RESTORE ? e->num[DXF_RESTORE_REASON] :
			  e->num[DXF_REMOVE_REASON];

	if (e->kind == DX_RESTORE)
		return reason < 2 ? restore[reason] : "restore";
	return reason < 3 ? remove[reason] : "removal";
}

void judge_stream_mapcount(const struct check_run *r, struct check_verdict *v)
{
	unsigned int judged = 0, large = 0;

	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i], *s;

		if (e->kind != DX_RESTORE && e->kind != DX_REMOVE)
			continue;
		if (!(s = set_of(r, (int)i)) || !ev_has(e, DXF_MAPCOUNT))
			continue;
		if (bit(s->num[DXF_STATE], DXS_LARGE)) {
			large++;	/* other pages of the folio come and go */
			continue;
		}
		judged++;
		if (e->num[DXF_MAPCOUNT] != s->num[DXF_MAPCOUNT]) {
			check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": folio mapcount %" PRId64
					  " after the conversion, %" PRId64 " at its %s",
					  e->num[DXF_ADDR], (int64_t)s->num[DXF_MAPCOUNT],
					  (int64_t)e->num[DXF_MAPCOUNT], end_name(e));
			return;
		}
	}
	if (!judged)
		check_verdict_set(v, CHECK_SKIP, "no restore or removal of an entry set in the "
				  "window%s", large ? " (only large folios)" : "");
	else
		check_verdict_set(v, CHECK_PASS, "%u restores and removals: mapcount as after the "
				  "conversion%s", judged, large ? " (those of large folios not judged)" :
				  "");
}

void judge_stream_dirty(const struct check_run *r, struct check_verdict *v)
{
	unsigned int dirty_sets = 0, kept = 0;

	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i], *s;

		if (e->kind == DX_SET && bit(e->num[DXF_PTE], PTE_DIRTY)) {
			dirty_sets++;
			if (!bit(e->num[DXF_STATE], DXS_FOLIO_DIRTY)) {
				check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": PTE dirty before "
						  "the conversion, folio clean after it",
						  e->num[DXF_ADDR]);
				return;
			}
		}
		if (e->kind != DX_RESTORE && e->kind != DX_REMOVE)
			continue;
		s = set_of(r, (int)i);
		if (!s || !bit(s->num[DXF_STATE], DXS_FOLIO_DIRTY) || !ev_has(e, DXF_STATE))
			continue;
		kept++;
		if (!bit(e->num[DXF_STATE], DXS_FOLIO_DIRTY)) {
			check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": folio dirty after the "
					  "conversion, clean at its %s (reclaim could drop its data)",
					  e->num[DXF_ADDR], end_name(e));
			return;
		}
	}
	if (!dirty_sets && !kept)
		check_verdict_set(v, CHECK_SKIP, "no dirty page converted, restored or removed in "
				  "the window");
	else
		check_verdict_set(v, CHECK_PASS, "%u dirty PTEs left dirty folios; %u restores and "
				  "removals found them still dirty", dirty_sets, kept);
}

/* Was soft-dirty cleared for @addr (clear_refs 4) between events @from and @to? */
static bool sd_cleared(const struct check_run *r, int from, int to, uint64_t addr)
{
	for (int j = from + 1; j < to; j++) {
		const struct dx_event *d = &r->events[j];

		if ((d->kind == DX_RANGE_START || d->kind == DX_SUBSCRIBER) &&
		    d->num[DXF_EVENT] == MMU_NOTIFY_SOFT_DIRTY && check_covers(d, addr))
			return true;
	}
	return false;
}

/*
 * Why restore_exclusive_pte() must leave the page read-only, as
 * can_change_pte_writable() decides from the VMA, the page and the PTE
 * built (whose soft-dirty bit is the entry's while it stays clean), or
 * NULL when it must make it writable.
 */
static const char *must_stay_readonly(uint64_t state, uint64_t pte)
{
	if (!bit(state, DXS_VMA_WRITE))
		return "the VMA is not writable";
	if (bit(state, DXS_VMA_SHARED))
		return "the VMA is shared";
	if (bit(pte, PTE_UFFD_WP) && bit(state, DXS_UFFD_WP_VMA))
		return "uffd-wp protects it";
	if (bit(state, DXS_SD_TRACKING) && !bit(pte, PTE_SOFT_DIRTY))
		return "soft-dirty tracking needs the next write to fault";
	if (!bit(state, DXS_ANON_EXCLUSIVE))
		return "the page is not anon-exclusive";
	return NULL;
}

static bool restore_ok(const struct check_run *r, int i, struct check_verdict *v)
{
	const struct dx_event *e = &r->events[i], *s = set_of(r, i);
	uint64_t a = e->num[DXF_ADDR], pte = e->num[DXF_PTE], st = e->num[DXF_STATE];
	bool w = bit(pte, PTE_WRITE);
	const char *ro = must_stay_readonly(st, pte);

	if (!bit(pte, PTE_PRESENT))
		check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": the %s left no present PTE",
				  a, end_name(e));
	else if (s && s->num[DXF_PFN] != e->num[DXF_PFN])
		check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": the %s mapped PFN 0x%" PRIx64
				  ", the entry held 0x%" PRIx64, a, end_name(e), e->num[DXF_PFN],
				  s->num[DXF_PFN]);
	else if (s && bit(s->num[DXF_PTE], PTE_SOFT_DIRTY) && !bit(pte, PTE_SOFT_DIRTY) &&
		 !sd_cleared(r, (int)(s - r->events), i, a))
		check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": soft-dirty at the conversion, "
				  "lost by the %s", a, end_name(e));
	else if (w && ro)
		check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": the %s made it writable, but "
				  "%s", a, end_name(e), ro);
	else if (!w && !ro)
		check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": the %s left it read-only, but "
				  "the VMA is writable, the page anon-exclusive and nothing tracks "
				  "writes", a, end_name(e));
	else if (bit(pte, PTE_DIRTY) != (w && bit(st, DXS_FOLIO_DIRTY)))
		check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": the %s left the PTE %s; "
				  "it is dirty exactly when writable and the folio dirty", a,
				  end_name(e), bit(pte, PTE_DIRTY) ? "dirty" : "clean");
	else
		return true;
	return false;
}

void judge_stream_restore(const struct check_run *r, struct check_verdict *v)
{
	unsigned int n = 0, writable = 0;

	for (unsigned int i = 0; i < r->nevents; i++) {
		if (r->events[i].kind != DX_RESTORE || !ev_has(&r->events[i], DXF_STATE))
			continue;
		if (!restore_ok(r, (int)i, v))
			return;
		n++;
		writable += bit(r->events[i].num[DXF_PTE], PTE_WRITE);
	}
	if (!n)
		check_verdict_set(v, CHECK_SKIP, "no restore in the window");
	else
		check_verdict_set(v, CHECK_PASS, "%u restores (%u writable, %u read-only), each as "
				  "can_change_pte_writable() decides, dirty and soft-dirty carried",
				  n, writable, n - writable);
}

void judge_stream_scope(const struct check_run *r, struct check_verdict *v)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i];
		uint64_t st = e->num[DXF_STATE];
		const char *why = NULL;

		if (e->kind != DX_SET || !ev_has(e, DXF_STATE))
			continue;
		n++;
		if (!bit(st, DXS_ANON))
			why = "a page that is not anonymous";
		else if (bit(st, DXS_VMA_SHARED))
			why = "a shared mapping";
		else if (!bit(st, DXS_VMA_WRITE))
			why = "a read-only mapping";
		else if (!bit(e->num[DXF_PTE], PTE_WRITE))
			why = "a PTE that was not writable";
		if (why) {
			check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": an entry was installed "
					  "for %s", e->num[DXF_ADDR], why);
			return;
		}
	}
	if (!n)
		check_verdict_set(v, CHECK_SKIP, "no conversion in the window");
	else
		check_verdict_set(v, CHECK_PASS, "%u conversions, all of anonymous pages mapped "
				  "writable in private writable mappings", n);
}

void check_stream_count(struct check_run *r)
{
	struct check_judged *j = &r->judged;

	memset(j, 0, sizeof(*j));
	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i];

		if (e->kind == DX_SET)
			j->set++;
		else if (e->kind == DX_RESTORE && ev_has(e, DXF_RESTORE_REASON) &&
			 e->num[DXF_RESTORE_REASON] < 2)
			j->restore[e->num[DXF_RESTORE_REASON]]++;
		else if (e->kind == DX_REMOVE && e->num[DXF_REMOVE_REASON] < 3)
			j->remove[e->num[DXF_REMOVE_REASON]]++;
		else if (e->kind == (r->probes ? DX_RANGE_START : DX_SUBSCRIBER))
			j->deliveries++;
	}
}

/* Keep one event (a trace_event_fn): what the judges read, RANGE applied. */
int check_keep_event(void *ctx, const struct dx_event *ev)
{
	struct check_run *r = ctx;

	if (ev->kind == DX_LOST) {
		r->events_lost = true;
		return 0;
	}
	if (ev->kind == DX_FORK || ev->kind == DX_EXIT || ev->kind == DX_EXEC)
		return 0;
	if ((ev->kind == DX_SET || ev->kind == DX_RESTORE || ev->kind == DX_REMOVE) &&
	    (ev->num[DXF_ADDR] < r->lo || ev->num[DXF_ADDR] >= r->hi))
		return 0;	/* outside RANGE */
	if (r->nevents == CHECK_MAX_EVENTS) {
		r->events_lost = true;
		return 0;
	}
	r->events[r->nevents++] = *ev;
	return 0;
}
