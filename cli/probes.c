// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe event source (probes.h): one table of probe points drives
 * creating the kprobe/kretprobe events (libtracefs), binding them to the
 * event model, enabling and filtering them, and what each one means.
 */
#include "config.h"

#include <errno.h>
#include <event-parse.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracefs.h>
#include <unistd.h>

#include "errors.h"
#include "probes.h"

#define NCAND 2

/*
 * Each probe point: its event name in the group, the kind it decodes to,
 * the candidate functions (the first this kernel has wins; the
 * conversion's return follows the conversion's choice) and the fetch
 * arguments per candidate, named as the kind's fields are.
 */
static const struct probe_def {
	const char *event;
	enum dx_kind kind;
	bool ret;			/* a kretprobe */
	bool mm_filter;			/* filtered to the target's mm */
	const char *fn[NCAND];
	const char *fetch[NCAND];
} probe_table[] = {
#define RANGE_FETCH "mm=range->mm:x64 start=range->start:x64 end=range->end:x64 " \
		    "event=range->event:u32 owner=range->owner:x64 flags=range->flags:u32"
	{ "convert", DX_P_CONVERT, false, true,
	  { "make_device_exclusive", "make_device_exclusive_range" },
	  { "mm=mm:x64 addr=addr:x64 owner=owner:x64 comm=$comm:string",
	    "mm=mm:x64 addr=start:x64 end=end:x64 owner=owner:x64 comm=$comm:string" } },
	{ "converted", DX_P_CONVERTED, true, false,
	  { "make_device_exclusive", "make_device_exclusive_range" },
	  { "ret=$retval:s64", "ret=$retval:s64" } },
	{ "restore", DX_RESTORE, false, true, { "restore_exclusive_pte" },
	  { "mm=vma->vm_mm:x64 addr=address:x64" } },
	{ "fault", DX_P_FAULT, false, true, { "do_swap_page" }, { "mm=vmf->vma->vm_mm:x64" } },
	{ "copy", DX_P_COPY, false, true, { "copy_page_range" }, { "mm=src_vma->vm_mm:x64" } },
	{ "range_start", DX_RANGE_START, false, true, { "__mmu_notifier_invalidate_range_start" },
	  { RANGE_FETCH } },
	{ "range_end", DX_RANGE_END, false, true, { "__mmu_notifier_invalidate_range_end" },
	  { RANGE_FETCH } },
	{ "mm", DX_P_MM, false, false, { "walk_page_range" },
	  { "mm=mm:x64 sub=mm->notifier_subscriptions:x64" } },
#undef RANGE_FETCH
};
#define NPROBES (sizeof(probe_table) / sizeof(probe_table[0]))

/* Per task: what encloses its next restore, the conversion it is in. */
#define PROBES_TASKS 64
struct task_slot {
	int task;
	enum dx_kind encl;		/* DX_P_FAULT, DX_P_COPY, or DX_NKINDS: none yet */
	bool converting;
	struct dx_event conv;		/* the DX_P_CONVERT of that conversion */
	unsigned long used;
};

struct dx_probes {
	char group[32];
	int cand;			/* the conversion's candidate */
	struct tracefs_dynevent *ev[NPROBES];
	struct task_slot slot[PROBES_TASKS];
	unsigned long tick;
	uint64_t page_size;
	bool learned;
	uint64_t mm, subs;
};

const char *probes_group(const struct dx_probes *p)
{
	return p->group;
}

bool probes_range_api(const struct dx_probes *p)
{
	return p->cand == 1;
}

const char *probes_convert_fn(const struct dx_probes *p)
{
	return probe_table[0].fn[p->cand];
}

/* Create probe @i on candidate @c: 0, or the kernel's reason in @why. */
static int create_one(struct dx_probes *p, size_t i, int c, char *why, size_t len)
{
	const struct probe_def *d = &probe_table[i];
	struct tracefs_dynevent *e;
	char *klog;
	int err;

	tracefs_error_clear(NULL);
	e = d->ret ? tracefs_kretprobe_alloc(p->group, d->event, d->fn[c], d->fetch[c], 0) :
		     tracefs_kprobe_alloc(p->group, d->event, d->fn[c], d->fetch[c]);
	if (!e)
		return -ENOMEM;
	if (tracefs_dynevent_create(e) == 0) {
		p->ev[i] = e;
		return 0;
	}
	err = errno ? -errno : -EIO;
	klog = tracefs_error_last(NULL);
	snprintf(why, len, "%s %s (%s)%s%s", d->ret ? "kretprobe" : "kprobe", d->fn[c],
		 d->fetch[c], klog && *klog ? ": " : "", klog ? klog : "");
	why[strcspn(why, "\n")] = '\0';
	free(klog);
	tracefs_dynevent_free(e);
	return err;
}

/* Why probes cannot work here, before trying: no kprobe events, no BTF. */
static int precheck(void)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/kprobe_events", tracefs_tracing_dir());
	if (access(path, F_OK) != 0)
		return err_set(-ENOPATCH, "kernel without the devexcl tracepoints, and no probes: "
			       "no kprobe events (CONFIG_KPROBE_EVENTS)");
	if (access("/sys/kernel/btf/vmlinux", F_OK) != 0)
		return err_set(-ENOPATCH, "kernel without the devexcl tracepoints, and no probes: "
			       "no BTF (CONFIG_DEBUG_INFO_BTF) to read arguments by name");
	if (access(path, W_OK) != 0) {
		err_set(-EPERM, "cannot write %s", path);
		err_hint("probe events need root (CAP_SYS_ADMIN and DAC access to tracefs)");
		return -EPERM;
	}
	return 0;
}

struct dx_probes *probes_alloc(bool range_api)
{
	struct dx_probes *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	snprintf(p->group, sizeof(p->group), PROBES_GROUP_PREFIX "%d", (int)getpid());
	p->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	p->cand = range_api ? 1 : 0;
	return p;
}

int probes_create(struct dx_probes **pp)
{
	struct dx_probes *p;
	char why[600];
	int err;

	*pp = NULL;
	err = precheck();
	if (err)
		return err;
	p = probes_alloc(false);
	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < NPROBES; i++) {
		int c = i == 1 ? p->cand : 0;	/* the return follows the entry */

		err = create_one(p, i, c, why, sizeof(why));
		for (c++; err && i == 0 && c < NCAND && probe_table[i].fn[c]; c++) {
			char why2[600];

			if (create_one(p, i, c, why2, sizeof(why2)) == 0) {
				p->cand = c;
				err = 0;
			}
		}
		if (err == -EACCES || err == -EPERM) {
			err_set(-EPERM, "creating the probe events %s", p->group);
			err_hint("probe events need root (CAP_SYS_ADMIN and DAC access to tracefs)");
			break;
		}
		if (err) {
			err = err_set(-ENOPATCH, "kernel without the devexcl tracepoints, and it "
				      "refused the probe %s", why);
			break;
		}
	}
	if (err) {
		probes_destroy(p);
		return err;
	}
	*pp = p;
	return 0;
}

void probes_destroy(struct dx_probes *p)
{
	if (!p)
		return;
	for (size_t i = NPROBES; i-- > 0;) {
		if (!p->ev[i])
			continue;
		tracefs_dynevent_destroy(p->ev[i], true);
		tracefs_dynevent_free(p->ev[i]);
	}
	free(p);
}

int probes_bind(const struct dx_probes *p, struct dx_decoder *d)
{
	for (size_t i = 0; i < NPROBES; i++)
		if (event_decoder_bind(d, probe_table[i].kind, p->group, probe_table[i].event))
			return err_set(-ENOPATCH, "the format of %s/%s did not parse", p->group,
				       probe_table[i].event);
	return 0;
}

int probes_enable(const struct dx_probes *p, struct tracefs_instance *inst, uint64_t mm,
		  bool learn)
{
	char filter[48];

	for (size_t i = 0; i < NPROBES; i++) {
		const struct probe_def *d = &probe_table[i];

		if ((d->kind == DX_P_MM) != learn) {
			tracefs_event_disable(inst, p->group, d->event);
			continue;
		}
		filter[0] = '\0';
		if (learn)
			snprintf(filter, sizeof(filter), "common_pid == %d", (int)getpid());
		else if (mm && d->mm_filter)
			snprintf(filter, sizeof(filter), "mm == 0x%" PRIx64, mm);
		if (filter[0] &&
		    tracefs_event_file_write(inst, p->group, d->event, "filter", filter) < 0)
			return err_set(-errno ? -errno : -EIO, "filter '%s' on %s/%s", filter,
				       p->group, d->event);
		if (tracefs_event_enable(inst, p->group, d->event) < 0)
			return err_set(-errno ? -errno : -EIO, "enabling %s/%s", p->group, d->event);
	}
	return 0;
}

static struct task_slot *slot_of(struct dx_probes *p, int task, bool make)
{
	struct task_slot *old = &p->slot[0];

	for (int i = 0; i < PROBES_TASKS; i++) {
		if (p->slot[i].task == task && task) {
			p->slot[i].used = ++p->tick;
			return &p->slot[i];
		}
		if (p->slot[i].used < old->used)
			old = &p->slot[i];
	}
	if (!make)
		return NULL;
	memset(old, 0, sizeof(*old));
	old->task = task;
	old->encl = DX_NKINDS;
	old->used = ++p->tick;
	return old;
}

/* The DX_SETs of the conversion that returned @ret; how many fit in @out. */
static int converted(struct dx_probes *p, struct task_slot *s, const struct dx_event *ret,
		     struct dx_event *out, int max)
{
	const struct dx_event *c = &s->conv;
	uint64_t r = ret->num[DXF_RET], addr = c->num[DXF_ADDR], end;
	int n = 0;

	s->converting = false;
	if (probes_range_api(p)) {
		/* make_device_exclusive_range(): how many pages it took, or -errno. */
		if ((int64_t)r <= 0)
			return 0;
		end = addr + r * p->page_size;
		if (ev_has(c, DXF_END) && c->num[DXF_END] < end)
			end = c->num[DXF_END];
	} else {
		/* make_device_exclusive(): the page, or an ERR_PTR. */
		if (r >= (uint64_t)-4095 || r == 0)
			return 0;
		end = addr + p->page_size;
	}
	for (; addr < end && n < max; addr += p->page_size, n++) {
		struct dx_event *e = &out[n];

		memset(e, 0, sizeof(*e));
		e->kind = DX_SET;
		e->ts_ns = ret->ts_ns;
		e->cpu = ret->cpu;
		e->task = ret->task;
		e->source = ret->source;
		ev_set(e, DXF_MM, c->num[DXF_MM]);
		ev_set(e, DXF_ADDR, addr);
		ev_set(e, DXF_OWNER, c->num[DXF_OWNER]);
		memcpy(e->comm, c->comm, sizeof(e->comm));
	}
	return n;
}

int probes_digest(struct dx_probes *p, const struct dx_event *ev, struct dx_event *out, int max)
{
	struct task_slot *s;

	switch (ev->kind) {
	case DX_P_MM:
		p->learned = true;
		p->mm = ev->num[DXF_MM];
		p->subs = ev->num[DXF_SUB];
		return 0;
	case DX_P_FAULT:
	case DX_P_COPY:
		slot_of(p, ev->task, true)->encl = ev->kind;
		return 0;
	case DX_P_CONVERT:
		s = slot_of(p, ev->task, true);
		s->converting = true;
		s->conv = *ev;
		return 0;
	case DX_P_CONVERTED:
		s = slot_of(p, ev->task, false);
		return s && s->converting ? converted(p, s, ev, out, max) : 0;
	case DX_RESTORE:
		if (max < 1)
			return 0;
		out[0] = *ev;
		s = slot_of(p, ev->task, false);
		/* The innermost of do_swap_page() and copy_page_range() this task entered. */
		if (s && s->encl != DX_NKINDS)
			ev_set(&out[0], DXF_RESTORE_REASON, s->encl == DX_P_FAULT ? 0 : 1);
		return 1;
	default:
		if (max < 1)
			return 0;
		out[0] = *ev;
		return 1;
	}
}

bool probes_learned(const struct dx_probes *p, uint64_t *mm, uint64_t *subs)
{
	if (p->learned) {
		*mm = p->mm;
		*subs = p->subs;
	}
	return p->learned;
}

void probes_forget(struct dx_probes *p)
{
	p->learned = false;
	p->mm = p->subs = 0;
}

void probes_remove_stale(bool (*alive)(pid_t pid))
{
	struct tracefs_dynevent **all = tracefs_dynevent_get_all(TRACEFS_DYNEVENT_KPROBE |
								  TRACEFS_DYNEVENT_KRETPROBE, NULL);

	for (size_t i = 0; all && all[i]; i++) {
		char *sys = NULL, *end;
		long pid;

		tracefs_dynevent_info(all[i], &sys, NULL, NULL, NULL, NULL);
		if (sys && strncmp(sys, PROBES_GROUP_PREFIX, strlen(PROBES_GROUP_PREFIX)) == 0) {
			pid = strtol(sys + strlen(PROBES_GROUP_PREFIX), &end, 10);
			if (!*end && pid > 0 && pid != getpid() && !alive((pid_t)pid))
				tracefs_dynevent_destroy(all[i], true);
		}
		free(sys);
	}
	tracefs_dynevent_list_free(all);
}

int probes_kernel_converts(char *fn, size_t len)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	int found = 0;

	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		char type, name[256];

		if (sscanf(line, "%*s %c %255s", &type, name) != 2 || (type != 'T' && type != 't'))
			continue;
		for (int c = 0; c < NCAND && !found; c++)
			if (strcmp(name, probe_table[0].fn[c]) == 0) {
				snprintf(fn, len, "%s", name);
				found = 1;
			}
	}
	fclose(f);
	return found;
}
