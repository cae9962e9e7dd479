// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The invariant checks (design.md §8): what the 2025 device-exclusive
 * rework and its review settled that a conversion, a restore and a removal
 * must keep doing. The table names each check and its judges; here they
 * are combined and printed.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "output.h"

static const char *const result_names[] = {
	[CHECK_PASS] = "pass", [CHECK_FAIL] = "fail", [CHECK_SKIP] = "skip",
	[CHECK_MISSING] = "missing",
};

const struct check_def check_table[] = {
	{ .name = "notify-on-convert",
	  .desc = "every subscriber covering the page gets MMU_NOTIFY_EXCLUSIVE with the "
		  "converter's owner before the entry is installed (the set event, under the "
		  "PTL)",
	  .needs_events = true, .stream = judge_stream_notify_convert, .probes = true },
	{ .name = "notify-on-restore",
	  .desc = "before an entry goes away every subscriber covering the page is told: "
		  "MMU_NOTIFY_CLEAR without owner for a fault restore, the fork's "
		  "MMU_NOTIFY_PROTECTION_PAGE for a fork restore, any invalidation for a "
		  "removal (zap, unmap, migration)",
	  .needs_events = true, .stream = judge_stream_notify_restore, .probes = true },
	{ .name = "mapcount-unchanged",
	  .desc = "the folio's mapcount while exclusive equals its mapcount before the "
		  "conversion, and at the restore or removal",
	  .rounds = judge_rounds_mapcount, .stream = judge_stream_mapcount },
	{ .name = "dirty-preserved",
	  .desc = "a page dirty in its PTE before conversion has a dirty folio afterwards, still "
		  "dirty at its restore or removal (fault, fork, zap, unmap, migration), and its "
		  "contents checksum is unchanged",
	  .rounds = judge_rounds_dirty, .stream = judge_stream_dirty },
	{ .name = "restore-faithful",
	  .desc = "after a restore the PTE is present with the same PFN, writable exactly when "
		  "can_change_pte_writable() allows (VMA writable, page anon-exclusive, no "
		  "soft-dirty or uffd-wp tracking that needs a write fault), dirty when writable "
		  "and the folio dirty, soft-dirty carried, and the contents unchanged",
	  .rounds = judge_rounds_restore, .stream = judge_stream_restore },
	{ .name = "scope",
	  .desc = "device-exclusive entries exist only in private writable anonymous mappings, "
		  "and conversion attempts elsewhere fail cleanly",
	  .rounds = judge_rounds_scope, .stream = judge_stream_scope },
	{ 0 },
};

const struct check_def *check_lookup(const char *name)
{
	for (const struct check_def *d = check_table; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/*
 * Both judges where both have evidence: a failure of either is the
 * verdict; two passes join their evidence; a judge with nothing to judge
 * (skip) leaves the other's verdict.
 */
void check_judge(const struct check_def *d, const struct check_run *r, struct check_verdict *v)
{
	struct check_verdict a = { CHECK_SKIP, "" }, b = { CHECK_SKIP, "" };
	bool ra = d->rounds && !r->watch, rb = d->stream && r->have_events;

	if (ra)
		d->rounds(r, &a);
	if (ra && a.result == CHECK_FAIL) {
		*v = a;
		return;
	}
	if (rb)
		d->stream(r, &b);
	if (!rb || b.result == CHECK_FAIL || (ra && b.result == CHECK_SKIP)) {
		*v = ra && (!rb || b.result != CHECK_FAIL) ? a : b;
		return;
	}
	if (!ra || a.result == CHECK_SKIP) {
		*v = b;
		return;
	}
	check_verdict_set(v, CHECK_PASS, "%s; events: %s", a.evidence, b.evidence);
}

struct sub_read {
	struct check_run *r;
	bool again;
	struct dx_sub now[CHECK_MAX_SUBS];
	unsigned int n;
};

static int sub_line(void *ctx, char *line)
{
	struct sub_read *s = ctx;

	return rec_sub_append(line, s->now, &s->n, CHECK_MAX_SUBS);
}

static bool sub_in(const struct dx_sub *set, unsigned int n, const struct dx_sub *sub)
{
	for (unsigned int i = 0; i < n; i++)
		if (set[i].has_id && sub->has_id ? set[i].id == sub->id :
		    strcmp(set[i].callback, sub->callback) == 0)
			return true;
	return false;
}

void check_set_subscribers(struct check_run *r, const struct dx_sub *now, unsigned int n,
			   bool again)
{
	unsigned int kept = 0;

	if (!again) {
		n = n < CHECK_MAX_SUBS ? n : CHECK_MAX_SUBS;
		memcpy(r->subs, now, n * sizeof(now[0]));
		r->nsubs = n;
		return;
	}
	for (unsigned int i = 0; i < r->nsubs; i++) {
		if (sub_in(now, n, &r->subs[i]))
			r->subs[kept++] = r->subs[i];
		else
			r->subs_changed++;
	}
	for (unsigned int i = 0; i < n; i++)
		r->subs_changed += !sub_in(r->subs, r->nsubs, &now[i]);
	r->nsubs = kept;
}

int check_read_subscribers(struct target *t, struct check_run *r, bool again)
{
	struct sub_read *s = calloc(1, sizeof(*s));
	char req[16];
	int err;

	if (!s)
		return -ENOMEM;
	snprintf(req, sizeof(req), "%d", (int)r->pid);
	err = t->ops->kernel_read(t, "notifiers", req, sub_line, s);
	if (!err)
		check_set_subscribers(r, s->now, s->n, again);
	free(s);
	return err;
}

/* Why @d has no verdict on what @r holds. */
static void missing_why(const struct check_run *r, const struct check_def *d,
			struct check_verdict *v)
{
	v->result = CHECK_MISSING;
	if (r->watch && r->have_events && r->probes && !d->probes)
		snprintf(v->evidence, sizeof(v->evidence), "needs the devexcl tracepoints "
			 "(kernel-debugfs/ patches): the probes of a stock kernel see no PTE, "
			 "mapcount or folio state");
	else if (!r->have_debugfs && !r->watch)
		snprintf(v->evidence, sizeof(v->evidence), "needs the devexcl debugfs interface "
			 "(kernel-debugfs/ patches, CONFIG_DEVEXCL_DEBUG)");
	else
		snprintf(v->evidence, sizeof(v->evidence), "needs events in tracefs (the devexcl "
			 "tracepoints, or the probes of a stock kernel; root): %s", r->events_why);
}

/* Whether what was gathered can judge @d. */
static bool judgeable(const struct check_run *r, const struct check_def *d)
{
	if (r->watch)
		return r->have_events && (!r->probes || d->probes);
	return r->have_debugfs && (!d->needs_events || r->have_events);
}

void check_judge_print(const struct check_run *r, unsigned int selected, unsigned int *nfail,
		       unsigned int *nmissing)
{
	out_open_array("checks");
	for (const struct check_def *d = check_table; d->name; d++) {
		struct check_verdict v = { 0 };

		if (!(selected & (1u << (d - check_table))))
			continue;
		if (!judgeable(r, d))
			missing_why(r, d, &v);
		else
			check_judge(d, r, &v);
		*nfail += v.result == CHECK_FAIL;
		*nmissing += v.result == CHECK_MISSING;
		check_print(d, &v);
	}
	out_close_array();
}

void check_print_fields(const struct check_def *d, const struct check_verdict *v)
{
	char label[16];

	snprintf(label, sizeof(label), "%s", result_names[v->result]);
	for (char *p = label; *p; p++)
		*p = (char)(*p - ('a' - 'A'));
	out_string(OUT_JSON, "name", "", d->name);
	out_string(OUT_JSON, "result", "", result_names[v->result]);
	out_string(OUT_TEXT, NULL, "%-8s", label);
	out_string(OUT_TEXT, NULL, "%-20s ", d->name);
	out_string(OUT_JSON, "description", "", d->desc);
	out_string(OUT_ANY, "evidence", "%s\n", v->evidence);
}

void check_print(const struct check_def *d, const struct check_verdict *v)
{
	out_open_object(NULL);
	check_print_fields(d, v);
	out_close_object();
}

void check_print_judged(const struct check_run *r)
{
	const struct check_judged *j = &r->judged;

	out_text("judged: %u conversions, %u restores (fault %u, fork %u), %u removals "
		 "(zap %u, unmap %u, migrate %u), ",
		 j->set, j->restore[0] + j->restore[1], j->restore[0], j->restore[1],
		 j->remove[0] + j->remove[1] + j->remove[2], j->remove[0], j->remove[1],
		 j->remove[2]);
	if (r->probes)
		out_text("%u invalidations of the mm (probes: per range, not per subscriber)",
			 j->deliveries);
	else
		out_text("%u deliveries to %u subscribers", j->deliveries, r->nsubs);
	if (r->subs_changed)
		out_text(" (%u more came or went, not judged)", r->subs_changed);
	out_nl();
	out_open_object("judged");
	out_u64(OUT_JSON, "conversions", "", j->set);
	out_u64(OUT_JSON, "restores_fault", "", j->restore[0]);
	out_u64(OUT_JSON, "restores_fork", "", j->restore[1]);
	out_u64(OUT_JSON, "removals_zap", "", j->remove[0]);
	out_u64(OUT_JSON, "removals_unmap", "", j->remove[1]);
	out_u64(OUT_JSON, "removals_migrate", "", j->remove[2]);
	out_string(OUT_JSON, "events", "", r->probes ? "probes" : "tracepoints");
	out_u64(OUT_JSON, "deliveries", "", j->deliveries);
	out_u64(OUT_JSON, "subscribers", "", r->nsubs);
	out_u64(OUT_JSON, "subscribers_changed", "", r->subs_changed);
	out_close_object();
}

void check_print_unvaried(const struct check_run *r)
{
	const char *names[16];
	unsigned int n = check_unseen(r, names, 16);

	out_open_array("conditions_not_seen");
	for (unsigned int i = 0; i < n; i++) {
		out_string(OUT_JSON, NULL, "", names[i]);
		out_text("%s%s", i ? ", " : "note: not seen in this run: ", names[i]);
	}
	out_close_array();
	if (n)
		out_text("; 'devexctl check --self' covers each\n");
}

/* The conditions that make checks fail only where they hold (check --self covers each). */
static bool seen_state(const struct check_run *r, enum dx_kind k, unsigned int b, bool set)
{
	for (unsigned int i = 0; i < r->nevents; i++)
		if (r->events[i].kind == k && ev_has(&r->events[i], DXF_STATE) &&
		    (bool)((r->events[i].num[DXF_STATE] >> b) & 1) == set)
			return true;
	return false;
}

static bool seen_sd(const struct check_run *r)
{
	return seen_state(r, DX_RESTORE, DXS_SD_TRACKING, true);
}

static bool seen_clean(const struct check_run *r)
{
	return seen_state(r, DX_SET, DXS_FOLIO_DIRTY, false);
}

static bool seen_uffd(const struct check_run *r)
{
	return seen_state(r, DX_RESTORE, DXS_UFFD_WP_VMA, true);
}

static bool seen_ro(const struct check_run *r)
{
	return seen_state(r, DX_RESTORE, DXS_VMA_WRITE, false);
}

static bool seen_fork(const struct check_run *r)
{
	return r->judged.restore[1] > 0;
}

static bool seen_thp(const struct check_run *r)
{
	return seen_state(r, DX_SET, DXS_LARGE, true);
}

static bool seen_subs(const struct check_run *r)
{
	return r->nsubs >= 2;
}

static const struct {
	const char *name;
	bool (*seen)(const struct check_run *r);
} conditions[] = {
	{ "soft-dirty tracking", seen_sd }, { "a clean folio", seen_clean },
	{ "uffd-wp", seen_uffd }, { "a read-only VMA at the restore", seen_ro },
	{ "a fork restore", seen_fork }, { "a THP", seen_thp },
	{ "two subscribers", seen_subs },
};

unsigned int check_unseen(const struct check_run *r, const char **names, unsigned int max)
{
	unsigned int n = 0;

	for (size_t i = 0; i < sizeof(conditions) / sizeof(conditions[0]) && n < max; i++)
		if (!conditions[i].seen(r))
			names[n++] = conditions[i].name;
	return n;
}
