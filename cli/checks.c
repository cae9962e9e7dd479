// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The invariant checks and their judges (design.md §8): what the 2025
 * device-exclusive rework and its review settled that a conversion and a
 * restore must keep doing.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "debugfs.h"
#include "output.h"

static const char *const result_names[] = {
	[CHECK_PASS] = "pass", [CHECK_FAIL] = "fail", [CHECK_SKIP] = "skip",
	[CHECK_MISSING] = "missing",
};

static void verdict(struct check_verdict *v, enum check_result res, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void verdict(struct check_verdict *v, enum check_result res, const char *fmt, ...)
{
	va_list ap;

	v->result = res;
	va_start(ap, fmt);
	vsnprintf(v->evidence, sizeof(v->evidence), fmt, ap);
	va_end(ap);
}

/* The index of the @nth event of @kind for @addr, or -1. */
static int find_op(const struct check_run *r, enum dx_kind kind, uint64_t addr, int nth)
{
	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i];

		if (e->kind == kind && e->num[DXF_ADDR] == addr && nth-- == 0)
			return (int)i;
	}
	return -1;
}

/* The index of the entry event for @addr before index @op (a window's start), or -1. */
static int prev_op(const struct check_run *r, uint64_t addr, int op)
{
	for (int i = op - 1; i >= 0; i--) {
		const struct dx_event *e = &r->events[i];

		if ((e->kind == DX_SET || e->kind == DX_RESTORE || e->kind == DX_REMOVE) &&
		    e->num[DXF_ADDR] == addr)
			return i;
	}
	return -1;
}

static bool same_sub(const struct dx_event *e, const struct dx_sub *sub)
{
	if (sub->has_id && ev_has(e, DXF_SUB))
		return e->num[DXF_SUB] == sub->id;
	return e->sym[0] && strcmp(e->sym, sub->callback) == 0;
}

/*
 * Subscriber calls for @sub with @event covering @addr, after the page's
 * previous entry event and no later than the operation's own (index @op):
 * a delivery must come before the entry changes.  *@late counts those
 * that came after it instead.
 */
static unsigned int count_delivered(const struct check_run *r, const struct dx_sub *sub,
				    uint64_t addr, uint64_t event, int op, unsigned int *late)
{
	const struct dx_event *o = &r->events[op];
	int from = prev_op(r, addr, op);
	unsigned int n = 0;

	for (int i = from + 1; i < (int)r->nevents; i++) {
		const struct dx_event *e = &r->events[i];

		if (e->kind != DX_SUBSCRIBER || e->num[DXF_EVENT] != event || !same_sub(e, sub) ||
		    addr < e->num[DXF_START] || addr >= e->num[DXF_END])
			continue;
		if (i < op && e->ts_ns <= o->ts_ns)
			n++;
		else if (i > op && !n)
			(*late)++;
		if (i > op)
			break;
	}
	return n;
}

/* Every subscriber covering each page got @event before each @kind entry event. */
static void judge_notify(const struct check_run *r, struct check_verdict *v, enum dx_kind kind,
			 uint64_t event, const char *what)
{
	unsigned int ops = 0, deliveries = 0;

	if (r->nsubs == 0) {
		verdict(v, CHECK_SKIP, "the mm has no MMU-notifier subscriber, so nobody to tell "
			"(open /dev/hmm_dmirror0 in the target to add one)");
		return;
	}
	for (unsigned int p = 0; p < r->npages; p++) {
		uint64_t addr = r->pages[p].addr;

		for (int round = 0; round < 2; round++) {
			int op = find_op(r, kind, addr, round);

			if (op < 0) {
				verdict(v, CHECK_FAIL, "page 0x%" PRIx64 " round %d: no %s event%s",
					addr, round + 1, what,
					r->events_lost ? " (events were lost)" : "");
				return;
			}
			ops++;
			for (unsigned int s = 0; s < r->nsubs; s++) {
				const struct dx_sub *sub = &r->subs[s];
				unsigned int late = 0;

				if (!rec_sub_covers(sub, addr))
					continue;
				if (!count_delivered(r, sub, addr, event, op, &late)) {
					verdict(v, CHECK_FAIL, "page 0x%" PRIx64 ": the %s at %" PRIu64
						" ns was not notified to %s (id 0x%08x) before it%s",
						addr, what, r->events[op].ts_ns, sub->callback, sub->id,
						late ? " (it was, after)" : "");
					return;
				}
				deliveries++;
			}
		}
	}
	verdict(v, CHECK_PASS, "%u %ss, %u deliveries to %u subscriber(s), each before the entry "
		"changed", ops, what, deliveries, r->nsubs);
}

static void judge_notify_convert(const struct check_run *r, struct check_verdict *v)
{
	judge_notify(r, v, DX_SET, MMU_NOTIFY_EXCLUSIVE, "conversion");
}

static void judge_notify_restore(const struct check_run *r, struct check_verdict *v)
{
	judge_notify(r, v, DX_RESTORE, MMU_NOTIFY_CLEAR, "restore");
}

/* Each round of each page converted; otherwise fail with the errno. */
static bool all_converted(const struct check_run *r, struct check_verdict *v)
{
	for (unsigned int p = 0; p < r->npages; p++) {
		for (int round = 0; round < 2; round++) {
			const struct check_round *cr = &r->pages[p].round[round];

			if (!cr->converted) {
				verdict(v, CHECK_FAIL, "page 0x%" PRIx64 " round %d: conversion failed (%d)",
					r->pages[p].addr, round + 1, cr->conv_errno);
				return false;
			}
		}
	}
	return true;
}

static void judge_mapcount(const struct check_run *r, struct check_verdict *v)
{
	if (!all_converted(r, v))
		return;
	for (unsigned int p = 0; p < r->npages; p++) {
		for (int round = 0; round < 2; round++) {
			const struct check_round *cr = &r->pages[p].round[round];

			if (cr->mapcount_before != cr->mapcount_after) {
				verdict(v, CHECK_FAIL, "page 0x%" PRIx64 ": folio mapcount %d before the "
					"conversion, %d while exclusive", r->pages[p].addr,
					cr->mapcount_before, cr->mapcount_after);
				return;
			}
		}
	}
	verdict(v, CHECK_PASS, "%u pages x 2 conversions: mapcount unchanged (%d for the first)",
		r->npages, r->pages[0].round[0].mapcount_after);
}

static bool crc_unchanged(const struct check_run *r, struct check_verdict *v)
{
	for (unsigned int p = 0; p < r->npages; p++) {
		const struct check_round *a = &r->pages[p].round[0], *b = &r->pages[p].round[1];

		if (!a->have_crc || !b->have_crc) {
			verdict(v, CHECK_FAIL, "page 0x%" PRIx64 ": not listed in entries while exclusive",
				r->pages[p].addr);
			return false;
		}
		if (a->crc != b->crc) {
			verdict(v, CHECK_FAIL, "page 0x%" PRIx64 ": contents changed across a restore "
				"(crc32 %08x, then %08x)", r->pages[p].addr, a->crc, b->crc);
			return false;
		}
	}
	return true;
}

static void judge_dirty(const struct check_run *r, struct check_verdict *v)
{
	unsigned int dirty = 0;

	if (!all_converted(r, v))
		return;
	for (unsigned int p = 0; p < r->npages; p++) {
		for (int round = 0; round < 2; round++) {
			const struct check_round *cr = &r->pages[p].round[round];

			if (!(cr->pte_before & (1u << PTE_DIRTY)))
				continue;
			dirty++;
			if (!cr->folio_dirty) {
				verdict(v, CHECK_FAIL, "page 0x%" PRIx64 " round %d: PTE dirty before the "
					"conversion, folio clean after it", r->pages[p].addr, round + 1);
				return;
			}
		}
	}
	if (!crc_unchanged(r, v))
		return;
	verdict(v, CHECK_PASS, "%u dirty PTEs left dirty folios; %u checksums unchanged", dirty,
		r->npages);
}

static void judge_restore(const struct check_run *r, struct check_verdict *v)
{
	static const struct { int bit; const char *name; } carried[] = {
		{ PTE_SOFT_DIRTY, "soft-dirty" }, { PTE_UFFD_WP, "uffd-wp" },
	};

	if (!all_converted(r, v))
		return;
	for (unsigned int p = 0; p < r->npages; p++) {
		for (int round = 0; round < 2; round++) {
			const struct check_round *cr = &r->pages[p].round[round];
			uint64_t a = r->pages[p].addr;
			bool want_write = cr->anon_exclusive;	/* the VMA is writable */

			if (!cr->restored || !(cr->pte_after & (1u << PTE_PRESENT))) {
				verdict(v, CHECK_FAIL, "page 0x%" PRIx64 " round %d: not restored to a "
					"present PTE", a, round + 1);
				return;
			}
			if (cr->restored_pfn != cr->pfn) {
				verdict(v, CHECK_FAIL, "page 0x%" PRIx64 ": restored PFN 0x%" PRIx64
					", was 0x%" PRIx64, a, cr->restored_pfn, cr->pfn);
				return;
			}
			if (!!(cr->pte_after & (1u << PTE_WRITE)) != want_write) {
				verdict(v, CHECK_FAIL, "page 0x%" PRIx64 ": restored %s, but the VMA is "
					"writable and the page %s exclusive to this mm", a,
					want_write ? "read-only" : "writable", want_write ? "is" : "is not");
				return;
			}
			for (unsigned int i = 0; i < 2; i++) {
				unsigned int bit = 1u << carried[i].bit;

				if ((cr->pte_before & bit) && !(cr->pte_after & bit)) {
					verdict(v, CHECK_FAIL, "page 0x%" PRIx64 ": %s lost by the restore",
						a, carried[i].name);
					return;
				}
			}
		}
	}
	if (!crc_unchanged(r, v))
		return;
	verdict(v, CHECK_PASS, "%u restores: present, same PFN, writable as expected, soft-dirty "
		"and uffd-wp carried, contents unchanged", 2 * r->npages);
}

static void judge_scope(const struct check_run *r, struct check_verdict *v)
{
	for (unsigned int i = 0; i < r->nattempts; i++) {
		const struct check_attempt *a = &r->attempts[i];

		if (a->converted) {
			verdict(v, CHECK_FAIL, "page 0x%" PRIx64 " of a %s mapping was converted "
				"(devexctl reverted it)", a->addr, a->perms);
			return;
		}
	}
	if (r->scope_bad) {
		verdict(v, CHECK_FAIL, "%u of %u entries lie where none may: %s", r->scope_bad,
			r->scope_entries, r->scope_first_bad);
		return;
	}
	if (r->nattempts == 2)
		verdict(v, CHECK_PASS, "%u entries, all anonymous in private writable mappings; "
			"conversions refused in %s (%d) and %s (%d) mappings", r->scope_entries,
			r->attempts[0].perms, r->attempts[0].conv_errno, r->attempts[1].perms,
			r->attempts[1].conv_errno);
	else if (r->nattempts == 1)
		verdict(v, CHECK_PASS, "%u entries, all anonymous in private writable mappings; "
			"conversion refused in a %s mapping (%d)", r->scope_entries,
			r->attempts[0].perms, r->attempts[0].conv_errno);
	else
		verdict(v, CHECK_PASS, "%u entries, all anonymous in private writable mappings "
			"(no present page in a read-only or shared mapping to try a conversion on)",
			r->scope_entries);
}

const struct check_def check_table[] = {
	{ "notify-on-convert",
	  "converting a page sends MMU_NOTIFY_EXCLUSIVE for it to every subscriber (other than "
	  "the converting owner) before the entry is installed",
	  true, judge_notify_convert },
	{ "notify-on-restore",
	  "restoring a page sends an invalidation for it to every subscriber, the device that "
	  "owned it included",
	  true, judge_notify_restore },
	{ "mapcount-unchanged",
	  "the folio's mapcount while exclusive equals its mapcount before the conversion",
	  false, judge_mapcount },
	{ "dirty-preserved",
	  "a page dirty in its PTE before conversion has a dirty folio afterwards, and its "
	  "contents checksum is unchanged",
	  false, judge_dirty },
	{ "restore-faithful",
	  "after a restore the PTE is present, has the same PFN, is writable when the VMA is "
	  "writable and the page exclusive to this mm, carries soft-dirty and uffd-wp over, and "
	  "the contents are unchanged",
	  false, judge_restore },
	{ "scope",
	  "no device-exclusive entry exists in a file-backed, shared, hugetlb or read-only "
	  "mapping, and conversion attempts there fail cleanly",
	  false, judge_scope },
	{ NULL, NULL, false, NULL },
};

const struct check_def *check_lookup(const char *name)
{
	for (const struct check_def *d = check_table; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static int sub_line(void *ctx, char *line)
{
	struct check_run *r = ctx;
	int rc;

	if (r->nsubs == CHECK_MAX_SUBS)
		return 0;
	rc = rec_sub_parse(line, &r->subs[r->nsubs]);
	if (rc > 0)
		r->nsubs++;
	return rc < 0 ? rc : 0;
}

int check_read_subscribers(const char *debugfs, struct check_run *r)
{
	char req[16];

	snprintf(req, sizeof(req), "%d", (int)r->pid);
	r->nsubs = 0;
	return dfs_request(debugfs, "notifiers", req, sub_line, r);
}

void check_print(const struct check_def *d, const struct check_verdict *v)
{
	char label[16];

	snprintf(label, sizeof(label), "%s", result_names[v->result]);
	for (char *p = label; *p; p++)
		*p = (char)(*p - ('a' - 'A'));
	out_open_object(NULL);
	out_string(OUT_JSON, "name", "", d->name);
	out_string(OUT_JSON, "result", "", result_names[v->result]);
	out_string(OUT_TEXT, NULL, "%-8s", label);
	out_string(OUT_TEXT, NULL, "%-20s ", d->name);
	out_string(OUT_JSON, "description", "", d->desc);
	out_string(OUT_ANY, "evidence", "%s\n", v->evidence);
	out_close_object();
}
