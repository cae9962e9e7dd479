// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report reads a recording's event lines back into the struct dx_event
 * that record printed (record_events.c): every kind of events.c's table,
 * with every field it carries set, goes through event_print() in JSON and
 * back through the model's event hook unchanged (kind, time, CPU, task,
 * comm, fields, a callback's symbol and address). A field of the wrong
 * type is an error naming the key; an unknown name is one too.  And the
 * notifiers document's subscribers come back as struct dx_sub.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "events.h"
#include "output.h"
#include "record_model.h"

#define HEADER "{\"type\":\"header\",\"format\":\"devexctl-record\",\"version\":1," \
	"\"page_size\":4096,\"start_mono_ns\":1,\"pid\":7,\"source\":\"tracepoints\"}"

static struct dx_event got[DX_NKINDS];
static unsigned int ngot;

static int keep(void *ctx, const struct dx_event *ev)
{
	(void)ctx;
	if (ngot < DX_NKINDS)
		got[ngot++] = *ev;
	return 0;
}

/* A value of field @f that reads back: names and bits within their tables. */
static uint64_t value_of(enum dx_field f, int k)
{
	const char *const *bits = event_field_bits(f);

	if (bits)
		return 0x5;
	switch (f) {
	case DXF_RESTORE_REASON:
		return 1;		/* fork */
	case DXF_REMOVE_REASON:
		return 2;		/* migrate */
	case DXF_EVENT:
		return 7;		/* exclusive */
	case DXF_INTERVAL:
		return 1;
	case DXF_MAPCOUNT:
	case DXF_RET:
		return (uint64_t)-2;	/* signed: sign-extended */
	default:
		return 0x1000u * (unsigned int)(k + 1) + (unsigned int)f;
	}
}

static void make(struct dx_event *ev, int k)
{
	const enum dx_field *fields;
	int n = event_kind_fields((enum dx_kind)k, &fields);

	memset(ev, 0, sizeof(*ev));
	ev->kind = (enum dx_kind)k;
	ev->ts_ns = 1000000u + (unsigned int)k;
	ev->cpu = k % 3;
	ev->task = 100 + k;
	snprintf(ev->comm, sizeof(ev->comm), "task%d", k);
	ev->source = k % 2 ? "probes" : "tracefs";
	for (int i = 0; i < n; i++)
		ev_set(ev, fields[i], value_of(fields[i], k));
	if (ev_has(ev, DXF_CB))
		snprintf(ev->sym, sizeof(ev->sym), "dmirror_interval_invalidate");
}

static int feed(struct rec_model *m, const char *line)
{
	char why[256];

	return rec_model_line(m, line, strlen(line), why, sizeof(why));
}

static void round_trip(void)
{
	struct rec_model *m = rec_model_new();
	struct dx_event want[DX_NKINDS];
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	CHECK(m && mem, "allocations");
	m->event_fn = keep;
	CHECK_INT(feed(m, HEADER), 0, "header");
	out_init(false, false);
	out_push_json(mem);
	for (int k = 0; k < DX_NKINDS; k++) {
		make(&want[k], k);
		event_print(&want[k]);
	}
	out_pop();
	fclose(mem);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		CHECK_INT(feed(m, line), 0, line);
	CHECK_INT(ngot, DX_NKINDS, "every kind came back");
	for (unsigned int k = 0; k < ngot && k < DX_NKINDS; k++) {
		const struct dx_event *a = &want[k], *b = &got[k];
		const char *name = event_kind_name(a->kind);

		CHECK_INT(b->kind, a->kind, name);
		CHECK_U64(b->ts_ns, a->ts_ns, name);
		CHECK_INT(b->cpu, a->cpu, name);
		CHECK_INT(b->task, a->task, name);
		CHECK_STR(b->comm, a->comm, name);
		CHECK_STR(b->source, a->source, name);
		CHECK_U64(b->has, a->has, name);
		for (int f = 0; f < DX_NFIELDS; f++)
			if (ev_has(a, (enum dx_field)f))
				CHECK_U64(b->num[f], a->num[f], event_field_key((enum dx_field)f));
		CHECK_STR(b->sym, a->sym, name);
	}
	free(buf);
	rec_model_free(m);
}

static void bad_fields(void)
{
	static const char *const bad[] = {
		"{\"type\":\"set\",\"timestamp_ns\":5,\"source\":\"tracefs\",\"addr\":[1]}",
		"{\"type\":\"set\",\"timestamp_ns\":5,\"source\":\"tracefs\",\"addr\":\"0x1\","
		"\"mm\":\"zz\"}",
		"{\"type\":\"restore\",\"timestamp_ns\":5,\"source\":\"tracefs\",\"addr\":\"0x1\","
		"\"reason\":\"teleport\"}",
	};
	struct rec_model *m = rec_model_new();

	m->event_fn = keep;
	CHECK_INT(feed(m, HEADER), 0, "header");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(feed(m, bad[i]), -EBADMSG, bad[i]);
	/* Not an event kind of the table (a newer writer's): skipped, no error. */
	CHECK_INT(feed(m, "{\"type\":\"teleport\",\"timestamp_ns\":5,\"source\":\"x\"}"), 0,
		  "an unknown kind");
	rec_model_free(m);
}

static void subscribers(void)
{
	struct rec_model *m = rec_model_new();

	CHECK_INT(feed(m, HEADER), 0, "header");
	CHECK_INT(feed(m, "{\"type\":\"notifiers\",\"when\":\"start\",\"document\":{"
		       "\"subscribers\":[{\"kind\":\"interval\",\"id\":\"0x0000002a\","
		       "\"ops\":\"dmirror_mrn_ops\",\"callback\":\"dmirror_interval_invalidate\","
		       "\"start\":\"0x1000\",\"last\":\"0x1fff\"},{\"kind\":\"classic\","
		       "\"ops\":\"kvm_mmu_notifier_ops\",\"callback\":\"kvm_inv\"}]}}"), 0,
		  "a notifiers document");
	CHECK(m->have_subs_start, "the start subscribers were read");
	CHECK_INT(m->nsubs_start, 2, "two subscribers");
	CHECK(m->subs_start[0].interval && m->subs_start[0].has_id, "an interval one with its id");
	CHECK_U64(m->subs_start[0].id, 42, "its id");
	CHECK_U64(m->subs_start[0].start, 0x1000, "its start");
	CHECK_U64(m->subs_start[0].last, 0x1fff, "its last");
	CHECK_STR(m->subs_start[1].callback, "kvm_inv", "a classic one's callback");
	CHECK(!m->subs_start[1].has_id && !m->subs_start[1].interval, "a classic one: no id");
	CHECK(!m->have_subs_end, "no end document");
	rec_model_free(m);
}

int main(void)
{
	round_trip();
	bad_fields();
	subscribers();
	CHECK_DONE();
}
