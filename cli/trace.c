// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tracefs event source (trace.h): one instance per devexctl process,
 * libtracefs for the instance and the time-ordered read across CPUs,
 * libtraceevent for the formats, events.c for the decoding.
 */
#include "config.h"

#include <errno.h>
#include <event-parse.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracefs.h>
#include <unistd.h>

#include "errors.h"
#include "probes.h"
#include "trace.h"

/* The most DX_SETs one make_device_exclusive_range() call hands on. */
#define TRACE_DIGEST_MAX 512

struct dx_trace {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct dx_decoder *dec;
	const struct event_source *src;	/* event_tracepoints or event_probes */
	struct dx_probes *probes;	/* event_probes */
	struct dx_event *digest;	/* TRACE_DIGEST_MAX: what the probes hand on */
	bool filtered, subscribed;
	uint32_t mm_id;			/* the tracepoints' mm of the target */
	bool tracepoints_unnamed;	/* there, but no debugfs to name the target's mm */
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
	/* the last converting tasks named */
	struct { int task; char comm[16]; } comms[8];
	unsigned int comm_next;
};

static struct dx_trace *live;	/* removed at exit() too */
static bool atexit_done;

static void remove_live(void)
{
	if (live)
		trace_close(live);
}

/*
 * Enable the tracepoints of the kind table: the sched ones only with
 * o->tasks, the mm ones only from the tracepoints source.
 */
static int enable_tracepoints(struct dx_trace *t, const struct dx_trace_opts *o, uint32_t mm_id)
{
	char filter[32];
	bool probes = t->src == &event_probes;	/* they report the mm events */

	if (t->filtered)
		snprintf(filter, sizeof(filter), "mm == 0x%08x", mm_id);
	else if (o->filter_task > 0)
		snprintf(filter, sizeof(filter), "common_pid == %d", (int)o->filter_task);
	for (int k = 0; k < DX_NKINDS; k++) {
		const char *sys = event_kind_system((enum dx_kind)k);
		const char *ev = event_kind_event((enum dx_kind)k);
		bool has_mm = event_kind_has_field((enum dx_kind)k, DXF_MM);

		if (!sys || (probes && has_mm))
			continue;
		/* Task events are every process's: only for who follows tasks. */
		if (!o->tasks && !has_mm)
			continue;
		if ((t->filtered || o->filter_task > 0) && has_mm) {
			if (tracefs_event_file_write(t->inst, sys, ev, "filter", filter) < 0)
				return err_set(-errno ? -errno : -EIO, "%s: filter '%s' on %s/%s",
					       t->name, filter, sys, ev);
		}
		if (tracefs_event_enable(t->inst, sys, ev) < 0)
			return err_set(-errno ? -errno : -EIO, "%s: enabling %s/%s", t->name, sys, ev);
	}
	return 0;
}

/* The formats of the events of this source, bound to the kind table. */
static int read_formats(struct dx_trace *t)
{
	const char *systems[] = { "device_exclusive", "mmu_notifier", "sched", NULL };

	if (t->src == &event_probes) {
		systems[0] = probes_group(t->probes);
		systems[1] = "sched";
		systems[2] = NULL;
	}
	t->tep = tracefs_local_events_system(t->dir, systems);
	if (!t->tep)
		return err_set(-errno ? -errno : -EIO, "reading the event formats under %s/events",
			       t->dir);
	t->dec = event_decoder_new(t->tep);
	if (!t->dec)
		return -ENOMEM;
	if (t->src == &event_probes)
		return probes_bind(t->probes, t->dec);
	for (int k = DX_SET; k <= DX_SUBSCRIBER; k++)
		if (!event_decoder_bound(t->dec, (enum dx_kind)k))
			return err_set(-ENOPATCH, "the format of %s/%s did not parse",
				       event_kind_system((enum dx_kind)k),
				       event_kind_event((enum dx_kind)k));
	return 0;
}

static int ignore_event(void *ctx, const struct dx_event *ev)
{
	(void)ctx;
	(void)ev;
	return 0;
}

/*
 * The target's mm, as the probes see it: the mm probe, filtered to our
 * own task, fires while we read one entry of the target's pagemap (which
 * faults nothing in). Tried for up to a second.
 */
static int learn_mm(struct dx_trace *t, pid_t target, uint64_t *mm)
{
	char path[64];
	uint64_t entry, subs;
	int fd, err;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)target);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(errno == ENOENT ? -ESRCH : -errno, "%s", path);
	err = probes_enable(t->probes, t->inst, 0, true);
	for (int i = 0; !err && i < 100 && !probes_learned(t->probes, mm, &subs); i++) {
		if (i % 10 == 0 && pread(fd, &entry, sizeof(entry), 0) < 0) {
			err = err_set(-errno, "reading %s", path);
			break;
		}
		err = trace_read(t, ignore_event, NULL);
		if (err > 0)
			err = 0;
		if (!err && !probes_learned(t->probes, mm, &subs))
			usleep(10000);
	}
	close(fd);
	if (!err && !probes_learned(t->probes, mm, &subs))
		err = err_set(-EIO, "the probe on walk_page_range() did not report process %d's "
			      "mm while devexctl read its pagemap", (int)target);
	if (!err) {
		t->subscribed = subs != 0;
		t->filtered = true;
	}
	return err;
}

/*
 * Which source: what the kernel offers, unless DEVEXCTL_EVENTS says. The
 * tracepoints name the mm by a hash only devexcl/notifiers tells: without
 * that debugfs (CONFIG_DEVEXCL_DEBUG=n) a target's events come from the
 * probes, if this kernel has them.
 */
static int pick_source(struct dx_trace *t, const struct dx_trace_opts *o)
{
	const char *want = getenv("DEVEXCTL_EVENTS");
	int err;

	if (want && *want && strcmp(want, "tracepoints") != 0 && strcmp(want, "probes") != 0) {
		err_set(-EINVAL, "DEVEXCTL_EVENTS=%s", want);
		err_hint("DEVEXCTL_EVENTS is 'tracepoints', 'probes', or unset (the kernel's best)");
		return -EINVAL;
	}
	t->src = &event_tracepoints;
	if (!want || !*want || strcmp(want, "tracepoints") == 0) {
		err = trace_tracepoints_present(t->dir);
		if (!err && o->target > 0)
			err = trace_mm_id(o->src, o->debugfs, o->target, &t->mm_id);
		if (!err || (want && *want) || err != -ENOPATCH)
			return err;
		if (trace_tracepoints_present(t->dir) == 0)
			t->tracepoints_unnamed = true;
		err_clear();
	}
	t->src = &event_probes;
	return 0;
}

static int setup(struct dx_trace *t, const struct dx_trace_opts *o)
{
	uint64_t mm = 0;
	int err;

	if (tracefs_instance_file_write(t->inst, "trace_clock", "mono") < 0)
		return err_set(-errno ? -errno : -EIO, "%s: setting trace_clock to mono", t->name);
	if (t->src == &event_tracepoints) {
		/* Enabled first: reading the formats takes a while on a slow kernel. */
		t->filtered = t->mm_id != 0;	/* 0: the kernel could not hash it yet */
		err = enable_tracepoints(t, o, t->mm_id);
		return err ? err : read_formats(t);
	}
	/* The probes' formats first: learning the mm reads an event. */
	err = read_formats(t);
	if (!err && o->target > 0)
		err = learn_mm(t, o->target, &mm);
	if (err)
		return err;
	err = probes_enable(t->probes, t->inst, mm, false);
	return err ? err : enable_tracepoints(t, o, 0);
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
	err = pick_source(t, o);
	if (err)
		goto fail;
	trace_remove_stale();
	if (t->src == &event_probes) {
		t->digest = calloc(TRACE_DIGEST_MAX, sizeof(*t->digest));
		err = t->digest ? probes_create(&t->probes) : -ENOMEM;
		if (err == -ENOPATCH && t->tracepoints_unnamed)
			err_set(err, "the devexcl tracepoints name a process's mm only through the "
				"devexcl debugfs (CONFIG_DEVEXCL_DEBUG), and this kernel has no probes "
				"either");
		if (err)
			goto fail;
	}
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

/*
 * Name the task of a conversion (often a driver's thread, not the
 * target): /proc/TASK/comm when the record is read, "" once it is gone.
 */
static void name_task(struct dx_trace *t, struct dx_event *ev)
{
	const unsigned int n = sizeof(t->comms) / sizeof(t->comms[0]);
	char path[64], *c;
	FILE *f;

	for (unsigned int i = 0; i < n; i++)
		if (t->comms[i].task == ev->task && ev->task > 0) {
			memcpy(ev->comm, t->comms[i].comm, sizeof(ev->comm));
			return;
		}
	snprintf(path, sizeof(path), "/proc/%d/comm", ev->task);
	f = ev->task > 0 ? fopen(path, "re") : NULL;
	if (!f)
		return;
	c = t->comms[t->comm_next].comm;
	if (!fgets(c, sizeof(t->comms[0].comm), f))
		c[0] = '\0';
	fclose(f);
	c[strcspn(c, "\n")] = '\0';
	t->comms[t->comm_next].task = ev->task;
	t->comm_next = (t->comm_next + 1) % n;
	memcpy(ev->comm, c, sizeof(ev->comm));
}

static int deliver(struct dx_trace *t, struct dx_event *ev)
{
	int r;

	if (ev->kind == DX_SET && !ev->comm[0])
		name_task(t, ev);
	r = t->fn(t->ctx, ev);

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
	if (t->src == &event_probes && ev.kind != DX_FORK && ev.kind != DX_EXIT) {
		int n, len = 0;
		const char *comm;

		ev.source = "probes";
		/* The converting task's name, as the kernel saw it ($comm). */
		comm = ev.kind == DX_P_CONVERT ? tep_get_field_raw(NULL, e, "comm", rec, &len, 0) :
						 NULL;
		if (comm && len > 0)
			snprintf(ev.comm, sizeof(ev.comm), "%.*s", len, comm);
		n = probes_digest(t->probes, &ev, t->digest, TRACE_DIGEST_MAX);
		for (int i = 0; i < n; i++)
			if (deliver(t, &t->digest[i]))
				return 1;
		return 0;
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

const struct event_source *trace_source(const struct dx_trace *t)
{
	return t->src;
}

bool trace_filtered(const struct dx_trace *t)
{
	return t->filtered;
}

bool trace_target_subscribed(const struct dx_trace *t)
{
	return t->subscribed;
}

bool trace_range_api(const struct dx_trace *t)
{
	return t->probes && probes_range_api(t->probes);
}

void trace_close(struct dx_trace *t)
{
	if (!t)
		return;
	if (live == t)
		live = NULL;
	if (t->inst)
		tracefs_event_disable(t->inst, NULL, NULL);
	/* Disabled everywhere first (force), the probe events go before the instance. */
	probes_destroy(t->probes);
	if (t->inst) {
		/*
		 * The kernel may still hold the instance for a moment after its
		 * events went (EBUSY, seen on 6.12 with probe events): retry
		 * for up to a second rather than leave it to the next devexctl.
		 */
		for (int i = 0; i < 20 && tracefs_instance_destroy(t->inst) < 0 && errno == EBUSY; i++)
			usleep(50000);
		tracefs_instance_free(t->inst);
	}
	event_decoder_free(t->dec);
	if (t->tep)
		tep_free(t->tep);
	free(t->digest);
	free(t);
}
