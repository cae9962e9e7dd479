/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tracefs event source: devexctl's own tracefs instance
 * (instances/devexctl-PID, trace clock "mono") with the device_exclusive,
 * mmu_notifier and sched fork/exit events enabled, filtered in the kernel
 * to one mm when asked, read in time order across CPUs (libtracefs), and
 * removed again on exit, on SIGINT/SIGTERM, and after a crash (by the next
 * devexctl that starts).
 *
 * Two event sources, one event model (events.h): the devexcl tracepoints
 * of kernel-debugfs/patches, or, on a kernel without them, dynamic probes
 * (probes.h) that report conversions, restores and notifier ranges.  Each
 * is described by a struct event_source that says what it can tell.
 */
#ifndef DEVEXCTL_TRACE_H
#define DEVEXCTL_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"

#define TRACE_INSTANCE_PREFIX "devexctl-"

struct dx_trace;
struct target;

struct dx_trace_opts {
	const char *debugfs;	/* DEBUGFS/tracing is the second place looked */
	pid_t target;		/* > 0: filter the mm events to this process's mm */
	/*
	 * The target's source, asked for its mm id; NULL: the live kernel's
	 * devexcl interface at @debugfs (target_kernel()).
	 */
	struct target *src;
	pid_t filter_task;	/* else, when > 0: to what this task does */
	bool tasks;		/* sched_process_fork/exit too (every task's) */
};

/* What an event source can tell: event_source.caps. */
enum event_source_caps {
	/*
	 * One notifier event per subscriber call, and the PTE, mapcount and
	 * folio state with each conversion; else one event per invalidation
	 * range of the mm, and no page state.
	 */
	EVS_PER_SUBSCRIBER	= 1 << 0,
	/* Learns at setup whether the target's mm had subscribers (trace_target_subscribed()). */
	EVS_SUBSCRIBED_AT_SETUP	= 1 << 1,
	/* Tells whether conversions are make_device_exclusive_range()'s (trace_range_api()). */
	EVS_RANGE_API		= 1 << 2,
};

/*
 * An event source: the devexcl tracepoints of kernel-debugfs/patches, or
 * the dynamic probes of a stock kernel (probes.h).  Callers ask what it
 * can tell (trace_can()), never which one it is.
 */
struct event_source {
	const char *name;	/* "tracepoints", "probes": shown and in JSON */
	unsigned int caps;	/* enum event_source_caps */
};

extern const struct event_source event_tracepoints;
extern const struct event_source event_probes;

/* Whether @s can tell everything in @caps (enum event_source_caps). */
static inline bool event_source_can(const struct event_source *s, unsigned int caps)
{
	return (s->caps & caps) == caps;
}

/*
 * Where tracefs is mounted (/sys/kernel/tracing, then DEBUGFS/tracing;
 * nothing is mounted): 0, -ENOTRACEFS or -EPERM with the context recorded.
 */
int trace_find_dir(const char *debugfs, char *dir, size_t len);
/* trace_find_dir(), and the devexcl tracepoints there: else -ENOPATCH, explained. */
int trace_available(const char *debugfs, char *dir, size_t len);
/* Whether tracefs at @dir has the devexcl tracepoints: 0, or -ENOPATCH explained. */
int trace_tracepoints_present(const char *dir);
/*
 * The mm id of @pid from the first line of the notifiers answer of @src,
 * or, when @src is NULL, of the live kernel's DEBUGFS/devexcl (0: the
 * kernel could not hash it yet; do not filter on it).
 */
int trace_mm_id(struct target *src, const char *debugfs, pid_t pid, uint32_t *id);
/*
 * Set up the instance in the mode this kernel offers (the tracepoints,
 * else the probes; DEVEXCTL_EVENTS=tracepoints|probes forces one), and
 * learn the target's mm: -ENOTRACEFS, -EPERM (not root), -ENOPATCH (no
 * tracepoints and no probes: the reason recorded), -ESRCH, or another
 * negative errno, explained.
 */
int trace_open(struct dx_trace **tp, const struct dx_trace_opts *o);
/* The source this instance reads (its name, what it can tell). */
const struct event_source *trace_source(const struct dx_trace *t);
static inline bool trace_can(const struct dx_trace *t, unsigned int caps)
{
	return event_source_can(trace_source(t), caps);
}
/* Whether the mm events are filtered to the target's mm (false: every mm's). */
bool trace_filtered(const struct dx_trace *t);
/*
 * Probes: whether the target's mm had MMU-notifier subscribers when the
 * instance was set up (the tracepoints mode reads them from debugfs).
 */
bool trace_target_subscribed(const struct dx_trace *t);
/* Probes: whether conversions are make_device_exclusive_range()'s (before 6.15). */
bool trace_range_api(const struct dx_trace *t);
typedef int (*trace_event_fn)(void *ctx, const struct dx_event *ev);
/*
 * Hand what the ring buffers hold now to @fn, in time order across CPUs,
 * overruns as DX_LOST events. Returns the number of events, or a negative
 * errno (also the first non-zero return of @fn, which stops the read).
 */
int trace_read(struct dx_trace *t, trace_event_fn fn, void *ctx);
/* Records that did not decode (shorter than their format) so far. */
unsigned long trace_malformed(const struct dx_trace *t);
const char *trace_instance_name(const struct dx_trace *t);
/* Disable the events and remove the instance. */
void trace_close(struct dx_trace *t);

/*
 * Remove instances devexctl-PID and probe groups devexctl_PID whose PID
 * is not a running devexctl.
 */
void trace_remove_stale(void);
/* Whether @pid is a running devexctl (or cannot be told apart from one). */
bool trace_owner_alive(pid_t pid);

/* SIGINT and SIGTERM set a flag (no SA_RESTART, so a poll() returns). */
void trace_catch_signals(void);
bool trace_signalled(void);

#endif
