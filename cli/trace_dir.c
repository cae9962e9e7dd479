// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracefs on this machine (trace.h): where it is mounted, whether it has
 * the devexcl tracepoints, the target's mm id that names them, what each
 * event source can tell, which devexctl instances and probe groups are
 * stale, and the signals that end a reading.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <tracefs.h>
#include <unistd.h>

#include "errors.h"
#include "probes.h"
#include "records.h"
#include "target.h"
#include "trace.h"

const struct event_source event_tracepoints = {
	.name = "tracepoints",
	.caps = EVS_PER_SUBSCRIBER,
};

/* Per range; the mm and its subscribers learnt from a probe at setup (trace.c). */
const struct event_source event_probes = {
	.name = "probes",
	.caps = EVS_SUBSCRIBED_AT_SETUP | EVS_RANGE_API,
};

static volatile sig_atomic_t signalled;

static void on_signal(int sig)
{
	signalled = 1;
}

void trace_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool trace_signalled(void)
{
	return signalled;
}

/* A mounted tracefs at @dir (statfs), not the empty mount point under /sys. */
static int is_tracefs(const char *dir)
{
	struct statfs sf;

	if (statfs(dir, &sf) != 0)
		return -errno;
	return sf.f_type == TRACEFS_MAGIC ? 0 : -ENOENT;
}

int trace_find_dir(const char *debugfs, char *dir, size_t len)
{
	char second[PATH_MAX];
	const char *cand[] = { "/sys/kernel/tracing", second };
	int err = 0;

	snprintf(second, sizeof(second), "%s/tracing", debugfs ? debugfs : "/sys/kernel/debug");
	for (int i = 0; i < 2; i++) {
		int e = is_tracefs(cand[i]);

		if (e == 0) {
			snprintf(dir, len, "%s", cand[i]);
			if (access(cand[i], R_OK | X_OK) != 0) {
				err_set(-EPERM, "cannot read %s", cand[i]);
				err_hint("tracefs is root-only: run as root (CAP_SYS_ADMIN, and DAC access to tracefs)");
				return -EPERM;
			}
			return 0;
		}
		if ((e == -EACCES || e == -EPERM) && !err)
			err = e;
	}
	if (err) {
		err_set(-EPERM, "cannot search %s", second);
		err_hint("debugfs and tracefs are root-only: run as root (CAP_SYS_ADMIN)");
		return -EPERM;
	}
	err_set(-ENOTRACEFS, "no tracefs at /sys/kernel/tracing nor at %s", second);
	err_hint("mount it: mount -t tracefs nodev /sys/kernel/tracing");
	return -ENOTRACEFS;
}

bool trace_owner_alive(pid_t pid)
{
	char path[64], comm[32];
	struct stat st, self;
	int fd;
	ssize_t n;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT;	/* cannot tell: leave it be */
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return true;
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	if (strcmp(comm, "devexctl") == 0)
		return true;
	/* Started as /proc/self/exe (the tui's check): comm "exe", our binary. */
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (stat(path, &st) != 0)
		return errno != ENOENT;	/* cannot tell: leave it be */
	return stat("/proc/self/exe", &self) == 0 &&
	       st.st_dev == self.st_dev && st.st_ino == self.st_ino;
}

/* Not tracefs_instances(): libtracefs 1.6 does not free its regex. */
void trace_remove_stale(void)
{
	char dir[PATH_MAX];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/instances", tracefs_tracing_dir());
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp)) != NULL) {
		const char *p = d->d_name + strlen(TRACE_INSTANCE_PREFIX);
		struct tracefs_instance *inst;
		char *end;
		long pid;

		if (strncmp(d->d_name, TRACE_INSTANCE_PREFIX, strlen(TRACE_INSTANCE_PREFIX)) != 0 ||
		    *p < '0' || *p > '9')
			continue;
		pid = strtol(p, &end, 10);
		if (*end || pid <= 0 || pid == getpid() || trace_owner_alive((pid_t)pid))
			continue;
		inst = tracefs_instance_alloc(NULL, d->d_name);
		if (!inst)
			continue;
		tracefs_instance_destroy(inst);
		tracefs_instance_free(inst);
	}
	closedir(dp);
	probes_remove_stale(trace_owner_alive);
}

int trace_tracepoints_present(const char *dir)
{
	char path[PATH_MAX];

	for (int k = 0; k < DX_NKINDS; k++) {
		const char *sys = event_kind_system((enum dx_kind)k);

		if (!sys || strcmp(sys, "sched") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/events/%s/%s/format", dir, sys,
			 event_kind_event((enum dx_kind)k));
		if (access(path, F_OK) != 0)
			return err_set(-ENOPATCH, "kernel without the devexcl tracepoints "
				       "(kernel-debugfs/patches): no %s", path);
	}
	return 0;
}

int trace_available(const char *debugfs, char *dir, size_t len)
{
	int err = trace_find_dir(debugfs, dir, len);

	return err ? err : trace_tracepoints_present(dir);
}

/* The first line of devexcl/notifiers: "mm id=0x%08x". */
struct mm_seen {
	bool seen;
	uint32_t id;
};

static int mm_line(void *ctx, char *line)
{
	struct mm_seen *m = ctx;

	if (rec_mm_parse(line, &m->id) != 1)
		return 0;
	m->seen = true;
	return 1;	/* the rest is subscribers */
}

int trace_mm_id(struct target *src, const char *debugfs, pid_t pid, uint32_t *id)
{
	struct mm_seen m = { false, 0 };
	struct target k;
	char req[16];
	int err = 0;

	/* monitor PID and the TUI open no target here: the kernel alone answers. */
	if (!src) {
		err = target_kernel(&k, debugfs);
		src = &k;
	}
	snprintf(req, sizeof(req), "%d", (int)pid);
	if (!err)
		err = src->ops->kernel_read(src, "notifiers", req, mm_line, &m);
	if (src == &k)
		target_close(&k);
	if (err < 0)
		return err;
	if (!m.seen)
		return err_set(-ENOENT, "devexcl/notifiers: no 'mm id=' line (an older interface)");
	*id = m.id;
	return 0;
}
