// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl notifiers PID: the MMU-notifier subscribers of PID's mm from
 * the devexcl debugfs interface, with the VMAs each interval covers.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "debugfs.h"
#include "errors.h"
#include "output.h"
#include "records.h"
#include "report.h"
#include "vmas.h"

struct notif_ctx {
	struct dx_sub subs[64];
	unsigned int n, dropped;
	bool has_mm;
	uint32_t mm_id;		/* the "mm id=" line: the tracepoints' mm field */
};

static int sub_line(void *ctx, char *line)
{
	struct notif_ctx *nc = ctx;
	struct dx_sub s;
	int rc;

	if (rec_mm_parse(line, &nc->mm_id) == 1) {
		nc->has_mm = true;
		return 0;
	}
	rc = rec_sub_parse(line, &s);

	if (rc <= 0)
		return rc;
	if (nc->n == sizeof(nc->subs) / sizeof(nc->subs[0]))
		nc->dropped++;
	else
		nc->subs[nc->n++] = s;
	return 0;
}

struct cover_ctx {
	unsigned long count;
};

static int cover_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct cover_ctx *cc = ctx;

	cc->count++;
	out_open_object(NULL);
	out_addr(OUT_JSON, "start", "", v->start);
	out_addr(OUT_JSON, "end", "", v->end);
	out_string(OUT_JSON, "name", "", v->name);
	out_close_object();
	return 0;
}

int notifiers_report(struct target *t)
{
	struct notif_ctx nc = { .n = 0 };
	char req[32];
	int err;

	snprintf(req, sizeof(req), "%d", (int)t->pid);
	err = t->ops->kernel_read(t, "notifiers", req, sub_line, &nc);
	if (err)
		return err;
	report_begin(t);
	if (nc.has_mm) {
		char id[16];

		snprintf(id, sizeof(id), "0x%08x", nc.mm_id);
		out_string(OUT_ANY, "mm_id", "mm id %s\n", id);
	}
	out_text("%-8s %-10s %-28s %-36s %-33s %s\n", "KIND", "ID", "OPS", "CALLBACK", "INTERVAL",
		 "COVERS");
	out_open_array("subscribers");
	for (unsigned int i = 0; i < nc.n; i++) {
		struct dx_sub *s = &nc.subs[i];
		struct cover_ctx cc = { 0 };
		struct range r = { .start = s->start, .end = s->last == UINT64_MAX ? UINT64_MAX : s->last + 1 };
		unsigned long matched;
		char interval[48];

		out_open_object(NULL);
		out_string(OUT_ANY, "kind", "%-8s ", s->interval ? "interval" : "classic");
		if (s->has_id) {	/* the id the tracepoints carry */
			char id[16];

			snprintf(id, sizeof(id), "0x%08x", s->id);
			out_string(OUT_ANY, "id", "%-10s ", id);
		} else {
			out_string(OUT_TEXT, NULL, "%-10s ", "-");
		}
		out_string(OUT_ANY, "ops", "%-28s ", s->ops);
		out_string(OUT_ANY, "callback", "%-36s ", s->callback);
		if (s->interval) {
			out_addr(OUT_JSON, "start", "", s->start);
			out_addr(OUT_JSON, "last", "", s->last);
			out_u64(OUT_JSON, "seq", "", s->seq);
			snprintf(interval, sizeof(interval), "0x%" PRIx64 "-0x%" PRIx64, s->start, s->last);
		} else {
			snprintf(interval, sizeof(interval), "whole mm");
		}
		out_string(OUT_TEXT, NULL, "%-33s ", interval);
		out_open_array("covers");
		err = vmas_foreach(t, &r, cover_vma, &cc, &matched);
		if (err == -EUSAGE)
			err = 0;	/* an interval above every mapping covers none */
		out_close_array();
		out_u64(OUT_ANY, "covers_vmas", "%" PRIu64 " VMAs\n", cc.count);
		out_close_object();
		if (err)
			return err;
	}
	out_close_array();
	out_u64(OUT_JSON, "total", "", nc.n);
	out_text("%u subscribers\n", nc.n);
	if (nc.dropped)
		out_text("note: %u more not shown\n", nc.dropped);
	return report_end(t);
}

int cmd_notifiers(struct cmd_ctx *c)
{
	struct target t;
	int err;

	err = report_open_target(&t, c->g, c->argv[0]);
	if (err)
		return err;
	err = notifiers_report(&t);
	target_close(&t);
	return err;
}
