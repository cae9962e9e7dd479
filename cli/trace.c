// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tracefs event source (trace.h): one instance per devexctl process,
 * libtracefs for the instance and the time-ordered read across CPUs,
 * libtraceevent for the formats, events.c for the decoding.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <event-parse.h>
#include <fcntl.h>
#include <inttypes.h>
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

#include "debugfs.h"
#include "errors.h"
#include "records.h"
#include "trace.h"

struct dx_trace {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct dx_decoder *dec;
	char name[32];
	char dir[PATH_MAX];
	bool have_syms;
	/* while reading */
	trace_event_fn fn;
	void *ctx;
	int ret, count;
	unsigned long malformed;
	/* the last callback addresses resolved */
	struct { uint64_t addr; char sym[96]; } cache[16];
	unsigned int cache_next;
};

static struct dx_trace *live;	/* removed at exit() too */
static bool atexit_done;
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

/* Is @pid a running devexctl? */
static bool devexctl_alive(pid_t pid)
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
		if (*end || pid <= 0 || pid == getpid() || devexctl_alive((pid_t)pid))
			continue;
		inst = tracefs_instance_alloc(NULL, d->d_name);
		if (!inst)
			continue;
		tracefs_instance_destroy(inst);
		tracefs_instance_free(inst);
	}
	closedir(dp);
}

static void remove_live(void)
{
	if (live)
		trace_close(live);
}

static int tracepoints_present(const char *dir)
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

	return err ? err : tracepoints_present(dir);
}

static int setup(struct dx_trace *t, const struct dx_trace_opts *o)
{
	static const char *const systems[] = { "device_exclusive", "mmu_notifier", "sched", NULL };
	char filter[32];

	if (o->filter_mm)
		snprintf(filter, sizeof(filter), "mm == 0x%08x", o->mm_id);
	else if (o->filter_task > 0)
		snprintf(filter, sizeof(filter), "common_pid == %d", (int)o->filter_task);
	if (tracefs_instance_file_write(t->inst, "trace_clock", "mono") < 0)
		return err_set(-errno ? -errno : -EIO, "%s: setting trace_clock to mono", t->name);
	for (int k = 0; k < DX_NKINDS; k++) {
		const char *sys = event_kind_system((enum dx_kind)k);
		const char *ev = event_kind_event((enum dx_kind)k);

		if (!sys)
			continue;
		/* Task events are every process's: only for who follows tasks. */
		if (!o->tasks && !event_kind_has_field((enum dx_kind)k, DXF_MM))
			continue;
		if ((o->filter_mm || o->filter_task > 0) &&
		    event_kind_has_field((enum dx_kind)k, DXF_MM)) {
			if (tracefs_event_file_write(t->inst, sys, ev, "filter", filter) < 0)
				return err_set(-errno ? -errno : -EIO, "%s: filter '%s' on %s/%s",
					       t->name, filter, sys, ev);
		}
		if (tracefs_event_enable(t->inst, sys, ev) < 0)
			return err_set(-errno ? -errno : -EIO, "%s: enabling %s/%s", t->name, sys, ev);
	}
	t->tep = tracefs_local_events_system(t->dir, systems);
	if (!t->tep)
		return err_set(-errno ? -errno : -EIO, "reading the event formats under %s/events",
			       t->dir);
	t->dec = event_decoder_new(t->tep);
	if (!t->dec)
		return -ENOMEM;
	for (int k = DX_SET; k <= DX_SUBSCRIBER; k++)
		if (!event_decoder_bound(t->dec, (enum dx_kind)k))
			return err_set(-ENOPATCH, "the format of %s/%s did not parse",
				       event_kind_system((enum dx_kind)k),
				       event_kind_event((enum dx_kind)k));
	return 0;
}

/* Callback symbols from /proc/kallsyms, read while we may (CAP_SYSLOG). */
static void load_kallsyms(struct dx_trace *t)
{
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	ssize_t n;
	int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf)
		goto out;
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				goto out;
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	/* Addresses all zero: kptr_restrict hides them from us. */
	if (len && strncmp(buf, "0000000000000000", 16) != 0 && tep_parse_kallsyms(t->tep, buf) == 0)
		t->have_syms = true;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
}

int trace_open(struct dx_trace **tp, const struct dx_trace_opts *o)
{
	struct dx_trace *t;
	int err;

	*tp = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	err = trace_find_dir(o->debugfs, t->dir, sizeof(t->dir));
	if (err)
		goto fail;
	/* libtracefs would mount tracefs where it finds none: point it at ours. */
	tracefs_set_tracing_dir(t->dir);
	err = tracepoints_present(t->dir);
	if (err)
		goto fail;
	trace_remove_stale();
	snprintf(t->name, sizeof(t->name), TRACE_INSTANCE_PREFIX "%d", (int)getpid());
	t->inst = tracefs_instance_create(t->name);
	if (!t->inst) {
		err = -errno ? -errno : -EIO;
		if (err == -EACCES || err == -EPERM) {
			err_set(-EPERM, "creating the tracefs instance %s/instances/%s", t->dir, t->name);
			err_hint("tracefs instances need root (CAP_SYS_ADMIN and DAC access to tracefs)");
			err = -EPERM;
		} else {
			err_set(err, "creating the tracefs instance %s/instances/%s", t->dir, t->name);
		}
		goto fail;
	}
	live = t;
	if (!atexit_done)
		atexit_done = atexit(remove_live) == 0;
	err = setup(t, o);
	if (err)
		goto fail;
	load_kallsyms(t);
	*tp = t;
	return 0;
fail:
	trace_close(t);
	return err;
}

static const char *resolve_cb(struct dx_trace *t, uint64_t addr)
{
	const char *name;

	for (unsigned int i = 0; i < sizeof(t->cache) / sizeof(t->cache[0]); i++)
		if (t->cache[i].addr == addr && t->cache[i].sym[0])
			return t->cache[i].sym;
	name = t->have_syms ? tep_find_function(t->tep, addr) : NULL;
	if (!name)
		return NULL;
	t->cache[t->cache_next].addr = addr;
	snprintf(t->cache[t->cache_next].sym, sizeof(t->cache[0].sym), "%s", name);
	name = t->cache[t->cache_next].sym;
	t->cache_next = (t->cache_next + 1) % (sizeof(t->cache) / sizeof(t->cache[0]));
	return name;
}

static int deliver(struct dx_trace *t, const struct dx_event *ev)
{
	int r = t->fn(t->ctx, ev);

	t->count++;
	if (r) {
		t->ret = r;
		tracefs_iterate_stop(t->inst);
	}
	return r;
}

/*
 * The ring buffer overran before @rec: libtracefs sets missed_events on
 * the first record of a page the kernel flagged (the count, or -1 when the
 * kernel did not count).  Not tracefs_follow_missed_events(): libtracefs
 * 1.6 does not free its followers with the instance.
 */
static int missed(struct dx_trace *t, const struct tep_record *rec, int cpu)
{
	struct dx_event ev = { .kind = DX_LOST, .cpu = cpu, .source = "tracefs" };

	ev.ts_ns = rec->ts;
	ev_set(&ev, DXF_LOST, (uint64_t)(rec->missed_events > 0 ? rec->missed_events : -1));
	return deliver(t, &ev);
}

static int record_cb(struct tep_event *e, struct tep_record *rec, int cpu, void *ctx)
{
	struct dx_trace *t = ctx;
	struct dx_event ev;
	int err;

	if (t->ret)
		return 1;
	if (rec->missed_events && missed(t, rec, cpu))
		return 1;
	err = event_decode(t->dec, rec->data, rec->size > 0 ? (size_t)rec->size : 0, &ev);
	if (err == -ENOENT)
		return 0;
	if (err) {
		t->malformed++;
		return 0;
	}
	ev.ts_ns = rec->ts;
	ev.cpu = cpu;
	if (ev_has(&ev, DXF_CB)) {
		const char *sym = resolve_cb(t, ev.num[DXF_CB]);

		if (sym)
			snprintf(ev.sym, sizeof(ev.sym), "%s", sym);
	}
	return deliver(t, &ev);
}

int trace_read(struct dx_trace *t, trace_event_fn fn, void *ctx)
{
	t->fn = fn;
	t->ctx = ctx;
	t->ret = 0;
	t->count = 0;
	if (tracefs_iterate_raw_events(t->tep, t->inst, NULL, 0, record_cb, t) < 0 && !t->ret)
		return err_set(-errno ? -errno : -EIO, "reading %s/instances/%s", t->dir, t->name);
	return t->ret ? t->ret : t->count;
}

unsigned long trace_malformed(const struct dx_trace *t)
{
	return t->malformed;
}

const char *trace_instance_name(const struct dx_trace *t)
{
	return t->name;
}

void trace_close(struct dx_trace *t)
{
	if (!t)
		return;
	if (live == t)
		live = NULL;
	if (t->inst) {
		tracefs_event_disable(t->inst, NULL, NULL);
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
	}
	event_decoder_free(t->dec);
	if (t->tep)
		tep_free(t->tep);
	free(t);
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

int trace_mm_id(const char *debugfs, pid_t pid, uint32_t *id)
{
	struct mm_seen m = { false, 0 };
	char req[16];
	int err;

	snprintf(req, sizeof(req), "%d", (int)pid);
	err = dfs_request(debugfs, "notifiers", req, mm_line, &m);
	if (err < 0)
		return err;
	if (!m.seen)
		return err_set(-ENOENT, "devexcl/notifiers: no 'mm id=' line (an older interface)");
	*id = m.id;
	return 0;
}
