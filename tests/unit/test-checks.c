// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checks' judges (checks.c, check_stream.c) on event streams built
 * here as the tracepoints record them (spec/tracefs-events.md): a set is
 * emitted inside its conversion's invalidation, after the subscriber
 * calls, so a delivery must come before the entry event it covers; each
 * restore and removal is judged against the page's conversion.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../cli/check.h"
#include "check.h"

#define PAGE 0x7f0000001000ULL
#define SUB_ID 0x1a2b3c4dU
#define SUB2_ID 0x55aa55aaU
#define OWNER 0x0bad0ddU

#define PTE(...) pte_bits((const int[]){ __VA_ARGS__, -1 })
static uint64_t pte_bits(const int *b)
{
	uint64_t v = 0;

	for (; *b >= 0; b++)
		v |= 1ull << *b;
	return v;
}

/* A dirty anon-exclusive page of a private writable VMA, tracking nothing. */
#define ST_NORMAL PTE(DXS_FOLIO_DIRTY, DXS_ANON, DXS_ANON_EXCLUSIVE, DXS_VMA_WRITE)
#define PTE_RW PTE(PTE_PRESENT, PTE_WRITE, PTE_DIRTY, PTE_SOFT_DIRTY)

static struct check_run *run(unsigned int nsubs)
{
	struct check_run *r = calloc(1, sizeof(*r));

	r->watch = true;
	r->have_events = true;
	r->have_debugfs = true;
	r->nsubs = nsubs;
	for (unsigned int i = 0; i < nsubs; i++) {
		r->subs[i].interval = true;
		r->subs[i].has_id = true;
		r->subs[i].id = i ? SUB2_ID : SUB_ID;
		r->subs[i].start = PAGE & ~0xfffffULL;
		r->subs[i].last = r->subs[i].start + 0x1fffff;
		snprintf(r->subs[i].callback, sizeof(r->subs[i].callback),
			 "dmirror_interval_invalidate");
	}
	return r;
}

static struct dx_event *add(struct check_run *r, enum dx_kind kind)
{
	struct dx_event *e = &r->events[r->nevents++];

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->ts_ns = 1000 + r->nevents;
	if (kind != DX_SUBSCRIBER && kind != DX_RANGE_START)
		ev_set(e, DXF_ADDR, PAGE);
	ev_set(e, DXF_PFN, 0x1234);
	return e;
}

static void deliver(struct check_run *r, uint64_t event, uint32_t sub, uint32_t owner)
{
	struct dx_event *e = add(r, DX_SUBSCRIBER);

	ev_set(e, DXF_SUB, sub);
	ev_set(e, DXF_EVENT, event);
	ev_set(e, DXF_OWNER, owner);
	ev_set(e, DXF_START, PAGE);
	ev_set(e, DXF_END, PAGE + 0x1000);
}

static void to_all(struct check_run *r, uint64_t event, uint32_t owner)
{
	for (unsigned int i = 0; i < r->nsubs; i++)
		deliver(r, event, r->subs[i].id, owner);
}

static void set(struct check_run *r, uint64_t pte, int64_t mapcount, uint64_t state)
{
	struct dx_event *e = add(r, DX_SET);

	ev_set(e, DXF_OWNER, OWNER);
	ev_set(e, DXF_PTE, pte);
	ev_set(e, DXF_MAPCOUNT, (uint64_t)mapcount);
	ev_set(e, DXF_STATE, state);
}

static void restore(struct check_run *r, int reason, uint64_t pte, int64_t mapcount,
		    uint64_t state)
{
	struct dx_event *e = add(r, DX_RESTORE);

	ev_set(e, DXF_RESTORE_REASON, (uint64_t)reason);
	ev_set(e, DXF_PTE, pte);
	ev_set(e, DXF_MAPCOUNT, (uint64_t)mapcount);
	ev_set(e, DXF_STATE, state);
}

static void remove_(struct check_run *r, int reason, int64_t mapcount, uint64_t state)
{
	struct dx_event *e = add(r, DX_REMOVE);

	ev_set(e, DXF_REMOVE_REASON, (uint64_t)reason);
	ev_set(e, DXF_MAPCOUNT, (uint64_t)mapcount);
	ev_set(e, DXF_STATE, state);
}

/* A correct kernel's conversion of the page. */
static void convert(struct check_run *r)
{
	to_all(r, MMU_NOTIFY_EXCLUSIVE, OWNER);
	set(r, PTE_RW, 1, ST_NORMAL);
}

static enum check_result judge(const char *name, const struct check_run *r, char *evidence)
{
	const struct check_def *d = check_lookup(name);
	struct check_verdict v = { 0 };

	check_judge(d, r, &v);
	snprintf(evidence, 512, "%s", v.evidence);
	return v.result;
}

static const char *const all[] = {
	"notify-on-convert", "notify-on-restore", "mapcount-unchanged", "dirty-preserved",
	"restore-faithful", "scope", NULL,
};

/* Every check passes, but @failing, which fails (NULL: none). */
static void expect(const struct check_run *r, const char *failing, const char *what)
{
	char ev[512];

	for (const char *const *n = all; *n; n++) {
		enum check_result res = judge(*n, r, ev);
		bool bad = failing && strcmp(*n, failing) == 0;

		if (bad)
			CHECK_INT(res, CHECK_FAIL, what);
		else
			CHECK(res == CHECK_PASS || res == CHECK_SKIP, ev);
		if (bad || res == CHECK_FAIL)
			printf("#   %s: %s: %s\n", what, *n, ev);
	}
}

int main(void)
{
	struct check_run *r;
	char ev[512];

	/* Every path of a correct kernel, two subscribers. */
	r = run(2);
	convert(r);
	to_all(r, MMU_NOTIFY_CLEAR, 0);
	restore(r, 0, PTE_RW, 1, ST_NORMAL);
	convert(r);
	to_all(r, MMU_NOTIFY_PROTECTION_PAGE, 0);
	restore(r, 1, PTE_RW, 1, ST_NORMAL);
	convert(r);
	to_all(r, MMU_NOTIFY_UNMAP, 0);
	remove_(r, 0, 1, ST_NORMAL);
	expect(r, NULL, "every path, correct");
	check_stream_count(r);
	CHECK_INT(r->judged.set, 3, "three conversions counted");
	CHECK_INT(r->judged.restore[1], 1, "one fork restore counted");
	CHECK_INT(r->judged.remove[0], 1, "one zap counted");
	CHECK_INT(judge("notify-on-restore", r, ev), CHECK_PASS, ev);
	CHECK(strstr(ev, "1 fault restores, 1 fork restores, 1 removals") != NULL, ev);
	{
		const char *unseen[16];
		unsigned int n = check_unseen(r, unseen, 16);
		char all_unseen[256] = "";

		for (unsigned int i = 0; i < n; i++)
			strcat(strcat(all_unseen, unseen[i]), ";");
		CHECK(strcmp(all_unseen, "soft-dirty tracking;a clean folio;uffd-wp;"
			     "a read-only VMA at the restore;a THP;") == 0, all_unseen);
	}
	free(r);

	/* The notifier moved after set_pte_at(): the delivery follows the set. */
	r = run(1);
	set(r, PTE_RW, 1, ST_NORMAL);
	to_all(r, MMU_NOTIFY_EXCLUSIVE, OWNER);
	expect(r, "notify-on-convert", "delivery after the set");
	judge("notify-on-convert", r, ev);
	CHECK(strstr(ev, "came after the entry changed") != NULL, ev);
	free(r);

	/* The second of two subscribers skipped: told apart by id, same callback. */
	r = run(2);
	deliver(r, MMU_NOTIFY_EXCLUSIVE, SUB_ID, OWNER);
	set(r, PTE_RW, 1, ST_NORMAL);
	expect(r, "notify-on-convert", "second subscriber skipped");
	judge("notify-on-convert", r, ev);
	CHECK(strstr(ev, "id 0x55aa55aa") != NULL, ev);
	free(r);

	/* An exclusive delivery with another owner is not the conversion's. */
	r = run(1);
	to_all(r, MMU_NOTIFY_EXCLUSIVE, 0);
	set(r, PTE_RW, 1, ST_NORMAL);
	expect(r, "notify-on-convert", "wrong owner");
	free(r);

	/* A fork restore needs the fork's PROTECTION_PAGE, a fault restore CLEAR. */
	r = run(1);
	convert(r);
	to_all(r, MMU_NOTIFY_CLEAR, 0);
	restore(r, 1, PTE_RW, 1, ST_NORMAL);
	expect(r, "notify-on-restore", "fork restore after a CLEAR only");
	free(r);
	r = run(1);
	convert(r);
	remove_(r, 2, 1, ST_NORMAL);
	expect(r, "notify-on-restore", "migration without an invalidation");
	free(r);

	/* mapcount: the pre-6.15 rmap drop shows at the restore. */
	r = run(1);
	to_all(r, MMU_NOTIFY_EXCLUSIVE, OWNER);
	set(r, PTE_RW, 0, ST_NORMAL);
	to_all(r, MMU_NOTIFY_CLEAR, 0);
	restore(r, 0, PTE_RW, 1, ST_NORMAL);
	expect(r, "mapcount-unchanged", "mapcount 0 while exclusive");
	free(r);

	/* dirty: a fork restore that finds the folio clean. */
	r = run(1);
	convert(r);
	to_all(r, MMU_NOTIFY_PROTECTION_PAGE, 0);
	restore(r, 1, PTE(PTE_PRESENT, PTE_WRITE, PTE_SOFT_DIRTY), 1,
		ST_NORMAL & ~PTE(DXS_FOLIO_DIRTY));
	expect(r, "dirty-preserved", "fork restore lost the folio's dirty bit");
	judge("dirty-preserved", r, ev);
	CHECK(strstr(ev, "fork restore") != NULL, ev);
	free(r);

	/* restore-faithful: read-only though it may write; writable though tracked. */
	r = run(1);
	convert(r);
	to_all(r, MMU_NOTIFY_CLEAR, 0);
	restore(r, 0, PTE(PTE_PRESENT, PTE_SOFT_DIRTY), 1, ST_NORMAL);
	expect(r, "restore-faithful", "read-only restore of a writable page");
	free(r);
	r = run(1);
	convert(r);
	to_all(r, MMU_NOTIFY_SOFT_DIRTY, 0);	/* clear_refs 4 */
	to_all(r, MMU_NOTIFY_CLEAR, 0);
	restore(r, 0, PTE(PTE_PRESENT), 1, ST_NORMAL | PTE(DXS_SD_TRACKING));
	expect(r, NULL, "soft-dirty tracking: read-only, soft-dirty cleared by clear_refs");
	free(r);
	r = run(1);
	to_all(r, MMU_NOTIFY_EXCLUSIVE, OWNER);
	set(r, PTE(PTE_PRESENT, PTE_WRITE, PTE_SOFT_DIRTY), 1, ST_NORMAL & ~PTE(DXS_FOLIO_DIRTY));
	to_all(r, MMU_NOTIFY_SOFT_DIRTY, 0);
	to_all(r, MMU_NOTIFY_CLEAR, 0);
	restore(r, 0, PTE(PTE_PRESENT, PTE_WRITE), 1,
		(ST_NORMAL & ~PTE(DXS_FOLIO_DIRTY)) | PTE(DXS_SD_TRACKING));
	expect(r, "restore-faithful", "writable while soft-dirty tracking needs a fault");
	judge("restore-faithful", r, ev);
	CHECK(strstr(ev, "soft-dirty tracking needs the next write to fault") != NULL, ev);
	free(r);
	r = run(1);
	convert(r);
	to_all(r, MMU_NOTIFY_CLEAR, 0);
	restore(r, 0, PTE(PTE_PRESENT, PTE_UFFD_WP, PTE_SOFT_DIRTY), 1,
		ST_NORMAL | PTE(DXS_UFFD_WP_VMA));
	expect(r, NULL, "uffd-wp: read-only and clean");
	free(r);

	/* scope: an entry in a read-only mapping. */
	r = run(1);
	to_all(r, MMU_NOTIFY_EXCLUSIVE, OWNER);
	set(r, PTE(PTE_PRESENT, PTE_DIRTY), 1, ST_NORMAL & ~PTE(DXS_VMA_WRITE));
	expect(r, "scope", "entry in a read-only mapping");
	free(r);

	/* Nothing happened in the window: every check skips. */
	r = run(1);
	for (const char *const *n = all; *n; n++)
		CHECK_INT(judge(*n, r, ev), CHECK_SKIP, *n);
	free(r);

	/* Without ids (an older interface): matched by the callback symbol. */
	r = run(1);
	r->subs[0].has_id = false;
	convert(r);
	snprintf(r->events[0].sym, sizeof(r->events[0].sym), "dmirror_interval_invalidate");
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_PASS, ev);
	r->events[0].sym[0] = '\0';	/* unresolved (kallsyms hidden): no match */
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_FAIL, "unresolved callback");
	free(r);

	/* An active check: a tested page without its set events fails, naming lost events. */
	r = run(1);
	r->watch = false;
	r->npages = 1;
	r->pages[0].addr = PAGE;
	r->pages[0].round[0].converted = r->pages[0].round[1].converted = true;
	r->events_lost = true;
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_FAIL, "no set");
	CHECK(strstr(ev, "events were lost") != NULL, ev);
	free(r);
	CHECK_DONE();
}
