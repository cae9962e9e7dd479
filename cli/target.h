/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A target: one process seen through one data source.  A data source is a
 * small ops table (design.md §2): live procfs/pagemap with the devexcl
 * debugfs files beside it, or a snapshot directory replayed offline.  A
 * source says what it can do in its capability flags; commands and the TUI
 * ask those (target_can()), never which source it is, and every request
 * of the devexcl kernel interface goes through kernel_read (only the
 * sources call debugfs.c).  The event sources (tracepoints, probes) are
 * described the same way: struct event_source and trace_can() (trace.h).
 */
#ifndef DEVEXCTL_TARGET_H
#define DEVEXCTL_TARGET_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "debugfs.h"
#include "files.h"
#include "pagemap.h"
#include "uapi_pagemap_scan.h"

struct target;

/* What a source can do: source_ops.caps. */
enum source_caps {
	SRC_LIVE	= 1 << 0,	/* a running system: the process changes and exits */
	SRC_ACTS	= 1 << 1,	/* can convert and revert (make_exclusive, revert) */
	SRC_ENTRIES	= 1 << 2,	/* answers "entries" (live, or as recorded) */
	SRC_NOTIFIERS	= 1 << 3,	/* answers "notifiers" (live, or as recorded) */
	SRC_EVENTS	= 1 << 4,	/* has an event stream (tracefs) */
};

struct source_ops {
	const char *name;
	unsigned int caps;		/* enum source_caps */
	/* Fill release, page size, PFN visibility and the swap layout. */
	int (*probe)(struct target *t);
	/* PAGEMAP_SCAN on the target's pagemap; -EOPNOTSUPP when not offered. */
	int (*scan)(struct target *t, struct pm_scan_arg *arg);
	/* Make t->layout valid when probe() left it pending (target_layout()). */
	void (*layout)(struct target *t);
	/*
	 * A request of the devexcl kernel interface ("entries", "notifiers",
	 * "info"; "make_exclusive" and "revert" where SRC_ACTS): asked of the
	 * live debugfs files, or read back from what a snapshot recorded.
	 * -ENOPATCH (context recorded) when there is none; a usage error for
	 * an action of a source without SRC_ACTS.
	 */
	int (*kernel_read)(struct target *t, const char *file, const char *req,
			   dfs_line_fn fn, void *ctx);
};

extern const struct source_ops source_procfs;
extern const struct source_ops source_snapshot;

#define PAGEMAP_BATCH 65536	/* entries per pread, as page-types (struct walker) */

struct target {
	const struct source_ops *ops;
	char root[PATH_MAX];		/* "/proc" or a snapshot directory */
	pid_t pid;
	int pagemap_fd;
	int maps_fd;			/* opened with pagemap, read again per pass */
	uint64_t page_size;
	char release[128];
	bool pfn_visible;		/* PFNs and swap types readable */
	char pfn_reason[160];		/* why not, when not */
	bool has_scan;			/* PAGEMAP_SCAN usable */
	struct swap_layout layout;	/* valid once target_layout() ran */
	bool layout_pending;		/* the live source reads it on first use */
	const char *debugfs;		/* debugfs mount point (--debugfs; live sources) */
	/*
	 * A live process on a real procfs with an address space: the pagemap
	 * fd pins its mm, and target_alive() asks that mm, not the PID.
	 */
	bool live_mm;
	/* The mappings changed while they were read (vmas.c): a partial result. */
	unsigned long changed;
};

/* The source that serves @root: a snapshot when it holds devexctl-snapshot. */
const struct source_ops *source_for_root(const char *root);

/* Whether @t's source can do everything in @caps (enum source_caps). */
static inline bool target_can(const struct target *t, unsigned int caps)
{
	return (t->ops->caps & caps) == caps;
}

/*
 * Probe the source at @root without a process (features); @debugfs is
 * where a live source asks the devexcl interface.
 */
int target_probe(struct target *t, const char *root, const char *debugfs);
/* Open process @pid: -ESRCH when it does not exist, -EACCES without ptrace rights. */
int target_open(struct target *t, const char *root, const char *debugfs, pid_t pid);
/*
 * The live kernel's devexcl interface at @debugfs, without a process: for
 * who asks the kernel about a PID it need not open (the event sources name
 * a process's mm from devexcl/notifiers; monitor PID needs no pagemap
 * access).  target_close() it like an opened one.
 */
int target_kernel(struct target *t, const char *debugfs);
/* 0 when @t's source answers the devexcl interface ("info"), else the explained error. */
int target_kernel_check(struct target *t);
void target_close(struct target *t);
/* Path of a per-process file ("maps", "pagemap", "status") into @buf. */
int target_path(const struct target *t, char *buf, size_t len, const char *file);
/*
 * Whether the process still exists (snapshots always do).  For a live
 * target this asks the mm that target_open() pinned: once the process has
 * exited (zombie included) or exec'd, pagemap reads of it return nothing,
 * and a read that returned data proves the mm was alive until then.
 */
bool target_alive(const struct target *t);
/* The state letter of PID/stat ('R', 'S', 'Z', ...), or 0 when unreadable. */
char target_state(const struct target *t);
/* Parse a PID argument; usage error for 0, negatives and junk. */
int parse_pid(const char *s, pid_t *pid);

/*
 * Make t->layout valid.  The live source defers reading the kernel config
 * (a gzip file) until a swap-format entry or a report needs it: most walks
 * never meet one, and the read was a fifth of a short run (bench/README.md).
 */
void target_layout(struct target *t);

#endif
