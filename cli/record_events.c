// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A recording's event lines and notifiers documents back into the
 * structures they were printed from (struct dx_event, struct dx_sub), so
 * that report can hand a recording to check's stream judges.  The field
 * names and kinds come from events.c's tables: what event_print() writes,
 * this reads.
 */
#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "record_model.h"

#define BAD(...) (snprintf(why, wlen, __VA_ARGS__), -EBADMSG)

/* The sources as static strings (ev->source is not owned by the event). */
static const char *source_name(const char *s)
{
	static const char *const known[] = { "tracefs", "probes", "connector", "poll" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return "other";
}

static int field(json_t *x, enum dx_field f, struct dx_event *ev, char *why, size_t wlen)
{
	const char *const *bits = event_field_bits(f);
	uint64_t v = 0;

	if (json_is_integer(x)) {
		v = (uint64_t)json_integer_value(x);
	} else if (json_is_null(x)) {
		v = (uint64_t)-1;	/* "lost": unknown */
	} else if (bits && json_is_object(x)) {
		for (unsigned int i = 0; bits[i]; i++)
			if (json_is_true(json_object_get(x, bits[i])))
				v |= 1ull << i;
	} else if (!json_is_string(x)) {
		return BAD("\"%s\" has the wrong type", event_field_key(f));
	} else if (event_field_parse(f, json_string_value(x), &v)) {
		/* A callback resolved to its symbol: the address is beside it. */
		if (f != DXF_CB)
			return BAD("\"%s\": bad value '%s'", event_field_key(f),
				   json_string_value(x));
		snprintf(ev->sym, sizeof(ev->sym), "%s", json_string_value(x));
		return 0;
	}
	ev_set(ev, f, v);
	return 0;
}

int rec_event_parse(json_t *o, const char *type, struct dx_event *ev, char *why, size_t wlen)
{
	const enum dx_field *fields;
	const char *s;
	json_t *x;
	int k = event_kind_lookup(type), n;

	if (k < 0)
		return -ENOENT;
	memset(ev, 0, sizeof(*ev));
	ev->kind = (enum dx_kind)k;
	ev->cpu = -1;
	x = json_object_get(o, "timestamp_ns");
	ev->ts_ns = json_is_integer(x) ? (uint64_t)json_integer_value(x) : 0;
	x = json_object_get(o, "cpu");
	if (json_is_integer(x))
		ev->cpu = (int)json_integer_value(x);
	x = json_object_get(o, "task");
	if (json_is_integer(x))
		ev->task = (int)json_integer_value(x);
	s = json_string_value(json_object_get(o, "comm"));
	if (s)
		snprintf(ev->comm, sizeof(ev->comm), "%s", s);
	s = json_string_value(json_object_get(o, "source"));
	ev->source = source_name(s ? s : "");
	n = event_kind_fields(ev->kind, &fields);
	for (int i = 0; i < n; i++) {
		int err;

		x = json_object_get(o, event_field_key(fields[i]));
		if (!x)
			continue;
		err = field(x, fields[i], ev, why, wlen);
		if (err)
			return err;
		if (fields[i] == DXF_CB && ev->sym[0]) {
			json_t *a = json_object_get(o, "callback_addr");

			if (json_is_string(a) &&
			    event_field_parse(DXF_ADDR, json_string_value(a), &ev->num[DXF_CB]) == 0)
				ev->has |= 1u << DXF_CB;
		}
	}
	return 0;
}

int rec_subs_parse(json_t *doc, struct dx_sub *subs, unsigned int *n, unsigned int max)
{
	json_t *arr = json_object_get(doc, "subscribers"), *x;
	size_t i;

	*n = 0;
	if (!json_is_array(arr))
		return -EINVAL;
	json_array_foreach(arr, i, x) {
		struct dx_sub *s = &subs[*n];
		const char *kind = json_string_value(json_object_get(x, "kind"));
		const char *id = json_string_value(json_object_get(x, "id"));
		const char *ops = json_string_value(json_object_get(x, "ops"));
		const char *cb = json_string_value(json_object_get(x, "callback"));
		const char *a = json_string_value(json_object_get(x, "start"));
		const char *b = json_string_value(json_object_get(x, "last"));
		uint64_t v;

		if (*n >= max)
			break;
		memset(s, 0, sizeof(*s));
		s->interval = kind && strcmp(kind, "interval") == 0;
		if (id && event_field_parse(DXF_SUB, id, &v) == 0) {
			s->has_id = true;
			s->id = (uint32_t)v;
		}
		snprintf(s->ops, sizeof(s->ops), "%s", ops ? ops : "");
		snprintf(s->callback, sizeof(s->callback), "%s", cb ? cb : "");
		s->last = UINT64_MAX;
		if (a && event_field_parse(DXF_ADDR, a, &v) == 0)
			s->start = v;
		if (b && event_field_parse(DXF_ADDR, b, &v) == 0)
			s->last = v;
		(*n)++;
	}
	return 0;
}
