// SPDX-License-Identifier: GPL-2.0-or-later
/* Opening a target process through its data source. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "errors.h"
#include "target.h"

#define SNAPSHOT_META "devexctl-snapshot"

const struct source_ops *source_for_root(const char *root)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, SNAPSHOT_META);
	return access(path, F_OK) == 0 ? &source_snapshot : &source_procfs;
}

int parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)s[0]) ||	/* strtol takes " 1" and "+1" */
	    errno || end == s || *end || v <= 0 || v > 0x3fffffff)
		return err_usage("bad PID '%s': expected a positive process ID", s);
	*pid = (pid_t)v;
	return 0;
}

int target_path(const struct target *t, char *buf, size_t len, const char *file)
{
	int n = snprintf(buf, len, "%s/%d/%s", t->root, (int)t->pid, file);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* One pagemap entry of the pinned mm: 8 bytes while it lives, 0 after (fs/proc/task_mmu.c). */
static bool mm_alive(const struct target *t)
{
	uint64_t pme;

	return pread(t->pagemap_fd, &pme, sizeof(pme), 0) == (ssize_t)sizeof(pme);
}

bool target_alive(const struct target *t)
{
	char path[PATH_MAX];
	struct stat st;

	if (!target_can(t, SRC_LIVE))
		return true;
	if (t->live_mm)
		return mm_alive(t);
	snprintf(path, sizeof(path), "%s/%d", t->root, (int)t->pid);
	return stat(path, &st) == 0;
}

char target_state(const struct target *t)
{
	char path[PATH_MAX], buf[512], *p;

	target_path(t, path, sizeof(path), "stat");
	if (read_small_file(path, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')))
		return 0;
	return p[1] == ' ' ? p[2] : 0;
}

/*
 * On a real procfs, pin the mm: a zombie has none (its pagemap reads
 * nothing), a kernel thread never had one (it keeps the PID-based check).
 */
static int target_pin_mm(struct target *t)
{
	struct statfs sfs;
	char state;

	if (!target_can(t, SRC_LIVE) || fstatfs(t->pagemap_fd, &sfs) != 0 ||
	    sfs.f_type != PROC_SUPER_MAGIC)
		return 0;
	if (mm_alive(t)) {
		t->live_mm = true;
		return 0;
	}
	state = target_state(t);
	if (state == 'Z' || state == 'X' || state == 0)
		return err_set(-ESRCH, "process %d has exited", (int)t->pid);
	return 0;
}

int target_probe(struct target *t, const char *root, const char *debugfs)
{
	memset(t, 0, sizeof(*t));
	t->pagemap_fd = -1;
	t->maps_fd = -1;
	snprintf(t->root, sizeof(t->root), "%s", root);
	t->debugfs = debugfs;
	t->ops = source_for_root(root);
	return t->ops->probe(t);
}

/*
 * Tracefs and the devexcl files are the running kernel's whatever --proc
 * says, so this is always the live procfs.
 */
int target_kernel(struct target *t, const char *debugfs)
{
	return target_probe(t, "/proc", debugfs);
}

static int skip_line(void *ctx, char *line)
{
	return 0;
}

int target_kernel_check(struct target *t)
{
	return t->ops->kernel_read(t, "info", "", skip_line, NULL);
}

int target_open(struct target *t, const char *root, const char *debugfs, pid_t pid)
{
	char path[PATH_MAX];
	struct stat st;
	int err;

	err = target_probe(t, root, debugfs);
	if (err)
		return err;
	t->pid = pid;
	snprintf(path, sizeof(path), "%s/%d", t->root, (int)pid);
	if (stat(path, &st) != 0) {
		if (!target_can(t, SRC_LIVE))
			return err_set(-ESRCH, "no process %d in snapshot %s", (int)pid, root);
		return err_set(-ESRCH, "no process %d", (int)pid);
	}
	target_path(t, path, sizeof(path), "pagemap");
	t->pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (t->pagemap_fd < 0) {
		err = -errno;
		if (err == -EACCES || err == -EPERM) {
			err_set(-EACCES, "cannot open %s", path);
			err_hint("reading another process's pagemap needs ptrace access: run as its owner, or as root");
			return -EACCES;
		}
		if (err == -ESRCH)	/* a zombie: no mm to open */
			return err_set(-ESRCH, "process %d has exited", (int)pid);
		if (err == -ENOENT && !target_alive(t))
			return err_set(-ESRCH, "process %d exited", (int)pid);
		if (err == -ENOENT && target_can(t, SRC_LIVE))
			return err_set(-EOPNOTSUPP, "%s missing (kernel built without CONFIG_PROC_PAGE_MONITOR?)", path);
		return err_set(err, "cannot open %s", path);
	}
	/*
	 * maps too, while we hold the capabilities to open it (a privileged
	 * target's maps needs CAP_SYS_PTRACE at open): every pass rereads this
	 * fd.  When it fails, vmas.c opens the path and reports why.
	 */
	target_path(t, path, sizeof(path), "maps");
	t->maps_fd = open(path, O_RDONLY | O_CLOEXEC);
	err = target_pin_mm(t);
	if (err) {
		target_close(t);
		return err;
	}
	return 0;
}

void target_layout(struct target *t)
{
	if (!t->layout_pending)
		return;
	t->layout_pending = false;
	if (t->ops->layout)
		t->ops->layout(t);
}

void target_close(struct target *t)
{
	if (t->pagemap_fd >= 0)
		close(t->pagemap_fd);
	if (t->maps_fd >= 0)
		close(t->maps_fd);
	t->pagemap_fd = t->maps_fd = -1;
}
