// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexcl events (events.h): one table of kinds and one of fields drive
 * decoding a tracefs record through its format (libtraceevent) and
 * printing it, as text, JSON and the TUI's brief line.
 */
#include "config.h"

#include <errno.h>
#include <event-parse.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "output.h"
#include "records.h"

enum field_kind { FK_DEC, FK_SDEC, FK_ADDR, FK_ID, FK_BITS, FK_NAME };

/* Whether a field is in the one-line form of the TUI's event pane. */
enum field_brief { BRIEF_NO, BRIEF_YES, BRIEF_NONZERO };

static const char *const notify_events[] = {
	"unmap", "clear", "protection-vma", "protection-page",
	"soft-dirty", "release", "migrate", "exclusive", NULL,
};
static const char *const restore_reasons[] = { "fault", "fork", NULL };
static const char *const remove_reasons[] = { "zap", "unmap", "migrate", NULL };
static const char *const sub_kinds[] = { "classic", "interval", NULL };
/* The state bits of the device_exclusive events (DXS_*), as the kernel prints them. */
const char *const state_bit_names[DXS_NBITS + 1] = {
	[DXS_FOLIO_DIRTY] = "folio_dirty", [DXS_ANON] = "anon", [DXS_LARGE] = "large",
	[DXS_ANON_EXCLUSIVE] = "anon_exclusive", [DXS_VMA_WRITE] = "vma_write",
	[DXS_VMA_SHARED] = "vma_shared", [DXS_SD_TRACKING] = "sd_tracking",
	[DXS_UFFD_WP_VMA] = "uffd_wp_vma",
};

/* Each field: its name in the kernel's format, its JSON (and text) key, how it prints. */
static const struct field_info {
	const char *format;
	const char *key;
	enum field_kind kind;
	enum field_brief brief;
	const char *const *names;	/* FK_NAME: by value; FK_BITS: by bit, NULL-ended */
} field_table[DX_NFIELDS] = {
	[DXF_MM] = { "mm", "mm", FK_ID },
	[DXF_ADDR] = { "addr", "addr", FK_ADDR, BRIEF_YES },
	[DXF_PFN] = { "pfn", "pfn", FK_ADDR, BRIEF_YES },
	[DXF_OWNER] = { "owner", "owner", FK_ID, BRIEF_NONZERO },
	[DXF_PTE] = { "pte", "pte", FK_BITS, BRIEF_NO, pte_bit_names },
	[DXF_STATE] = { "state", "state", FK_BITS, BRIEF_NO, state_bit_names },
	[DXF_MAPCOUNT] = { "mapcount", "mapcount", FK_SDEC },
	[DXF_RESTORE_REASON] = { "reason", "reason", FK_NAME, BRIEF_YES, restore_reasons },
	[DXF_REMOVE_REASON] = { "reason", "reason", FK_NAME, BRIEF_YES, remove_reasons },
	[DXF_START] = { "start", "start", FK_ADDR, BRIEF_YES },
	[DXF_END] = { "end", "end", FK_ADDR, BRIEF_YES },
	[DXF_EVENT] = { "event", "event", FK_NAME, BRIEF_YES, notify_events },
	[DXF_FLAGS] = { "flags", "flags", FK_DEC },
	[DXF_SUB] = { "sub", "sub", FK_ID, BRIEF_YES },
	[DXF_INTERVAL] = { "interval", "sub_kind", FK_NAME, BRIEF_NO, sub_kinds },
	[DXF_CB] = { "cb", "callback", FK_ADDR, BRIEF_YES },
	[DXF_RET] = { "ret", "ret", FK_SDEC, BRIEF_NONZERO },
	[DXF_PARENT_PID] = { "parent_pid", "parent_pid", FK_SDEC, BRIEF_YES },
	[DXF_CHILD_PID] = { "child_pid", "child_pid", FK_SDEC, BRIEF_YES },
	[DXF_PID] = { "pid", "pid", FK_SDEC, BRIEF_YES },
	[DXF_LOST] = { NULL, "lost", FK_SDEC, BRIEF_YES },
};

#define KIND_MAX_FIELDS 9

/* Each kind: the tracepoint it decodes (if any) and its fields, in print order. */
static const struct kind_info {
	const char *name;
	const char *system, *event;
	int nfields;
	enum dx_field fields[KIND_MAX_FIELDS];
} kind_table[DX_NKINDS] = {
	[DX_SET] = { "set", "device_exclusive", "device_exclusive_set", 7,
		{ DXF_MM, DXF_ADDR, DXF_PFN, DXF_OWNER, DXF_PTE, DXF_MAPCOUNT, DXF_STATE } },
	[DX_RESTORE] = { "restore", "device_exclusive", "device_exclusive_restore", 7,
		{ DXF_MM, DXF_ADDR, DXF_PFN, DXF_PTE, DXF_MAPCOUNT, DXF_STATE,
		  DXF_RESTORE_REASON } },
	[DX_REMOVE] = { "remove", "device_exclusive", "device_exclusive_remove", 6,
		{ DXF_MM, DXF_ADDR, DXF_PFN, DXF_MAPCOUNT, DXF_STATE, DXF_REMOVE_REASON } },
	[DX_RANGE_START] = { "range_start", "mmu_notifier", "mmu_notifier_invalidate_range_start", 6,
		{ DXF_MM, DXF_START, DXF_END, DXF_EVENT, DXF_OWNER, DXF_FLAGS } },
	[DX_RANGE_END] = { "range_end", "mmu_notifier", "mmu_notifier_invalidate_range_end", 6,
		{ DXF_MM, DXF_START, DXF_END, DXF_EVENT, DXF_OWNER, DXF_FLAGS } },
	[DX_SUBSCRIBER] = { "subscriber", "mmu_notifier", "mmu_notifier_invalidate_subscriber", 9,
		{ DXF_MM, DXF_SUB, DXF_INTERVAL, DXF_CB, DXF_START, DXF_END, DXF_EVENT,
		  DXF_OWNER, DXF_RET } },
	[DX_FORK] = { "fork", "sched", "sched_process_fork", 2, { DXF_PARENT_PID, DXF_CHILD_PID } },
	[DX_EXIT] = { "exit", "sched", "sched_process_exit", 1, { DXF_PID } },
	[DX_EXEC] = { "exec", NULL, NULL, 1, { DXF_PID } },
	[DX_LOST] = { "lost", NULL, NULL, 1, { DXF_LOST } },
	[DX_P_CONVERT] = { "convert", NULL, NULL, 4, { DXF_MM, DXF_ADDR, DXF_END, DXF_OWNER } },
	[DX_P_CONVERTED] = { "converted", NULL, NULL, 1, { DXF_RET } },
	[DX_P_FAULT] = { "fault", NULL, NULL, 1, { DXF_MM } },
	[DX_P_COPY] = { "copy", NULL, NULL, 1, { DXF_MM } },
	[DX_P_MM] = { "mm", NULL, NULL, 2, { DXF_MM, DXF_SUB } },
};

const char *event_kind_name(enum dx_kind k)
{
	return (unsigned int)k < DX_NKINDS ? kind_table[k].name : NULL;
}

const char *event_kind_system(enum dx_kind k)
{
	return (unsigned int)k < DX_NKINDS ? kind_table[k].system : NULL;
}

const char *event_kind_event(enum dx_kind k)
{
	return (unsigned int)k < DX_NKINDS ? kind_table[k].event : NULL;
}

bool event_kind_has_field(enum dx_kind k, enum dx_field f)
{
	if ((unsigned int)k >= DX_NKINDS)
		return false;
	for (int i = 0; i < kind_table[k].nfields; i++)
		if (kind_table[k].fields[i] == f)
			return true;
	return false;
}

/* Decoding: the kind table bound to one tep handle. */

struct field_bind {
	int offset, size;	/* size 0: the format lacks the field */
	bool is_signed;
};

struct dx_decoder {
	struct tep_handle *tep;
	struct field_bind type, pid;	/* common_type, common_pid */
	struct {
		int id;			/* -1: unbound */
		struct field_bind f[KIND_MAX_FIELDS];
	} kind[DX_NKINDS];
};

static bool bind_field(const struct tep_format_field *f, struct field_bind *b)
{
	if (!f || f->offset < 0 || (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8))
		return false;
	b->offset = f->offset;
	b->size = f->size;
	b->is_signed = f->flags & TEP_FIELD_IS_SIGNED;
	return true;
}

int event_decoder_bind(struct dx_decoder *d, enum dx_kind k, const char *system,
		       const char *event)
{
	const struct kind_info *ki = &kind_table[k];
	struct tep_event *e = tep_find_event_by_name(d->tep, system, event);

	d->kind[k].id = -1;
	if (!e)
		return -ENOENT;
	if (!d->type.size && (!bind_field(tep_find_common_field(e, "common_type"), &d->type) ||
			      !bind_field(tep_find_common_field(e, "common_pid"), &d->pid)))
		return -ENOENT;
	d->kind[k].id = e->id;
	memset(d->kind[k].f, 0, sizeof(d->kind[k].f));
	for (int i = 0; i < ki->nfields; i++)
		bind_field(tep_find_field(e, field_table[ki->fields[i]].format), &d->kind[k].f[i]);
	return 0;
}

struct dx_decoder *event_decoder_new(struct tep_handle *tep)
{
	struct dx_decoder *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->tep = tep;
	for (int k = 0; k < DX_NKINDS; k++) {
		d->kind[k].id = -1;
		if (kind_table[k].system)
			event_decoder_bind(d, (enum dx_kind)k, kind_table[k].system,
					   kind_table[k].event);
	}
	return d;
}

void event_decoder_free(struct dx_decoder *d)
{
	free(d);
}

bool event_decoder_bound(const struct dx_decoder *d, enum dx_kind k)
{
	return (unsigned int)k < DX_NKINDS && d->kind[k].id >= 0;
}

/* Read a bound field of @data; false when it lies past @size. */
static bool read_field(const struct dx_decoder *d, const struct field_bind *b, const void *data,
		       size_t size, uint64_t *v)
{
	uint64_t x;

	if ((size_t)b->offset > size || (size_t)b->size > size - (size_t)b->offset)
		return false;
	x = tep_read_number(d->tep, (const char *)data + b->offset, b->size);
	if (b->is_signed && b->size < 8 && (x & (1ULL << (b->size * 8 - 1))))
		x |= ~0ULL << (b->size * 8);
	*v = x;
	return true;
}

int event_decode(const struct dx_decoder *d, const void *data, size_t size, struct dx_event *ev)
{
	uint64_t type, pid;
	int k;

	memset(ev, 0, sizeof(*ev));
	ev->cpu = -1;
	ev->source = "tracefs";
	if (!d->type.size || !read_field(d, &d->type, data, size, &type) ||
	    !read_field(d, &d->pid, data, size, &pid))
		return -EINVAL;
	for (k = 0; k < DX_NKINDS; k++)
		if (d->kind[k].id >= 0 && (uint64_t)d->kind[k].id == type)
			break;
	if (k == DX_NKINDS)
		return -ENOENT;
	ev->kind = (enum dx_kind)k;
	ev->task = (int)pid;
	for (int i = 0; i < kind_table[k].nfields; i++) {
		const struct field_bind *b = &d->kind[k].f[i];
		uint64_t v;

		if (!b->size)
			continue;	/* an older or newer format: not there */
		if (!read_field(d, b, data, size, &v))
			return -EINVAL;
		ev_set(ev, kind_table[k].fields[i], v);
	}
	return 0;
}

/* Printing. */

static const char *field_name(enum dx_field f, uint64_t v)
{
	const char *const *names = field_table[f].names;

	for (uint64_t i = 0; names && names[i]; i++)
		if (i == v)
			return names[i];
	return NULL;
}

/* The text of field @f of @ev, as 'devexctl monitor' prints it. */
static void field_text(const struct dx_event *ev, enum dx_field f, char *buf, size_t len)
{
	const struct field_info *fi = &field_table[f];
	uint64_t v = ev->num[f];
	size_t used = 0;

	switch (fi->kind) {
	case FK_NAME:
		if (field_name(f, v))
			snprintf(buf, len, "%s", field_name(f, v));
		else
			snprintf(buf, len, "%" PRId64, (int64_t)v);
		break;
	case FK_BITS:
		buf[0] = '\0';
		for (unsigned int i = 0; fi->names[i]; i++)
			if (v & (1u << i) && used < len)
				used += (size_t)snprintf(buf + used, len - used, "%s%s",
							 used ? "," : "", fi->names[i]);
		if (!used)
			snprintf(buf, len, "-");
		break;
	case FK_ID:
		snprintf(buf, len, "0x%08" PRIx64, v);
		break;
	case FK_ADDR:
		if (f == DXF_CB && ev->sym[0])
			snprintf(buf, len, "%s", ev->sym);
		else
			snprintf(buf, len, "0x%" PRIx64, v);
		break;
	case FK_SDEC:
		snprintf(buf, len, "%" PRId64, (int64_t)v);
		break;
	case FK_DEC:
		snprintf(buf, len, "%" PRIu64, v);
		break;
	}
}

/* The JSON member of field @f, typed; @text is its field_text(). */
static void field_json(const struct dx_event *ev, enum dx_field f, const char *text)
{
	const struct field_info *fi = &field_table[f];
	uint64_t v = ev->num[f];

	switch (fi->kind) {
	case FK_BITS:
		out_open_object(fi->key);
		for (unsigned int i = 0; fi->names[i]; i++)
			out_bool(OUT_JSON, fi->names[i], "", v & (1u << i));
		out_close_object();
		break;
	case FK_NAME:
		if (field_name(f, v))
			out_string(OUT_JSON, fi->key, "", text);
		else
			out_i64(OUT_JSON, fi->key, "", (int64_t)v);
		break;
	case FK_ADDR:
	case FK_ID:
		out_string(OUT_JSON, fi->key, "", text);
		if (f == DXF_CB)
			out_addr(OUT_JSON, "callback_addr", "", v);
		break;
	case FK_SDEC:
		out_i64(OUT_JSON, fi->key, "", (int64_t)v);
		break;
	case FK_DEC:
		out_u64(OUT_JSON, fi->key, "", v);
		break;
	}
}

void event_print(const struct dx_event *ev)
{
	const struct kind_info *ki = &kind_table[ev->kind];
	char text[160];

	out_open_object(NULL);
	out_string(OUT_ANY, "type", "%-11s", ki->name);
	out_u64(OUT_ANY, "timestamp_ns", " ts=%" PRIu64, ev->ts_ns);
	if (ev->cpu >= 0)
		out_i64(OUT_ANY, "cpu", " cpu=%" PRId64, ev->cpu);
	if (ev->task)
		out_i64(OUT_ANY, "task", " task=%" PRId64, ev->task);
	if (ev->comm[0])
		out_string(OUT_ANY, "comm", " comm=%s", ev->comm);
	if (ev->source)
		out_string(OUT_JSON, "source", "", ev->source);
	for (int i = 0; i < ki->nfields; i++) {
		enum dx_field f = ki->fields[i];

		if (!ev_has(ev, f))
			continue;
		if (ev->kind == DX_LOST && (int64_t)ev->num[f] < 0) {
			out_null(OUT_ANY, field_table[f].key, " lost=%s", "unknown");
			continue;
		}
		field_text(ev, f, text, sizeof(text));
		out_text(" %s=%s", field_table[f].key, text);
		field_json(ev, f, text);
	}
	out_nl();
	out_close_object();
}

void event_format(const struct dx_event *ev, char *buf, size_t len)
{
	const struct kind_info *ki = &kind_table[ev->kind];
	char text[160];
	size_t used = (size_t)snprintf(buf, len, "%-7s", ki->name);

	for (int i = 0; i < ki->nfields && used < len; i++) {
		enum dx_field f = ki->fields[i];

		if (!ev_has(ev, f) || field_table[f].brief == BRIEF_NO ||
		    (field_table[f].brief == BRIEF_NONZERO && !ev->num[f]))
			continue;
		field_text(ev, f, text, sizeof(text));
		used += (size_t)snprintf(buf + used, len - used, " %s=%s", field_table[f].key, text);
	}
}

/* Reading back. */

int event_kind_lookup(const char *name)
{
	for (int k = 0; k < DX_NKINDS; k++)
		if (strcmp(kind_table[k].name, name) == 0)
			return k;
	return -1;
}

int event_kind_fields(enum dx_kind k, const enum dx_field **fields)
{
	if ((unsigned int)k >= DX_NKINDS)
		return 0;
	*fields = kind_table[k].fields;
	return kind_table[k].nfields;
}

const char *event_field_key(enum dx_field f)
{
	return field_table[f].key;
}

const char *const *event_field_bits(enum dx_field f)
{
	return field_table[f].kind == FK_BITS ? field_table[f].names : NULL;
}

int event_field_parse(enum dx_field f, const char *text, uint64_t *v)
{
	const struct field_info *fi = &field_table[f];
	char *end;

	if (fi->kind == FK_NAME) {
		for (uint64_t i = 0; fi->names[i]; i++) {
			if (strcmp(fi->names[i], text) == 0) {
				*v = i;
				return 0;
			}
		}
		return -EINVAL;
	}
	if ((fi->kind != FK_ADDR && fi->kind != FK_ID) || strncmp(text, "0x", 2) != 0 || !text[2])
		return -EINVAL;
	errno = 0;
	*v = strtoull(text + 2, &end, 16);
	return *end || errno ? -EINVAL : 0;
}

/* The task tree of monitor and the tui. */

void task_tree_init(struct dx_task_tree *t, int root, bool connector)
{
	t->n = 0;
	t->connector = connector;
	if (root > 0)
		t->pid[t->n++] = root;
}

static bool task_tree_has(const struct dx_task_tree *t, uint64_t pid)
{
	for (unsigned int i = 0; i < t->n; i++)
		if ((uint64_t)t->pid[i] == pid)
			return true;
	return false;
}

bool task_tree_follow(struct dx_task_tree *t, const struct dx_event *ev)
{
	if (ev->kind != DX_FORK && ev->kind != DX_EXIT && ev->kind != DX_EXEC)
		return false;
	if (!ev->source || (strcmp(ev->source, "connector") == 0) != t->connector)
		return false;
	if (ev->kind != DX_FORK)
		return task_tree_has(t, ev->num[DXF_PID]);
	if (!task_tree_has(t, ev->num[DXF_PARENT_PID]))
		return false;
	if (!task_tree_has(t, ev->num[DXF_CHILD_PID]) && t->n < DX_TREE_MAX)
		t->pid[t->n++] = (int)ev->num[DXF_CHILD_PID];
	return true;
}
