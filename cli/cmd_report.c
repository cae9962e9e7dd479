// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl report FILE: what a recording (devexctl record) holds, summed
 * up: per VMA and per owner the conversions, restores by reason and
 * removals; notifier deliveries per subscriber; the pages that churned
 * most; the entries alive at the end and for how long; for a polled
 * recording, the page-state changes per state; the verdicts of check's
 * stream judges over the events (report_checks.c). --svg/--png also draw
 * the recording as a heatmap (report_heatmap.c, report_plot.c).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "errors.h"
#include "output.h"
#include "record_model.h"
#include "report_checks.h"
#include "report_heatmap.h"

#define REPORT_TOP 10		/* churned pages shown */
#define REPORT_ALIVE 100	/* alive entries listed (JSON; text shows REPORT_TOP) */

static bool counts_zero(const struct rm_counts *c)
{
	uint64_t r = 0;

	for (int i = 0; i < RR_NR; i++)
		r += c->restores[i];
	return !c->conversions && !r && !c->removals && !c->changes;
}

/* The counts' members, and their text columns. */
static void print_counts(const struct rm_counts *c, bool changes)
{
	char restores[64];

	out_u64(OUT_ANY, "conversions", "%8" PRIu64 " ", c->conversions);
	snprintf(restores, sizeof(restores), "%" PRIu64 "/%" PRIu64 "/%" PRIu64,
		 c->restores[RR_FAULT], c->restores[RR_FORK], c->restores[RR_UNKNOWN]);
	out_text("%-20s ", restores);
	out_open_object("restores");
	for (int i = 0; i < RR_NR; i++)
		out_u64(OUT_JSON, rm_reason_names[i], "", c->restores[i]);
	out_close_object();
	out_u64(OUT_ANY, "removals", "%8" PRIu64, c->removals);
	if (changes)
		out_u64(OUT_ANY, "changes", " %8" PRIu64, c->changes);
}

static void print_vmas(const struct rec_model *m)
{
	unsigned long quiet = 0;

	out_text("\n%-31s %-5s %8s %-20s %8s %8s %s\n", "VMA", "PERMS", "CONVERT",
		 "RESTORE fault/fork/?", "REMOVE", "CHANGES", "NAME");
	out_open_array("vmas");
	for (size_t i = 0; i < m->nvmas; i++) {
		const struct rm_vma *v = &m->vmas[i];
		char range[48];

		if (!out_is_json() && counts_zero(&v->c)) {
			quiet++;
			continue;
		}
		out_open_object(NULL);
		snprintf(range, sizeof(range), "0x%" PRIx64 "-0x%" PRIx64, v->start, v->end);
		out_text("%-31s ", range);
		out_addr(OUT_JSON, "start", "", v->start);
		out_addr(OUT_JSON, "end", "", v->end);
		out_string(OUT_ANY, "perms", "%-5s ", v->perms);
		print_counts(&v->c, true);
		out_string(OUT_ANY, "name", " %s", v->name[0] ? v->name : "[anon]");
		out_nl();
		out_close_object();
	}
	out_close_array();
	if (!counts_zero(&m->outside) || out_is_json()) {
		out_open_object("outside");
		out_text("%-31s %-5s ", "(outside the snapshots' VMAs)", "");
		print_counts(&m->outside, true);
		out_nl();
		out_close_object();
	}
	if (quiet)
		out_text("(%lu VMAs without events not shown)\n", quiet);
}

static void print_owners(const struct rec_model *m)
{
	out_text("\n%-18s %8s %-20s %8s\n", "OWNER", "CONVERT", "RESTORE fault/fork/?", "REMOVE");
	out_open_array("owners");
	for (size_t i = 0; i < m->nowners; i++) {
		out_open_object(NULL);
		out_string(OUT_ANY, "owner", "%-18s ", m->owners[i].id);
		print_counts(&m->owners[i].c, false);
		out_nl();
		out_close_object();
	}
	out_close_array();
	if (!m->nowners)
		out_text("(none: %s)\n", m->poll ? "polling cannot see owners" : "no conversion");
}

static void print_subs(const struct rec_model *m)
{
	out_text("\n%-12s %-40s %10s %8s\n", "SUBSCRIBER", "CALLBACK", "DELIVERED", "FAILED");
	out_open_array("subscribers");
	for (size_t i = 0; i < m->nsubs; i++) {
		const struct rm_sub *s = &m->subs[i];

		out_open_object(NULL);
		out_string(OUT_ANY, "id", "%-12s ", s->id);
		out_string(OUT_ANY, "callback", "%-40s ", s->callback[0] ? s->callback : "-");
		out_u64(OUT_ANY, "deliveries", "%10" PRIu64 " ", s->deliveries);
		out_u64(OUT_ANY, "failures", "%8" PRIu64 "\n", s->failures);
		out_close_object();
	}
	out_close_array();
	if (!m->nsubs)
		out_text("(none recorded%s)\n", m->poll ? ": polling cannot see notifiers" : "");
}

static int by_events(const void *a, const void *b)
{
	const struct rm_page *p = *(const struct rm_page *const *)a;
	const struct rm_page *q = *(const struct rm_page *const *)b;

	if (p->events != q->events)
		return p->events < q->events ? 1 : -1;
	return p->addr < q->addr ? -1 : p->addr > q->addr;
}

static int by_since(const void *a, const void *b)
{
	const struct rm_page *p = *(const struct rm_page *const *)a;
	const struct rm_page *q = *(const struct rm_page *const *)b;

	if (p->since_ns != q->since_ns)
		return p->since_ns < q->since_ns ? -1 : 1;
	return p->addr < q->addr ? -1 : p->addr > q->addr;
}

static void print_pages(const struct rec_model *m, const struct rm_page **v, uint64_t end_ns)
{
	size_t n = 0, alive = 0;

	for (size_t i = 0; i < m->pcap; i++)
		if (m->pages[i].addr && m->pages[i].events)
			v[n++] = &m->pages[i];
	qsort(v, n, sizeof(*v), by_events);
	out_text("\n%-18s %8s   (the pages that changed most)\n", "PAGE", "EVENTS");
	out_open_array("top_pages");
	for (size_t i = 0; i < n && i < REPORT_TOP; i++) {
		out_open_object(NULL);
		out_addr(OUT_ANY, "addr", "%-18s ", v[i]->addr);
		out_u64(OUT_ANY, "events", "%8" PRIu64 "\n", v[i]->events);
		out_close_object();
	}
	out_close_array();
	for (size_t i = 0; i < m->pcap; i++)
		if (m->pages[i].addr && m->pages[i].alive)
			v[alive++] = &m->pages[i];
	qsort(v, alive, sizeof(*v), by_since);
	out_open_object("alive_at_end");
	out_u64(OUT_ANY, "total", "\ndevice-exclusive at the end: %" PRIu64, alive);
	if (m->entries_end >= 0)
		out_i64(OUT_ANY, "kernel_entries", " (the kernel listed %" PRId64 ")",
			m->entries_end);
	if (alive)
		out_text("\n%-18s %12s %s\n", "PAGE", "FOR (s)", "OWNER");
	else
		out_nl();
	out_open_array("pages");
	for (size_t i = 0; i < alive && i < (out_is_json() ? REPORT_ALIVE : REPORT_TOP); i++) {
		const struct rm_page *p = v[i];
		uint64_t for_ns = end_ns > p->since_ns ? end_ns - p->since_ns : 0;

		out_open_object(NULL);
		out_addr(OUT_ANY, "addr", "%-18s ", p->addr);
		out_u64(OUT_JSON, "since_ns", "", p->since_ns);
		out_u64(OUT_JSON, "alive_ns", "", for_ns);
		out_text("%s%11.3f ", p->before_start ? ">" : " ", (double)for_ns / 1e9);
		out_bool(OUT_JSON, "before_start", "", p->before_start);
		out_string(OUT_ANY, "owner", "%s\n",
			   p->owner >= 0 ? m->owners[p->owner].id : "unknown");
		out_close_object();
	}
	out_close_array();
	out_close_object();
}

static void print_states(const struct rec_model *m)
{
	out_text("\n%-18s %10s %10s   (pages, between polls)\n", "STATE", "ENTERED", "LEFT");
	out_open_array("states");
	for (int s = 0; s < PS_NR; s++) {
		if (!m->state_in[s] && !m->state_out[s])
			continue;
		out_open_object(NULL);
		out_string(OUT_ANY, "state", "%-18s ", state_table[s].name);
		out_u64(OUT_ANY, "entered", "%10" PRIu64 " ", m->state_in[s]);
		out_u64(OUT_ANY, "left", "%10" PRIu64 "\n", m->state_out[s]);
		out_close_object();
	}
	out_close_array();
}

static void print_header(const struct rec_model *m, const char *path, uint64_t end_ns)
{
	out_string(OUT_ANY, "file", "recording %s\n", path);
	out_u64(OUT_JSON, "format_version", "", RECORD_VERSION);
	out_bool(OUT_JSON, "complete", "", m->have_trailer);
	out_i64(OUT_ANY, "pid", "  process %" PRId64, m->pid);
	out_string(OUT_ANY, "comm", " (%s)", m->comm);
	out_string(OUT_ANY, "kernel", ", kernel %s", m->kernel);
	out_string(OUT_ANY, "devexctl", ", devexctl %s\n", m->devexctl);
	out_string(OUT_ANY, "source", "  events from %s", m->source);
	out_string(OUT_ANY, "source_reason", " (%s)", m->source_reason);
	if (m->poll)
		out_u64(OUT_ANY, "interval_ms", ", every %" PRIu64 " ms", m->interval_ms);
	out_u64(OUT_JSON, "start_realtime_ns", "", m->start_real_ns);
	out_u64(OUT_JSON, "duration_ns", "", end_ns - m->start_ns);
	out_text("\n  %.3f s", (double)(end_ns - m->start_ns) / 1e9);
	if (m->have_trailer)
		out_string(OUT_ANY, "stopped", ", stopped: %s", m->stopped);
	else
		out_null(OUT_ANY, "stopped", ", %s", "incomplete: no trailer");
	out_u64(OUT_ANY, "events", ", %" PRIu64 " events", m->events);
	out_u64(OUT_ANY, "lost", ", %" PRIu64 " lost", m->lost);
	if (m->poll)
		out_u64(OUT_ANY, "polls", ", %" PRIu64 " polls", m->polls);
	out_u64(OUT_JSON, "lines", "", m->lines);
	out_nl();
	if (m->untracked_pages)
		out_u64(OUT_ANY, "untracked_pages", "note: %" PRIu64 " pages past the page table's "
			"bound were counted but not tracked\n", m->untracked_pages);
}

int cmd_report(struct cmd_ctx *c)
{
	const char *path = c->argv[0];
	struct rec_model *m = rec_model_new();
	const struct rm_page **v = NULL;
	struct check_run *r = NULL;
	struct heatmap h = { 0 };
	bool incomplete;
	uint64_t end_ns;
	int err;

	if (!m)
		return -ENOMEM;
	err = report_checks_begin(m, &r);
	if (!err)
		err = rec_read_file(path, m, &incomplete);
	if (err)
		goto out;
	if (incomplete)
		fprintf(stderr, "devexctl: warning: %s is incomplete: it has no trailer (the "
			"recorder was killed, or the file was cut after line %lu); the summary "
			"covers what it holds\n", path, m->lines);
	v = calloc(m->pcap ? m->pcap : 1, sizeof(*v));
	if (!v) {
		err = -ENOMEM;
		goto out;
	}
	err = report_pictures(c, m, path, &h);	/* before the summary: a failure prints none */
	if (err)
		goto out;
	end_ns = m->have_end ? m->end_ns : m->last_ns;
	if (end_ns < m->start_ns)
		end_ns = m->start_ns;
	out_open_object(NULL);
	print_header(m, path, end_ns);
	print_vmas(m);
	print_owners(m);
	print_subs(m);
	print_pages(m, v, end_ns);
	if (m->poll)
		print_states(m);
	report_checks_print(m, r);
	report_pictures_print(c, &h);
	out_close_object();
	err = out_finish();
out:
	hm_free(&h);
	free(v);
	free(r);
	rec_model_free(m);
	return err;
}
