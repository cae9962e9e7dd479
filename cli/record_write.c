// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writing a recording (record.h, doc/record-format.md): a gzip stream
 * behind a stdio FILE (fopencookie), so that the shared output layer
 * prints each line into it: an event line is exactly monitor's object.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "errors.h"
#include "output.h"
#include "record.h"
#include "report.h"

const char *const rec_stop_names[STOP_NR] = {
	[STOP_DURATION] = "duration", [STOP_INTERRUPTED] = "interrupted",
	[STOP_MAX_SIZE] = "max-size", [STOP_EXITED] = "target-exited", [STOP_ERROR] = "error",
};

struct rec_writer {
	gzFile gz;
	FILE *f;		/* writes go to gz */
	bool redirected;
	uint64_t pending;	/* bytes given to gzip since the last flush */
	int err;		/* the first write error */
	char path[4096];
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t rec_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t rec_real_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

static ssize_t gz_cookie_write(void *cookie, const char *buf, size_t len)
{
	struct rec_writer *w = cookie;

	if (len == 0)
		return 0;
	w->pending += len;
	if (gzwrite(w->gz, buf, (unsigned int)len) != (int)len) {
		if (!w->err)
			w->err = -EIO;
		return -1;
	}
	return (ssize_t)len;
}

int rec_open(struct rec_writer **wp, const char *path)
{
	cookie_io_functions_t io = { .write = gz_cookie_write };
	struct rec_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return err_set(-ENOMEM, "recording");
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->gz = gzopen(path, "wbe");
	if (!w->gz) {
		int err = errno ? -errno : -EIO;

		free(w);
		return err_set(err, "%s", path);
	}
	w->f = fopencookie(w, "w", io);
	if (!w->f) {
		gzclose(w->gz);
		free(w);
		return err_set(-ENOMEM, "%s", path);
	}
	*wp = w;
	return 0;
}

void rec_begin_line(struct rec_writer *w)
{
	out_push_json(w->f);
	w->redirected = true;
}

void rec_end_line(struct rec_writer *w)
{
	out_pop();
	w->redirected = false;
}

static void write_range(const struct range *r)
{
	out_open_object("range");
	out_addr(OUT_JSON, "start", "", r->start);
	out_addr(OUT_JSON, "end", "", r->end);
	if (r->name)
		out_string(OUT_JSON, "name", "", r->name);
	out_close_object();
}

void rec_write_header(struct rec_writer *w, const struct rec_header *h)
{
	rec_begin_line(w);
	out_open_object(NULL);
	out_string(OUT_JSON, "type", "", "header");
	out_string(OUT_JSON, "format", "", RECORD_FORMAT);
	out_u64(OUT_JSON, "version", "", RECORD_VERSION);
	out_string(OUT_JSON, "devexctl", "", PACKAGE_VERSION);
	out_string(OUT_JSON, "kernel", "", h->kernel);
	out_i64(OUT_JSON, "pid", "", h->pid);
	out_string(OUT_JSON, "comm", "", h->comm);
	out_u64(OUT_JSON, "page_size", "", h->page_size);
	write_range(h->range);
	out_string(OUT_JSON, "source", "", h->source);
	out_string(OUT_JSON, "source_reason", "", h->source_reason);
	if (h->interval_ms)
		out_u64(OUT_JSON, "interval_ms", "", h->interval_ms);
	if (h->have_caps) {
		out_open_object("source_caps");
		out_bool(OUT_JSON, "range_api", "", h->range_api);
		out_bool(OUT_JSON, "subscribed", "", h->subscribed);
		out_close_object();
	}
	out_u64(OUT_JSON, "start_mono_ns", "", rec_mono_ns());
	out_u64(OUT_JSON, "start_realtime_ns", "", rec_real_ns());
	out_close_object();
	rec_end_line(w);
}

static void write_scan(const struct rec_scan *s)
{
	out_open_array("vmas");
	for (size_t i = 0; i < s->nvmas; i++) {
		const struct rec_vma *v = &s->vmas[i];

		out_open_object(NULL);
		out_addr(OUT_JSON, "start", "", v->start);
		out_addr(OUT_JSON, "end", "", v->end);
		out_string(OUT_JSON, "perms", "", v->perms);
		out_string(OUT_JSON, "name", "", v->name);
		out_open_object("counts");
		for (int st = 0; st < PS_NR; st++)
			out_u64(OUT_JSON, state_table[st].key, "", v->counts[st]);
		out_close_object();
		out_close_object();
	}
	out_close_array();
	/* Every non-present run: present ones are the rest of the VMAs. */
	out_open_array("runs");
	for (size_t i = 0; i < s->nruns; i++) {
		const struct rec_run *r = &s->runs[i];

		if (r->state == PS_PRESENT)
			continue;
		out_open_object(NULL);
		out_addr(OUT_JSON, "addr", "", r->addr);
		out_u64(OUT_JSON, "pages", "", r->pages);
		out_string(OUT_JSON, "state", "", state_table[r->state].name);
		out_close_object();
	}
	out_close_array();
}

/*
 * The document of 'entries' or 'notifiers' as one line, when the source
 * answers it: printed into memory first, so that a kernel without the
 * interface leaves no half line behind.
 */
static void write_document(struct rec_writer *w, struct target *t, const char *kind,
			   const char *when, const char *range_arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int err;

	if (!mem)
		return;
	out_push_json(mem);
	if (strcmp(kind, "entries") == 0)
		err = entries_report(t, range_arg);
	else
		err = notifiers_report(t);
	out_pop();
	fclose(mem);
	err_clear();	/* absent (no devexcl interface): the line is left out */
	while (len && buf[len - 1] == '\n')
		len--;
	if (!err && len)
		fprintf(w->f, "{\"schema_version\":%d,\"type\":\"%s\",\"when\":\"%s\","
			"\"document\":%.*s}\n", DEVEXCTL_SCHEMA_VERSION, kind, when, (int)len, buf);
	free(buf);
}

void rec_write_snapshot(struct rec_writer *w, struct target *t, const struct range *r,
			const char *range_arg, const struct rec_scan *s, const char *when)
{
	bool alive = target_alive(t);

	rec_begin_line(w);
	out_open_object(NULL);
	out_string(OUT_JSON, "type", "", "snapshot");
	out_string(OUT_JSON, "when", "", when);
	out_u64(OUT_JSON, "timestamp_ns", "", rec_mono_ns());
	out_bool(OUT_JSON, "alive", "", alive);
	write_range(r);
	write_scan(s);
	out_close_object();
	rec_end_line(w);
	if (alive && target_can(t, SRC_ENTRIES))
		write_document(w, t, "entries", when, range_arg);
	if (alive && target_can(t, SRC_NOTIFIERS))
		write_document(w, t, "notifiers", when, range_arg);
}

int rec_flush(struct rec_writer *w, uint64_t *bytes)
{
	if (fflush(w->f) != 0 && !w->err)
		w->err = -EIO;
	if (gzflush(w->gz, Z_SYNC_FLUSH) != Z_OK && !w->err)
		w->err = -EIO;
	*bytes = (uint64_t)gzoffset(w->gz);
	w->pending = 0;
	if (w->err)
		return err_set(w->err, "writing %s", w->path);
	return 0;
}

uint64_t rec_pending(struct rec_writer *w)
{
	fflush(w->f);
	return w->pending;
}

int rec_close(struct rec_writer *w, enum rec_stop why, uint64_t events, uint64_t lost,
	      uint64_t polls, uint64_t *bytes)
{
	int err;

	rec_flush(w, bytes);
	rec_begin_line(w);
	out_open_object(NULL);
	out_string(OUT_JSON, "type", "", "trailer");
	out_string(OUT_JSON, "stopped", "", rec_stop_names[why]);
	out_u64(OUT_JSON, "timestamp_ns", "", rec_mono_ns());
	out_u64(OUT_JSON, "realtime_ns", "", rec_real_ns());
	out_u64(OUT_JSON, "events", "", events);
	out_u64(OUT_JSON, "lost", "", lost);
	out_u64(OUT_JSON, "polls", "", polls);
	out_u64(OUT_JSON, "bytes_before_trailer", "", *bytes);
	out_close_object();
	rec_end_line(w);
	if (fclose(w->f) != 0 && !w->err)
		w->err = -EIO;
	if (gzclose(w->gz) != Z_OK && !w->err)
		w->err = -EIO;
	err = w->err ? err_set(w->err, "writing %s", w->path) : 0;
	free(w);
	return err;
}

void rec_abort(struct rec_writer *w)
{
	if (!w)
		return;
	if (w->redirected)
		rec_end_line(w);
	fclose(w->f);
	gzclose(w->gz);
	free(w);
}
