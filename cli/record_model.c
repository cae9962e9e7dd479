// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A recording's lines into report's model (record_model.h), parsed with
 * jansson. Every line is checked before it is used: a wrong type or a
 * missing field is an error naming the key, never a crash; line kinds a
 * newer writer added are skipped (doc/record-format.md).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record_model.h"

const char *const rm_reason_names[RR_NR] = {
	[RR_FAULT] = "fault", [RR_FORK] = "fork", [RR_UNKNOWN] = "unknown",
};

const char *const rm_kind_names[RK_NR] = {
	[RK_CONVERT] = "conversion", [RK_RESTORE] = "restore", [RK_REMOVE] = "removal",
	[RK_CHANGE] = "change", [RK_NOTIFY] = "notifier",
};

/* A failed check: the reason into why[], the line's error. */
#define BAD(...) (snprintf(why, wlen, __VA_ARGS__), -EBADMSG)

struct rec_model *rec_model_new(void)
{
	struct rec_model *m = calloc(1, sizeof(*m));

	if (m) {
		m->entries_start = m->entries_end = -1;
		m->pid = -1;
	}
	return m;
}

void rec_model_free(struct rec_model *m)
{
	if (!m)
		return;
	free(m->vmas);
	free(m->owners);
	free(m->subs);
	free(m->pages);
	free(m->tl);
	free(m->runs);
	free(m);
}

bool rec_model_complete(const struct rec_model *m)
{
	return m->have_trailer;
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	void *np;
	size_t ncap;

	if (n < *cap)
		return p;
	ncap = *cap ? *cap * 2 : 16;
	np = realloc(p, ncap * size);
	if (!np)
		return NULL;
	memset((char *)np + *cap * size, 0, (ncap - *cap) * size);
	*cap = ncap;
	return np;
}

static int get_u64(json_t *o, const char *k, uint64_t *v, char *why, size_t wlen)
{
	json_t *x = json_object_get(o, k);

	if (!json_is_integer(x) || json_integer_value(x) < 0)
		return BAD("\"%s\" is missing or not a non-negative integer", k);
	*v = (uint64_t)json_integer_value(x);
	return 0;
}

static int get_addr(json_t *o, const char *k, uint64_t *v, char *why, size_t wlen)
{
	const char *s = json_string_value(json_object_get(o, k));
	char *end;

	if (!s || strncmp(s, "0x", 2) != 0 || !s[2])
		return BAD("\"%s\" is missing or not a \"0x...\" address", k);
	errno = 0;
	*v = strtoull(s + 2, &end, 16);
	if (*end || errno)
		return BAD("\"%s\": bad address '%s'", k, s);
	return 0;
}

/* An optional string, copied (cut to @len). */
static void get_str(json_t *o, const char *k, char *buf, size_t len)
{
	const char *s = json_string_value(json_object_get(o, k));

	snprintf(buf, len, "%s", s ? s : "");
}

/* The VMA @addr lies in, by the snapshots; NULL: outside them all. */
static struct rm_counts *vma_counts(struct rec_model *m, uint64_t addr)
{
	for (size_t i = 0; i < m->nvmas; i++)
		if (addr >= m->vmas[i].start && addr < m->vmas[i].end)
			return &m->vmas[i].c;
	return &m->outside;
}

static int owner_index(struct rec_model *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nowners; i++)
		if (strcmp(m->owners[i].id, id) == 0)
			return (int)i;
	if (m->nowners >= RM_MAX_OWNERS)
		return -1;
	m->owners = grow(m->owners, &m->ocap, m->nowners, sizeof(*m->owners));
	if (!m->owners)
		return -1;
	snprintf(m->owners[m->nowners].id, sizeof(m->owners[0].id), "%s", id);
	return (int)m->nowners++;
}

static struct rm_sub *sub_find(struct rec_model *m, const char *id)
{
	for (size_t i = 0; i < m->nsubs; i++)
		if (strcmp(m->subs[i].id, id) == 0)
			return &m->subs[i];
	if (m->nsubs >= RM_MAX_SUBS)
		return NULL;
	m->subs = grow(m->subs, &m->scap, m->nsubs, sizeof(*m->subs));
	if (!m->subs)
		return NULL;
	snprintf(m->subs[m->nsubs].id, sizeof(m->subs[0].id), "%s", id);
	return &m->subs[m->nsubs++];
}

static uint64_t page_hash(uint64_t addr, size_t cap)
{
	return (addr >> 12) * 0x9e3779b97f4a7c15ull & (cap - 1);
}

/* The page at @addr (open addressing, at most half full); NULL past the bound. */
static struct rm_page *page_get(struct rec_model *m, uint64_t addr)
{
	uint64_t h;

	addr &= ~0xfffull;
	if (!addr)
		addr = 1;	/* keep 0 for free slots */
	if (m->pcap) {
		for (h = page_hash(addr, m->pcap); m->pages[h].addr; h = (h + 1) & (m->pcap - 1))
			if (m->pages[h].addr == addr)
				return &m->pages[h];
	}
	if (m->npages >= RM_MAX_PAGES) {
		m->untracked_pages++;
		return NULL;
	}
	if (2 * (m->npages + 1) > m->pcap) {
		size_t ncap = m->pcap ? m->pcap * 2 : 1024;
		struct rm_page *np = calloc(ncap, sizeof(*np));

		if (!np)
			return NULL;
		for (size_t i = 0; i < m->pcap; i++) {
			if (!m->pages[i].addr)
				continue;
			h = page_hash(m->pages[i].addr, ncap);
			while (np[h].addr)
				h = (h + 1) & (ncap - 1);
			np[h] = m->pages[i];
		}
		free(m->pages);
		m->pages = np;
		m->pcap = ncap;
	}
	for (h = page_hash(addr, m->pcap); m->pages[h].addr; h = (h + 1) & (m->pcap - 1))
		;
	m->pages[h] = (struct rm_page){ .addr = addr, .owner = -1 };
	m->npages++;
	return &m->pages[h];
}

/* One event onto the timeline; past the bound only counted. */
static void tl_add(struct rec_model *m, uint64_t ts, uint64_t addr, uint64_t pages,
		   enum rm_kind kind, int from, int to, int reason)
{
	struct rm_event *e;

	if (m->ntl >= RM_MAX_EVENTS) {
		m->tl_dropped++;
		return;
	}
	m->tl = grow(m->tl, &m->tlcap, m->ntl, sizeof(*m->tl));
	if (!m->tl) {
		m->ntl = m->tlcap = 0;
		m->tl_dropped++;
		return;
	}
	e = &m->tl[m->ntl++];
	*e = (struct rm_event){ .ts_ns = ts, .addr = addr, .pages = pages, .kind = (uint8_t)kind,
				.from = (uint8_t)from, .to = (uint8_t)to, .reason = (uint8_t)reason };
}

static void add_vma(struct rec_model *m, uint64_t start, uint64_t end, const char *perms,
		    const char *name)
{
	for (size_t i = 0; i < m->nvmas; i++)
		if (m->vmas[i].start == start && m->vmas[i].end == end)
			return;
	if (m->nvmas >= RM_MAX_VMAS)
		return;
	m->vmas = grow(m->vmas, &m->vcap, m->nvmas, sizeof(*m->vmas));
	if (!m->vmas) {
		m->nvmas = m->vcap = 0;
		return;
	}
	m->vmas[m->nvmas] = (struct rm_vma){ .start = start, .end = end };
	snprintf(m->vmas[m->nvmas].perms, sizeof(m->vmas[0].perms), "%s", perms);
	snprintf(m->vmas[m->nvmas].name, sizeof(m->vmas[0].name), "%s", name);
	m->nvmas++;
}

static int header_line(struct rec_model *m, json_t *o, char *why, size_t wlen)
{
	const char *fmt = json_string_value(json_object_get(o, "format"));
	json_t *range = json_object_get(o, "range"), *caps;
	uint64_t version;
	int err;

	if (!fmt || strcmp(fmt, RECORD_FORMAT) != 0)
		return BAD("not a devexctl recording (format is not \"%s\")", RECORD_FORMAT);
	if ((err = get_u64(o, "version", &version, why, wlen)))
		return err;
	if (version != RECORD_VERSION)
		return BAD("format version %" PRIu64 ": this devexctl reads version %d",
			   version, RECORD_VERSION);
	if ((err = get_u64(o, "page_size", &m->page_size, why, wlen)) ||
	    (err = get_u64(o, "start_mono_ns", &m->start_ns, why, wlen)))
		return err;
	if (m->page_size < 1024 || (m->page_size & (m->page_size - 1)))
		return BAD("page_size %" PRIu64 " is not a power of two", m->page_size);
	get_u64(o, "start_realtime_ns", &m->start_real_ns, why, wlen);
	get_u64(o, "interval_ms", &m->interval_ms, why, wlen);
	m->pid = json_integer_value(json_object_get(o, "pid"));
	get_str(o, "devexctl", m->devexctl, sizeof(m->devexctl));
	get_str(o, "kernel", m->kernel, sizeof(m->kernel));
	get_str(o, "comm", m->comm, sizeof(m->comm));
	get_str(o, "source", m->source, sizeof(m->source));
	get_str(o, "source_reason", m->source_reason, sizeof(m->source_reason));
	get_str(range, "start", m->range_start, sizeof(m->range_start));
	get_str(range, "end", m->range_end, sizeof(m->range_end));
	m->poll = strcmp(m->source, "poll") == 0;
	caps = json_object_get(o, "source_caps");
	m->range_api = json_is_true(json_object_get(caps, "range_api"));
	m->subscribed = json_is_true(json_object_get(caps, "subscribed"));
	m->last_ns = m->start_ns;
	m->have_header = true;
	return 0;
}

static int snapshot_line(struct rec_model *m, json_t *o, char *why, size_t wlen)
{
	const char *when = json_string_value(json_object_get(o, "when"));
	json_t *vmas = json_object_get(o, "vmas"), *runs = json_object_get(o, "runs"), *x;
	bool start = when && strcmp(when, "start") == 0;
	uint64_t ts, a, b;
	size_t i;
	int err;

	if (!when || (!start && strcmp(when, "end") != 0))
		return BAD("\"when\" is not \"start\" or \"end\"");
	if (!json_is_array(vmas) || !json_is_array(runs))
		return BAD("\"vmas\" or \"runs\" is not an array");
	if ((err = get_u64(o, "timestamp_ns", &ts, why, wlen)))
		return err;
	json_array_foreach(vmas, i, x) {
		char perms[5], name[128];

		if ((err = get_addr(x, "start", &a, why, wlen)) ||
		    (err = get_addr(x, "end", &b, why, wlen)))
			return err;
		if (b <= a)
			return BAD("vma %zu: end 0x%" PRIx64 " is not above start", i, b);
		get_str(x, "perms", perms, sizeof(perms));
		get_str(x, "name", name, sizeof(name));
		add_vma(m, a, b, perms, name);
	}
	json_array_foreach(runs, i, x) {
		const char *st = json_string_value(json_object_get(x, "state"));
		struct rm_page *p;

		if ((err = get_addr(x, "addr", &a, why, wlen)) ||
		    (err = get_u64(x, "pages", &b, why, wlen)))
			return err;
		if (!st || state_lookup(st) < 0)
			return BAD("run %zu: unknown state", i);
		if (start && m->nruns < RM_MAX_RUNS) {
			m->runs = grow(m->runs, &m->rcap, m->nruns, sizeof(*m->runs));
			if (!m->runs)
				m->nruns = m->rcap = 0;
			else
				m->runs[m->nruns++] = (struct rec_run){
					.addr = a, .pages = b, .state = (uint8_t)state_lookup(st) };
		}
		/* Entries alive before the recording began. */
		if (!start || state_lookup(st) != PS_DEVICE_EXCLUSIVE)
			continue;
		for (uint64_t k = 0; k < b && k < RM_MAX_PAGES; k++) {
			p = page_get(m, a + k * m->page_size);
			if (p) {
				p->alive = p->before_start = true;
				p->since_ns = ts;
			}
		}
	}
	if (start) {
		m->have_start = true;
	} else {
		m->have_end = true;
		m->end_ns = ts;
	}
	return 0;
}

/* A poll's change of @n pages from @from to @to. */
static void change(struct rec_model *m, uint64_t addr, uint64_t n, int from, int to, uint64_t ts)
{
	struct rm_counts *c = vma_counts(m, addr);

	m->state_out[from] += n;
	m->state_in[to] += n;
	c->changes++;
	tl_add(m, ts, addr, n, RK_CHANGE, from, to, RR_UNKNOWN);
	if (to == PS_DEVICE_EXCLUSIVE)
		c->conversions += n;
	else if (from == PS_DEVICE_EXCLUSIVE && to == PS_PRESENT)
		c->restores[RR_UNKNOWN] += n;
	else if (from == PS_DEVICE_EXCLUSIVE)
		c->removals += n;
	for (uint64_t k = 0; k < n; k++) {
		struct rm_page *p = page_get(m, addr + k * m->page_size);

		if (!p)
			break;
		p->events++;
		if (to == PS_DEVICE_EXCLUSIVE) {
			p->alive = true;
			p->before_start = false;
			p->since_ns = ts;
		} else if (from == PS_DEVICE_EXCLUSIVE) {
			p->alive = false;
		}
	}
}

static int event_sums(struct rec_model *m, json_t *o, const char *type, char *why, size_t wlen)
{
	const char *src = json_string_value(json_object_get(o, "source"));
	struct rm_counts *c, *oc = NULL;
	struct rm_page *p = NULL;
	uint64_t ts, addr = 0;
	int err;

	if (!src)
		return BAD("an event without \"source\"");
	if ((err = get_u64(o, "timestamp_ns", &ts, why, wlen)))
		return err;
	if (ts > m->last_ns)
		m->last_ns = ts;
	if (strcmp(type, "lost") != 0)
		m->events++;	/* as the trailer counts them */
	if (strcmp(type, "change") == 0) {
		const char *from = json_string_value(json_object_get(o, "from"));
		const char *to = json_string_value(json_object_get(o, "to"));
		uint64_t n;

		if ((err = get_addr(o, "addr", &addr, why, wlen)) ||
		    (err = get_u64(o, "pages", &n, why, wlen)))
			return err;
		if (!from || !to || state_lookup(from) < 0 || state_lookup(to) < 0)
			return BAD("\"from\" or \"to\" is not a page state");
		change(m, addr, n, state_lookup(from), state_lookup(to), ts);
		return 0;
	}
	if (strcmp(type, "lost") == 0) {
		json_t *l = json_object_get(o, "lost");

		m->lost += json_is_integer(l) && json_integer_value(l) > 0 ?
			   (uint64_t)json_integer_value(l) : 1;
		return 0;
	}
	if (strcmp(type, "subscriber") == 0) {
		char id[24];
		struct rm_sub *s;
		json_t *ret = json_object_get(o, "ret");

		get_str(o, "sub", id, sizeof(id));
		s = sub_find(m, id);
		if (s) {
			s->deliveries++;
			if (json_is_integer(ret) && json_integer_value(ret) != 0)
				s->failures++;
			get_str(o, "callback", s->callback, sizeof(s->callback));
		}
		return 0;
	}
	if (strcmp(type, "range_start") == 0) {
		uint64_t end;

		if ((err = get_addr(o, "start", &addr, why, wlen)) ||
		    (err = get_addr(o, "end", &end, why, wlen)))
			return err;
		if (end > addr)
			tl_add(m, ts, addr, (end - addr + m->page_size - 1) / m->page_size,
			       RK_NOTIFY, PS_NR, PS_NR, RR_UNKNOWN);
		return 0;
	}
	if (strcmp(type, "set") != 0 && strcmp(type, "restore") != 0 && strcmp(type, "remove") != 0)
		return 0;	/* range ends, tasks, the probes' own: counted only */
	if ((err = get_addr(o, "addr", &addr, why, wlen)))
		return err;
	c = vma_counts(m, addr);
	p = page_get(m, addr);
	if (p)
		p->events++;
	if (strcmp(type, "set") == 0) {
		char owner[24];
		int oi;

		get_str(o, "owner", owner, sizeof(owner));
		oi = owner_index(m, owner[0] ? owner : "unknown");
		c->conversions++;
		tl_add(m, ts, addr, 1, RK_CONVERT, PS_PRESENT, PS_DEVICE_EXCLUSIVE, RR_UNKNOWN);
		if (oi >= 0)
			m->owners[oi].c.conversions++;
		if (p) {
			p->alive = true;
			p->before_start = false;
			p->since_ns = ts;
			p->owner = oi;
		}
		return 0;
	}
	if (p && p->owner >= 0)
		oc = &m->owners[p->owner].c;
	else if (owner_index(m, "unknown") >= 0)
		oc = &m->owners[owner_index(m, "unknown")].c;
	if (p)
		p->alive = false;
	if (strcmp(type, "remove") == 0) {
		c->removals++;
		tl_add(m, ts, addr, 1, RK_REMOVE, PS_DEVICE_EXCLUSIVE, PS_NONE, RR_UNKNOWN);
		if (oc)
			oc->removals++;
	} else {
		const char *r = json_string_value(json_object_get(o, "reason"));
		int ri = !r ? RR_UNKNOWN : strcmp(r, "fault") == 0 ? RR_FAULT :
			 strcmp(r, "fork") == 0 ? RR_FORK : RR_UNKNOWN;

		c->restores[ri]++;
		tl_add(m, ts, addr, 1, RK_RESTORE, PS_DEVICE_EXCLUSIVE, PS_PRESENT, ri);
		if (oc)
			oc->restores[ri]++;
	}
	return 0;
}

/*
 * An event line: report's sums first (whose checks name what is wrong the
 * same way for every reader), then, when a reader wants them, the event
 * as it was printed.
 */
static int event_line(struct rec_model *m, json_t *o, const char *type, char *why, size_t wlen)
{
	struct dx_event ev;
	int err = event_sums(m, o, type, why, wlen);

	if (err || !m->event_fn)
		return err;
	err = rec_event_parse(o, type, &ev, why, wlen);
	if (err == -ENOENT)
		return 0;	/* a kind events.c does not know: change lines, a newer writer's */
	if (!err && m->event_fn(m->event_ctx, &ev))
		return BAD("an event the checks could not take");
	return err;
}

/* The entries and notifiers documents: the kernel's count, the subscribers' names. */
static int document_line(struct rec_model *m, json_t *o, const char *type)
{
	const char *when = json_string_value(json_object_get(o, "when"));
	json_t *doc = json_object_get(o, "document"), *subs, *x;
	size_t i;

	if (strcmp(type, "entries") == 0) {
		json_t *t = json_object_get(doc, "total");

		if (json_is_integer(t) && when)
			*(strcmp(when, "start") == 0 ? &m->entries_start : &m->entries_end) =
				json_integer_value(t);
		return 0;
	}
	if (when && strcmp(when, "start") == 0 && !m->have_subs_start)
		m->have_subs_start = !rec_subs_parse(doc, m->subs_start, &m->nsubs_start,
						      RM_DOC_SUBS);
	else if (when && strcmp(when, "end") == 0 && !m->have_subs_end)
		m->have_subs_end = !rec_subs_parse(doc, m->subs_end, &m->nsubs_end, RM_DOC_SUBS);
	subs = json_object_get(doc, "subscribers");
	json_array_foreach(subs, i, x) {
		const char *id = json_string_value(json_object_get(x, "id"));
		const char *cb = json_string_value(json_object_get(x, "callback"));
		struct rm_sub *s = id ? sub_find(m, id) : NULL;

		if (s && cb && !s->callback[0])
			snprintf(s->callback, sizeof(s->callback), "%s", cb);
	}
	return 0;
}

static int trailer_line(struct rec_model *m, json_t *o, char *why, size_t wlen)
{
	int err;

	get_str(o, "stopped", m->stopped, sizeof(m->stopped));
	if ((err = get_u64(o, "events", &m->trailer_events, why, wlen)))
		return err;
	get_u64(o, "polls", &m->polls, why, wlen);
	m->have_trailer = true;
	return 0;
}

int rec_model_line(struct rec_model *m, const char *line, size_t len, char *why, size_t wlen)
{
	json_error_t jerr;
	json_t *o;
	const char *type;
	int err = 0;

	m->lines++;
	if (len == 0)
		return BAD("an empty line");
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return BAD("not JSON: %s (column %d)", jerr.text, jerr.column);
	type = json_string_value(json_object_get(o, "type"));
	if (!json_is_object(o) || !type)
		err = BAD("not an object with a \"type\"");
	else if (!m->have_header && strcmp(type, "header") != 0)
		err = BAD("not a devexctl recording: the first line is no header");
	else if (m->have_trailer)
		err = BAD("a \"%s\" line after the trailer", type);
	else if (strcmp(type, "header") == 0)
		err = m->have_header ? BAD("a second header") : header_line(m, o, why, wlen);
	else if (strcmp(type, "snapshot") == 0)
		err = snapshot_line(m, o, why, wlen);
	else if (strcmp(type, "entries") == 0 || strcmp(type, "notifiers") == 0)
		err = document_line(m, o, type);
	else if (strcmp(type, "trailer") == 0)
		err = trailer_line(m, o, why, wlen);
	else if (strcmp(type, "header") != 0)
		err = event_line(m, o, type, why, wlen);
	json_decref(o);
	return err;
}
