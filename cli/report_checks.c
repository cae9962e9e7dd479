// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report's verdicts: every check that 'devexctl check --watch' would have
 * judged over the recording's events, judged by the same stream judges
 * (check_stream.c, check_notify.c) on the events read back from the file
 * (record_events.c), with the subscribers of the start and end notifiers
 * documents as --watch reads them before and after its window.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "output.h"
#include "record_model.h"
#include "report_checks.h"

int report_checks_begin(struct rec_model *m, struct check_run **rp)
{
	struct check_run *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	/* RANGE is applied after reading, once the header said it. */
	r->lo = 0;
	r->hi = UINT64_MAX;
	m->event_fn = check_keep_event;
	m->event_ctx = r;
	*rp = r;
	return 0;
}

static uint64_t parse_addr(const char *s, uint64_t dflt)
{
	uint64_t v;

	return *s && event_field_parse(DXF_ADDR, s, &v) == 0 ? v : dflt;
}

/* The recording's own range: entry events outside it are not judged (as check RANGE). */
static void keep_range(struct check_run *r)
{
	unsigned int kept = 0;

	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i];

		if (check_is_entry(e) && (e->num[DXF_ADDR] < r->lo || e->num[DXF_ADDR] >= r->hi))
			continue;
		r->events[kept++] = *e;
	}
	r->nevents = kept;
}

/* What the recording can tell the judges, as check --watch learns it from the kernel. */
static void describe(const struct rec_model *m, struct check_run *r)
{
	r->watch = true;
	r->pid = (pid_t)m->pid;
	r->page_size = m->page_size;
	r->lo = parse_addr(m->range_start, 0);
	r->hi = parse_addr(m->range_end, UINT64_MAX);
	keep_range(r);
	r->have_events = !m->poll;
	if (m->poll)
		snprintf(r->events_why, sizeof(r->events_why),
			 "this recording polled pagemap (%s): it holds page states, no events",
			 m->source_reason);
	r->probes = strcmp(m->source, "probes") == 0;
	r->range_api = m->range_api;
	r->subscribed = m->subscribed;
	if (m->lost)
		r->events_lost = true;
	/* The probes see no subscriber list: they are judged per range. */
	if (!r->probes && m->have_subs_start) {
		check_set_subscribers(r, m->subs_start, m->nsubs_start, false);
		if (m->have_subs_end)
			check_set_subscribers(r, m->subs_end, m->nsubs_end, true);
	}
}

int report_checks_print(const struct rec_model *m, struct check_run *r)
{
	unsigned int selected = ~0u, nfail = 0, nmissing = 0;

	describe(m, r);
	check_stream_count(r);
	if (r->probes)
		for (const struct check_def *d = check_table; d->name; d++)
			if (!d->probes)
				selected &= ~(1u << (d - check_table));
	out_text("\nChecks over the recording (as 'check --watch' judges them):\n");
	out_open_object("verdicts");
	out_bool(OUT_JSON, "events_lost", "", r->events_lost);
	out_u64(OUT_JSON, "events_judged", "", r->nevents);
	if (r->nevents == CHECK_MAX_EVENTS)
		out_text("note: judged the first %u events of the recording\n", CHECK_MAX_EVENTS);
	if (r->have_events)
		check_print_judged(r);
	check_judge_print(r, selected, &nfail, &nmissing);
	if (r->have_events && !r->probes)
		check_print_unvaried(r);
	out_u64(OUT_JSON, "failed", "", nfail);
	out_u64(OUT_JSON, "missing", "", nmissing);
	out_close_object();
	return (int)nfail;
}
