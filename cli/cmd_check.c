// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl check PID [RANGE] [CHECK...]: invariant checks for triage,
 * drawn from the 2025 device-exclusive rework and its review (design.md
 * §8). It converts a few present pages of the range with make_exclusive,
 * reverts them, converts and reverts them once more, and judges what the
 * kernel interface and the event stream reported. The target ends with
 * its pages present again, as before.
 *
 * devexctl check --watch SECONDS PID [RANGE] [CHECK...] only observes: it
 * judges every conversion, restore and removal of the target's entries
 * in the window, whoever made it, by the same checks (check_stream.c).
 *
 * Exit: 0 all passed, 3 one failed, 4 one could not run on this kernel.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "check_self.h"
#include "clock.h"
#include "commands.h"
#include "errors.h"
#include "event_loop.h"
#include "events.h"
#include "output.h"
#include "report.h"
#include "trace.h"
#include "vmas.h"
#include "walk.h"

/* The options, indexing both check_opts[] and cmd_ctx.opt[]. */
enum { OPT_MAX_PAGES, OPT_WATCH, OPT_SELF, OPT_NR };

/* [OPT_NR], left zero, ends the table. */
const struct opt_doc check_opts[OPT_NR + 1] = {
	[OPT_MAX_PAGES] = { .lng = "max-pages", .shrt = 'm', .arg = "N",
			    .help = "test at most N pages of the range (default 8)" },
	[OPT_WATCH] = { .lng = "watch", .shrt = 'w', .arg = "SECONDS",
			.help = "only observe for SECONDS: judge every conversion, restore "
				"and removal of the target's entries, whoever makes them" },
	[OPT_SELF] = { .lng = "self", .shrt = 's',
		       .help = "no PID: check this kernel in scratch processes of devexctl's own, "
			       "over soft-dirty tracking, clean folios, uffd-wp, mprotect, fork, "
			       "THP and two subscribers (needs test_hmm)" },
};
_Static_assert(OPT_NR <= CMD_MAX_OPTS, "more options than cmd_ctx.opt[] holds");

/* The span of @rg's VMAs: events are kept by address. */
static int span_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct check_run *r = ctx;

	(void)v;
	if (start < r->lo)
		r->lo = start;
	if (end > r->hi)
		r->hi = end;
	return 0;
}

static bool target_gone(pid_t pid)
{
	return kill(pid, 0) < 0 && errno == ESRCH;
}

struct watch {
	struct check_run *r;
	unsigned int secs;
	int64_t start, shown;
};

static bool watch_stop(void *ctx)
{
	return target_gone(((struct watch *)ctx)->r->pid);
}

/* On a terminal, the events so far, once a second. */
static void watch_progress(void *ctx)
{
	struct watch *w = ctx;
	int64_t now = mono_ms();

	if (now - w->shown < 1000)
		return;
	w->shown = now;
	fprintf(stderr, "\r%" PRId64 " s of %u: %u events", (now - w->start) / 1000, w->secs,
		w->r->nevents);
}

static int watch_keep(void *ctx, const struct dx_event *ev)
{
	return check_keep_event(((struct watch *)ctx)->r, ev);
}

/*
 * --watch: read the instance for @secs seconds, or until Ctrl-C (the end
 * of the window, not an error) or the target's exit.
 */
static int watch_events(struct dx_trace *tr, struct check_run *r, unsigned int secs)
{
	struct watch w = { .r = r, .secs = secs, .start = mono_ms() };
	struct ev_loop loop = {
		.tr = tr, .fn = watch_keep, .ctx = &w,
		.end_ms = w.start + (int64_t)secs * 1000, .idle_ms = 100,
		.stop = watch_stop,
		.tick = isatty(STDERR_FILENO) ? watch_progress : NULL,
	};
	int err;

	w.shown = w.start;
	fprintf(stderr, "devexctl: watching pid %d for %u s (Ctrl-C ends the window)\n",
		(int)r->pid, secs);
	err = ev_loop_run(&loop);
	if (loop.tick && w.shown > w.start)
		fputs("\n", stderr);
	return err ? err : check_drain(tr, r, 100);
}

/*
 * What the kernel offers: debugfs for the rounds and the subscribers,
 * tracefs for the events (the tracepoints, or the probes of a stock
 * kernel: enough for --watch).
 */
static int open_sources(struct cmd_ctx *c, struct target *t, struct check_run *r,
			struct dx_trace **tr)
{
	struct dx_trace_opts o = { .debugfs = c->g->debugfs, .target = r->pid, .src = t };
	int err = target_kernel_check(t);

	if (err && err != -ENOPATCH)
		return err;	/* not root: a permission error, exit 5 */
	r->have_debugfs = !err;
	err_clear();
	if (!r->have_debugfs && !r->watch)
		return 0;
	trace_catch_signals();	/* the instance is removed on the way out */
	err = trace_open(tr, &o);
	if (!err && !trace_filtered(*tr)) {
		trace_close(*tr);
		*tr = NULL;
		snprintf(r->events_why, sizeof(r->events_why),
			 "the kernel gave the target mm id 0 (hashing not ready)");
	} else if (err) {
		err_text(err, r->events_why, sizeof(r->events_why));
	}
	if (*tr) {
		r->have_events = true;
		/* What the source tells, not which one it is (trace.h). */
		r->probes = !trace_can(*tr, EVS_PER_SUBSCRIBER);
		r->range_api = trace_can(*tr, EVS_RANGE_API) && trace_range_api(*tr);
		r->subscribed = trace_can(*tr, EVS_SUBSCRIBED_AT_SETUP) &&
				trace_target_subscribed(*tr);
	}
	err_clear();
	return 0;
}

/* The evidence: an active check's rounds, or the window of --watch. */
static int gather(struct cmd_ctx *c, struct target *t, const struct range *rg,
		  struct check_run *r, struct dx_trace *tr, unsigned int watch_s, bool scope)
{
	int err = 0;

	if (r->watch) {
		if (!tr)
			return 0;
		/* The probes see no subscriber list: judged per range (check_stream.c). */
		if (r->have_debugfs && !r->probes)
			err = check_read_subscribers(t, r, false);
		if (!err)
			err = watch_events(tr, r, watch_s);
		if (!err && r->have_debugfs && !r->probes && !target_gone(r->pid) &&
		    check_read_subscribers(t, r, true))
			err_clear();	/* it exited meanwhile: keep the first list */
		return err;
	}
	if (!r->have_debugfs)
		return 0;
	err = check_pick_pages(t, rg, r);
	if (!err)
		err = check_read_subscribers(t, r, false);
	for (int round = 0; round < 2 && !err; round++)
		err = check_run_round(t, r, round);
	if (!err && scope)
		err = check_scope_gather(t, r);
	if (!err && tr)
		err = check_drain(tr, r, 300);
	if (!err && trace_signalled())
		err = err_set(-EINTR, "check interrupted (the pages tested so far are present again)");
	return err;
}

/* Of @selected, the checks the probes can judge. */
static unsigned int probe_checks(unsigned int selected)
{
	for (const struct check_def *d = check_table; d->name; d++)
		if (!d->probes)
			selected &= ~(1u << (d - check_table));
	return selected;
}

/* The checks left out because the probes cannot judge them, as a note and a JSON array. */
static void print_not_judged(unsigned int selected)
{
	unsigned int n = 0;

	out_open_array("not_judged");
	for (const struct check_def *d = check_table; d->name; d++) {
		if (selected & (1u << (d - check_table)))
			continue;
		out_string(OUT_JSON, NULL, "", d->name);
		out_text("%s%s", n++ ? ", " : "note: not judged on the probes of a stock kernel "
			 "(they need the devexcl tracepoints): ", d->name);
	}
	out_close_array();
	if (n)
		out_text("\n");
}

/*
 * The CHECK arguments from @argi on: a bit per check_table entry. None
 * named: all, but on the probes only those they can judge (the others are
 * named in a note: asked for by name, they are missing, exit 4).
 */
static int select_checks(const struct cmd_ctx *c, int argi, unsigned int *selected)
{
	*selected = 0;
	for (int i = argi; i < c->argc; i++) {
		const struct check_def *d = check_lookup(c->argv[i]);

		if (!d)
			return err_usage("check: unknown check '%s' (see 'devexctl help check')",
					 c->argv[i]);
		*selected |= 1u << (d - check_table);
	}
	if (!*selected)
		*selected = ~0u;
	return 0;
}

int cmd_check(struct cmd_ctx *c)
{
	struct check_run *r = calloc(1, sizeof(*r));
	unsigned int selected = 0, nfail = 0, nmissing = 0, watch_s = 0;
	bool all = false;
	struct dx_trace *tr = NULL;
	struct target t;
	struct range rg;
	unsigned long n;
	int err, argi = 1;

	if (!r)
		return -ENOMEM;
	r->max_pages = 8;
	if (c->opt[OPT_MAX_PAGES]) {
		uint64_t v;

		if (parse_size(c->opt[OPT_MAX_PAGES], &v) || v == 0 || v > CHECK_MAX_PAGES) {
			free(r);
			return err_usage("check: --max-pages takes 1 to %d", CHECK_MAX_PAGES);
		}
		r->max_pages = (unsigned int)v;
	}
	if (c->opt[OPT_WATCH]) {
		uint64_t v;

		if (parse_size(c->opt[OPT_WATCH], &v) || v == 0 || v > 86400) {
			free(r);
			return err_usage("check: --watch takes 1 to 86400 seconds");
		}
		r->watch = true;
		watch_s = (unsigned int)v;
	}
	if (c->opt[OPT_SELF]) {
		err = c->opt[OPT_WATCH] || c->opt[OPT_MAX_PAGES] ?
			err_usage("check: --self takes no --watch or --max-pages") :
			select_checks(c, 0, &selected);
		if (!err)
			err = check_self_run(c, selected);
		free(r);
		return err;
	}
	if (c->argc < 1) {
		free(r);
		return err_usage("usage: devexctl check PID [RANGE] [CHECK...] | --self [CHECK...]");
	}
	err = report_open_target(&t, c->g, c->argv[0]);
	if (err)
		goto out_free;
	range_all(&rg);
	/* The second argument is a RANGE unless it names a check. */
	if (c->argc > 1 && !check_lookup(c->argv[1])) {
		err = range_parse(c->argv[1], t.page_size, &rg);
		argi = 2;
	}
	if (!err)
		err = select_checks(c, argi, &selected);
	if (err)
		goto out;
	all = argi >= c->argc;
	if (!target_can(&t, SRC_ACTS | SRC_EVENTS)) {
		err = err_usage("check acts on a live process, not on a snapshot");
		goto out;
	}
	r->pid = t.pid;
	r->page_size = t.page_size;
	r->lo = rg.name ? UINT64_MAX : rg.start;
	r->hi = rg.name ? 0 : rg.end;
	if (rg.name)
		err = vmas_foreach(&t, &rg, span_vma, r, &n);
	if (!err)
		err = open_sources(c, &t, r, &tr);
	if (!err)
		err = gather(c, &t, &rg, r, tr, watch_s,
			     selected & (1u << (check_lookup("scope") - check_table)));
	if (err)
		goto out;
	check_stream_count(r);
	if (all && r->watch && r->probes)
		selected = probe_checks(selected);

	report_begin(&t);
	out_string(OUT_JSON, "mode", "", r->watch ? "watch" : "active");
	out_u64(OUT_JSON, "pages_tested", "", r->npages);
	out_bool(OUT_JSON, "events_lost", "", r->events_lost);
	if (r->have_events)
		check_print_judged(r);
	check_judge_print(r, selected, &nfail, &nmissing);
	if (r->have_events && !r->probes)
		check_print_unvaried(r);
	else if (all && r->watch && r->probes)
		print_not_judged(selected);
	out_u64(OUT_JSON, "failed", "", nfail);
	out_u64(OUT_JSON, "missing", "", nmissing);
	err = report_end(&t);
	if (!err)
		err = nfail ? EXIT_CHECK_FAILED : nmissing ? EXIT_MISSING : 0;
out:
	trace_close(tr);
	target_close(&t);
out_free:
	free(r);
	return err;
}
