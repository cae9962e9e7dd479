// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl monitor [PID]: print device-exclusive and MMU-notifier events
 * as they come (JSON Lines with --json), from devexctl's own tracefs
 * instance (trace.h). With PID, only its mm's (a filter in the kernel on
 * the mm id the devexcl debugfs interface gives), and the forks and exits
 * of PID and its children as they appear: from the proc connector where
 * the kernel serves it, else from the sched tracepoints of the instance.
 * Stops on SIGINT/SIGTERM, after --count events or after --duration
 * seconds, and removes its instance.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "clock.h"
#include "commands.h"
#include "errors.h"
#include "event_loop.h"
#include "events.h"
#include "output.h"
#include "proc_connector.h"
#include "range.h"
#include "target.h"
#include "trace.h"

/* The options, indexing both monitor_opts[] and cmd_ctx.opt[]. */
enum { OPT_COUNT, OPT_DURATION, OPT_NR };

/* [OPT_NR], left zero, ends the table. */
const struct opt_doc monitor_opts[OPT_NR + 1] = {
	[OPT_COUNT] = { .lng = "count", .shrt = 'c', .arg = "N", .help = "stop after N events" },
	[OPT_DURATION] = { .lng = "duration", .shrt = 'd', .arg = "SEC",
			   .help = "stop after SEC seconds" },
};
_Static_assert(OPT_NR <= CMD_MAX_OPTS, "more options than cmd_ctx.opt[] holds");

#define MONITOR_TICK_MS 100

struct monitor {
	pid_t pid;			/* 0: every mm */
	struct dx_task_tree tree;	/* PID and the children seen fork */
	uint64_t count, seen;
	unsigned long lost;
};

static int parse_limit(const char *s, const char *what, uint64_t *v)
{
	if (parse_size(s, v) || *v == 0)
		return err_usage("monitor: bad %s '%s': expected a positive number", what, s);
	return 0;
}

static int on_event(void *ctx, const struct dx_event *ev)
{
	struct monitor *m = ctx;

	/* Fork and exit lines: only of PID's tree (none without PID). */
	if ((ev->kind == DX_FORK || ev->kind == DX_EXIT || ev->kind == DX_EXEC) &&
	    !task_tree_follow(&m->tree, ev))
		return 0;
	if (ev->kind == DX_LOST) {
		m->lost++;
		if (!out_is_json())
			fprintf(stderr, "devexctl: events lost on cpu %d: the ring buffer overran\n",
				ev->cpu);
	}
	event_print(ev);
	fflush(stdout);
	if (m->count && ++m->seen >= m->count)
		return 1;
	return 0;
}

int cmd_monitor(struct cmd_ctx *c)
{
	struct monitor m = { 0 };
	struct ev_loop loop = { .fn = on_event, .ctx = &m, .idle_ms = MONITOR_TICK_MS };
	struct dx_trace_opts o = { .debugfs = c->g->debugfs, .tasks = true };
	struct dx_trace *t = NULL;
	struct dx_procconn *pc = NULL;
	uint64_t duration = 0;
	int err;

	if (c->argc > 0 && (err = parse_pid(c->argv[0], &m.pid)))
		return err;
	if (c->opt[OPT_COUNT] && (err = parse_limit(c->opt[OPT_COUNT], "--count", &m.count)))
		return err;
	if (c->opt[OPT_DURATION] &&
	    (err = parse_limit(c->opt[OPT_DURATION], "--duration", &duration)))
		return err;
	task_tree_init(&m.tree, m.pid, false);
	if (m.pid && kill(m.pid, 0) != 0 && errno == ESRCH)
		return err_set(-ESRCH, "process %d", (int)m.pid);
	o.target = m.pid;
	/* The connector first: once the instance exists, no fork is missed. */
	if (m.pid) {
		char why[600];
		int perr = pc_open(&pc);

		task_tree_init(&m.tree, m.pid, perr == 0);
		if (perr && !out_is_json())
			fprintf(stderr, "devexctl: children followed through the sched tracepoints "
				"(%s)\n", err_text(perr, why, sizeof(why)));
		err_clear();
	}
	trace_catch_signals();
	err = trace_open(&t, &o);
	if (err) {
		pc_close(pc);
		return err;
	}
	/* Everything is open; the instance must still be removed at the end. */
	err = caps_opened();
	if (err)
		goto out;
	if (m.pid && !trace_filtered(t) && !out_is_json())
		fprintf(stderr, "devexctl: the kernel gave mm id 0 for %d (hashing not ready): "
			"showing every mm's events\n", (int)m.pid);
	/* Also with --json (stdout is the stream): scripts wait for this line. */
	fprintf(stderr, "devexctl: listening on tracefs instance %s (%s)%s; Ctrl-C stops\n",
		trace_instance_name(t), trace_source(t)->name, m.pid ? " for one process" : "");
	loop.tr = t;
	loop.pc = pc;
	loop.end_ms = duration ? mono_ms() + (int64_t)duration * 1000 : 0;
	err = ev_loop_run(&loop);
	if (trace_malformed(t))
		fprintf(stderr, "devexctl: %lu malformed records skipped\n", trace_malformed(t));
out:
	pc_close(pc);
	trace_close(t);
	if (err)
		return err;
	return out_finish();
}
