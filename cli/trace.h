/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tracefs event source: devexctl's own tracefs instance
 * (instances/devexctl-PID, trace clock "mono") with the device_exclusive,
 * mmu_notifier and sched fork/exit events enabled, filtered in the kernel
 * to one mm when asked, read in time order across CPUs (libtracefs), and
 * removed again on exit, on SIGINT/SIGTERM, and after a crash (by the next
 * devexctl that starts).
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

struct dx_trace_opts {
	const char *debugfs;	/* DEBUGFS/tracing is the second place looked */
	bool filter_mm;		/* filter the device_exclusive and mmu_notifier events */
	uint32_t mm_id;		/* ... to this mm */
	pid_t filter_task;	/* else, when > 0: to what this task does */
	bool tasks;		/* sched_process_fork/exit too (every task's) */
};

/*
 * Where tracefs is mounted (/sys/kernel/tracing, then DEBUGFS/tracing;
 * nothing is mounted): 0, -ENOTRACEFS or -EPERM with the context recorded.
 */
int trace_find_dir(const char *debugfs, char *dir, size_t len);
/* trace_find_dir(), and the devexcl tracepoints there: else -ENOPATCH, explained. */
int trace_available(const char *debugfs, char *dir, size_t len);
/*
 * Set up the instance: -ENOTRACEFS, -EPERM (not root), -ENOPATCH (a kernel
 * without the devexcl tracepoints) or another negative errno, explained.
 */
int trace_open(struct dx_trace **tp, const struct dx_trace_opts *o);
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

/* Remove instances devexctl-PID whose PID is not a running devexctl. */
void trace_remove_stale(void);

/* SIGINT and SIGTERM set a flag (no SA_RESTART, so a poll() returns). */
void trace_catch_signals(void);
bool trace_signalled(void);

/*
 * The mm id of @pid from the first line of DEBUGFS/devexcl/notifiers (0:
 * the kernel could not hash it yet; do not filter on it).
 */
int trace_mm_id(const char *debugfs, pid_t pid, uint32_t *id);

#endif
