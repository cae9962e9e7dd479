// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl record PID -o FILE [RANGE]: one file for a bug report (record.h,
 * doc/record-format.md): a snapshot at the start, every event of the
 * best source this kernel offers (the tracefs instance monitor reads, or
 * pagemap polling when tracefs is unusable), a snapshot at the end and a
 * trailer that says why it stopped. Ctrl-C, --duration, --max-size and
 * the target's exit all end it with a valid file.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "clock.h"
#include "commands.h"
#include "errors.h"
#include "event_loop.h"
#include "output.h"
#include "proc_connector.h"
#include "record.h"
#include "report.h"
#include "trace.h"

/* The options, indexing both record_opts[] and cmd_ctx.opt[]. */
enum { OPT_OUTPUT, OPT_DURATION, OPT_MAX_SIZE, OPT_INTERVAL, OPT_NR };

/* [OPT_NR], left zero, ends the table. */
const struct opt_doc record_opts[OPT_NR + 1] = {
	[OPT_OUTPUT] = { .lng = "output", .shrt = 'o', .arg = "FILE",
			 .help = "the recording (gzip JSON Lines; required)" },
	[OPT_DURATION] = { .lng = "duration", .shrt = 'd', .arg = "SEC",
			   .help = "stop after SEC seconds (default: Ctrl-C)" },
	[OPT_MAX_SIZE] = { .lng = "max-size", .arg = "SIZE",
			   .help = "stop before the file passes SIZE bytes (K/M/G; default 64M)" },
	[OPT_INTERVAL] = { .lng = "interval", .shrt = 'i', .arg = "MS",
			   .help = "pagemap polling interval (default 100)" },
};
_Static_assert(OPT_NR <= CMD_MAX_OPTS, "more options than cmd_ctx.opt[] holds");

#define RECORD_DEFAULT_MAX (64ull << 20)
#define RECORD_TICK_MS 100
/* Room kept for the trailer beside the end snapshot (the start snapshot's size). */
#define RECORD_TRAILER_ROOM 1024

struct recorder {
	struct target t;
	struct range r;
	const char *range_arg;
	struct rec_writer *w;
	struct dx_trace *tr;
	struct dx_procconn *pc;
	struct dx_task_tree tree;	/* the target and the children seen fork */
	uint64_t max_size, reserve, bytes, events, lost, polls, unflushed;
	int64_t start_ms, last_progress_ms;
	enum rec_stop why;
	bool stopped, progress;
	int err;
};

static int parse_opt(const char *s, const char *what, uint64_t *v)
{
	if (parse_size(s, v) || *v == 0)
		return err_usage("record: bad %s '%s': expected a positive number", what, s);
	return 0;
}

static void progress(struct recorder *rc, bool last)
{
	int64_t now = mono_ms();

	if (!rc->progress || (!last && now - rc->last_progress_ms < 250))
		return;
	rc->last_progress_ms = now;
	fprintf(stderr, "\r\033[Krecording: %.1f s, %" PRIu64 " events, %" PRIu64 " KiB%s",
		(double)(now - rc->start_ms) / 1000.0, rc->events, (rc->bytes + 1023) / 1024,
		last ? "\n" : "");
}

static void stop(struct recorder *rc, enum rec_stop why)
{
	if (!rc->stopped) {
		rc->stopped = true;
		rc->why = why;
	}
}

static void flush(struct recorder *rc)
{
	int err = rec_flush(rc->w, &rc->bytes);

	rc->unflushed = 0;
	if (err) {
		rc->err = err;
		stop(rc, STOP_ERROR);
	}
	if (rc->bytes + rc->reserve >= rc->max_size)
		stop(rc, STOP_MAX_SIZE);
}

/*
 * After every line: what gzip holds unflushed can grow the file by about
 * its raw size at most, so a flush (and the exact size) is needed only
 * when that could pass the bound.
 */
static void check_size(struct recorder *rc)
{
	if (rc->bytes + rec_pending(rc->w) + rc->reserve >= rc->max_size)
		flush(rc);
}

/* After each turn: make the lines readable, keep the size bound, show progress. */
static void tick(void *ctx)
{
	struct recorder *rc = ctx;

	if (rc->unflushed)
		flush(rc);
	if (!target_alive(&rc->t))
		stop(rc, STOP_EXITED);
	progress(rc, false);
}

static bool should_stop(void *ctx)
{
	return ((struct recorder *)ctx)->stopped;
}

static int on_event(void *ctx, const struct dx_event *ev)
{
	struct recorder *rc = ctx;
	struct dx_event e = *ev;

	/* Fork, exit and exec lines: only of the target's tree. */
	if ((e.kind == DX_FORK || e.kind == DX_EXIT || e.kind == DX_EXEC) &&
	    !task_tree_follow(&rc->tree, &e))
		return 0;
	if (!e.source)
		e.source = "tracefs";	/* every line says where it came from */
	if (e.kind == DX_LOST)
		rc->lost++;
	else
		rc->events++;
	rec_begin_line(rc->w);
	event_print(&e);
	rec_end_line(rc->w);
	rc->unflushed++;
	check_size(rc);
	return rc->stopped ? 1 : 0;
}

static int run_trace(struct recorder *rc, int64_t end_ms)
{
	struct ev_loop loop = { .tr = rc->tr, .pc = rc->pc, .fn = on_event, .ctx = rc,
				.idle_ms = RECORD_TICK_MS, .stop = should_stop, .tick = tick,
				.end_ms = end_ms };

	return ev_loop_run(&loop);
}

static int run_poll(struct recorder *rc, int64_t end_ms, uint64_t interval_ms,
		    struct rec_scan *prev)
{
	struct rec_scan cur = { 0 };
	int err = 0;

	while (!rc->stopped && !trace_signalled()) {
		int64_t now = mono_ms();
		int wait = (int)interval_ms;
		uint64_t n;

		if (end_ms && now >= end_ms)
			break;
		if (end_ms && end_ms - now < wait)
			wait = (int)(end_ms - now);
		poll(NULL, 0, wait);	/* EINTR on a signal: the loop sees it */
		if (trace_signalled())
			break;
		if (!target_alive(&rc->t)) {
			stop(rc, STOP_EXITED);
			break;
		}
		err = rec_scan(&rc->t, &rc->r, &cur);
		if (err)
			break;
		rc->polls++;
		/* The process may have exited during the walk: its pages read as gone. */
		if (!target_alive(&rc->t)) {
			stop(rc, STOP_EXITED);
			break;
		}
		rec_begin_line(rc->w);
		n = rec_scan_diff(prev, &cur, rec_mono_ns(), rc->t.page_size);
		rec_end_line(rc->w);
		rc->events += n;
		rc->unflushed += n;
		check_size(rc);
		{
			struct rec_scan tmp = *prev;

			*prev = cur;
			cur = tmp;
		}
		tick(rc);
	}
	rec_scan_free(&cur);
	return err;
}

/* The event source: tracefs where it works, else polling, and why. */
static int pick_source(struct recorder *rc, const struct globals *g, char *why, size_t len)
{
	const char *want = getenv("DEVEXCTL_EVENTS");
	struct dx_trace_opts o = { .debugfs = g->debugfs, .target = rc->t.pid, .tasks = true };
	char text[600];
	int err;

	if (want && strcmp(want, "poll") == 0) {
		snprintf(why, len, "DEVEXCTL_EVENTS=poll");
		return 0;
	}
	if (!target_can(&rc->t, SRC_EVENTS)) {
		snprintf(why, len, "the %s source has no event stream", rc->t.ops->name);
		return 0;
	}
	/* The connector first: once the instance exists, no fork is missed (as monitor). */
	task_tree_init(&rc->tree, rc->t.pid, pc_open(&rc->pc) == 0);
	err_clear();
	err = trace_open(&rc->tr, &o);
	if (!err) {
		snprintf(why, len, "tracefs instance %s (%s)", trace_instance_name(rc->tr),
			 trace_source(rc->tr)->name);
		return 0;
	}
	if (err != -EPERM && err != -EACCES && err != -ENOTRACEFS && err != -ENOPATCH)
		return err;
	pc_close(rc->pc);
	rc->pc = NULL;
	/* tracefs is unusable here: polling is what is left, said in the header. */
	snprintf(why, len, "tracefs unusable: %s", err_text(err, text, sizeof(text)));
	err_clear();
	rc->tr = NULL;
	return 0;
}

static void read_comm(const struct target *t, char *comm, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	comm[0] = '\0';
	if (target_path(t, path, sizeof(path), "comm") || !(f = fopen(path, "re")))
		return;
	if (fgets(comm, (int)len, f))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

static void finish_note(struct recorder *rc, const char *path, uint64_t size)
{
	if (rc->why == STOP_MAX_SIZE)
		fprintf(stderr, "devexctl: stopped: %s reached --max-size %" PRIu64
			" (less room for the end snapshot and trailer)\n", path, rc->max_size);
	if (out_is_json()) {
		out_open_object(NULL);
		out_string(OUT_JSON, "type", "", "trailer");
		out_string(OUT_JSON, "stopped", "", rec_stop_names[rc->why]);
		out_u64(OUT_JSON, "events", "", rc->events);
		out_u64(OUT_JSON, "lost", "", rc->lost);
		out_u64(OUT_JSON, "polls", "", rc->polls);
		out_string(OUT_JSON, "file", "", path);
		out_u64(OUT_JSON, "bytes", "", size);
		out_close_object();
		return;
	}
	fprintf(stderr, "devexctl: recorded %" PRIu64 " events in %.1f s to %s (%" PRIu64
		" bytes; stopped: %s)\n", rc->events, (double)(mono_ms() - rc->start_ms) / 1000.0,
		path, size, rec_stop_names[rc->why]);
}

static int record_run(struct recorder *rc, struct cmd_ctx *c, const char *path,
		      uint64_t duration, uint64_t interval_ms)
{
	struct rec_scan scan = { 0 };
	struct rec_header h = { .pid = rc->t.pid, .kernel = rc->t.release,
				.page_size = rc->t.page_size, .range = &rc->r };
	char why[700], comm[64];
	uint64_t before, size;
	struct stat st;
	int64_t end_ms;
	int err;

	err = pick_source(rc, c->g, why, sizeof(why));
	if (err)
		return err;
	err = caps_opened();	/* the target, the instance: all open */
	if (!err)
		err = rec_open(&rc->w, path);
	if (err)
		return err;
	read_comm(&rc->t, comm, sizeof(comm));
	h.comm = comm;
	h.source = rc->tr ? trace_source(rc->tr)->name : "poll";
	h.source_reason = why;
	h.interval_ms = rc->tr ? 0 : interval_ms;
	if (rc->tr) {
		h.have_caps = true;
		h.range_api = trace_can(rc->tr, EVS_RANGE_API) && trace_range_api(rc->tr);
		h.subscribed = trace_can(rc->tr, EVS_SUBSCRIBED_AT_SETUP) &&
			       trace_target_subscribed(rc->tr);
	}
	rec_write_header(rc->w, &h);
	err = rec_flush(rc->w, &before);
	if (!err)
		err = rec_scan(&rc->t, &rc->r, &scan);
	if (err) {
		rec_abort(rc->w);
		return err;
	}
	rec_write_snapshot(rc->w, &rc->t, &rc->r, rc->range_arg, &scan, "start");
	err = rec_flush(rc->w, &rc->bytes);
	if (err) {
		rec_abort(rc->w);
		return err;
	}
	/* The end snapshot is about as large as the start one. */
	rc->reserve = rc->bytes - before + RECORD_TRAILER_ROOM;
	if (rc->bytes + rc->reserve >= rc->max_size)
		stop(rc, STOP_MAX_SIZE);
	fprintf(stderr, "devexctl: recording %d to %s (source %s: %s); Ctrl-C stops\n",
		(int)rc->t.pid, path, h.source, why);
	rc->start_ms = mono_ms();
	end_ms = duration ? rc->start_ms + (int64_t)duration * 1000 : 0;
	if (!rc->stopped)
		err = rc->tr ? run_trace(rc, end_ms) : run_poll(rc, end_ms, interval_ms, &scan);
	if (err || rc->err) {
		if (!rc->err)
			rc->err = err;
		stop(rc, STOP_ERROR);
	}
	stop(rc, trace_signalled() ? STOP_INTERRUPTED : STOP_DURATION);
	if (rc->why == STOP_EXITED) {
		scan.nvmas = scan.nruns = 0;	/* nothing left to show */
	} else if (rc->tr) {
		rec_scan(&rc->t, &rc->r, &scan);
	} else {
		/* One last poll, so that the events lead exactly to the end snapshot. */
		struct rec_scan cur = { 0 };

		if (rec_scan(&rc->t, &rc->r, &cur) == 0) {
			rec_begin_line(rc->w);
			rc->events += rec_scan_diff(&scan, &cur, rec_mono_ns(), rc->t.page_size);
			rec_end_line(rc->w);
			rec_scan_free(&scan);
			scan = cur;
		} else {
			rec_scan_free(&cur);
		}
	}
	err_clear();
	rec_write_snapshot(rc->w, &rc->t, &rc->r, rc->range_arg, &scan, "end");
	rec_scan_free(&scan);
	progress(rc, true);
	err = rec_close(rc->w, rc->why, rc->events, rc->lost, rc->polls, &size);
	if (err)
		return err;
	if (stat(path, &st) == 0)
		size = (uint64_t)st.st_size;
	finish_note(rc, path, size);
	return rc->err;
}

int cmd_record(struct cmd_ctx *c)
{
	struct recorder *rc = calloc(1, sizeof(*rc));
	uint64_t duration = 0, interval = 100;
	const char *path = c->opt[OPT_OUTPUT];
	pid_t pid;
	int err;

	if (!rc)
		return -ENOMEM;
	rc->max_size = RECORD_DEFAULT_MAX;
	err = parse_pid(c->argv[0], &pid);
	if (!err && !path)
		err = err_usage("record: -o FILE is required (see 'devexctl help record')");
	if (!err && c->opt[OPT_DURATION])
		err = parse_opt(c->opt[OPT_DURATION], "--duration", &duration);
	if (!err && c->opt[OPT_MAX_SIZE])
		err = parse_opt(c->opt[OPT_MAX_SIZE], "--max-size", &rc->max_size);
	if (!err && c->opt[OPT_INTERVAL])
		err = parse_opt(c->opt[OPT_INTERVAL], "--interval", &interval);
	if (!err && interval > 60000)
		err = err_usage("record: --interval %" PRIu64 ": at most 60000 ms", interval);
	rc->range_arg = c->argc > 1 ? c->argv[1] : NULL;
	if (!err && rc->range_arg)
		err = range_parse(rc->range_arg, 4096, &rc->r);
	if (!err)
		err = target_open(&rc->t, c->g->proc, c->g->debugfs, pid);
	if (err) {
		free(rc);
		return err;
	}
	err = report_range(&rc->t, rc->range_arg, &rc->r);
	rc->progress = isatty(STDERR_FILENO);
	trace_catch_signals();
	if (!err)
		err = record_run(rc, c, path, duration, interval);
	trace_close(rc->tr);
	pc_close(rc->pc);
	target_close(&rc->t);
	free(rc);
	if (err)
		return err;
	return out_finish();
}
