// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl features: what works on this machine, and for what does not,
 * why (CRIU kerndat-style probes, ethtool-style explanations).
 */
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tracefs.h>
#include <unistd.h>

#include "caps.h"
#include "commands.h"
#include "errors.h"
#include "output.h"
#include "probes.h"
#include "proc_connector.h"
#include "target.h"
#include "trace.h"

enum feat_status { FEAT_YES, FEAT_NO, FEAT_NOPERM, FEAT_INFO };

static const char *const status_names[] = {
	[FEAT_YES] = "yes", [FEAT_NO] = "no", [FEAT_NOPERM] = "no-permission", [FEAT_INFO] = "info",
};

struct feat_ctx {
	const struct globals *g;
	struct target t;	/* probed source, no process */
	int probe_err;
};

struct feat_result {
	enum feat_status status;
	char value[256];
	char reason[256];
	const char *needs;	/* capability or privilege the feature needs */
};

static void f_kernel(struct feat_ctx *c, struct feat_result *r)
{
	r->status = FEAT_INFO;
	snprintf(r->value, sizeof(r->value), "%s", c->t.release);
}

static void f_source(struct feat_ctx *c, struct feat_result *r)
{
	r->status = FEAT_INFO;
	snprintf(r->value, sizeof(r->value), "%s (%s)", c->t.ops->name, c->t.root);
}

/*
 * Counted at start, not now: devexctl has already dropped what features does
 * not use, and "4 of 41" as root read as if root lacked capabilities.
 */
static void f_caps(struct feat_ctx *c, struct feat_result *r)
{
	uint64_t kept = caps_effective();
	char names[160];

	r->status = FEAT_INFO;
	caps_mask_text(kept, names, sizeof(names));
	snprintf(r->value, sizeof(r->value),
		 "cap_sys_admin=%s cap_sys_ptrace=%s "
		 "(%d of %d effective at start; features keeps %s)",
		 kept & CAPB(CAP_SYS_ADMIN) ? "yes" : "no",
		 kept & CAPB(CAP_SYS_PTRACE) ? "yes" : "no",
		 caps_count(caps_at_start()), caps_known(), names);
}

/* The same as numbers and names, for scripts. */
static void f_caps_json(struct feat_ctx *c)
{
	uint64_t kept = caps_effective();

	out_u64(OUT_JSON, "effective_at_start", "", (uint64_t)caps_count(caps_at_start()));
	out_u64(OUT_JSON, "known", "", (uint64_t)caps_known());
	out_open_array("kept");
	for (int cap = 0; cap < 64; cap++) {
		char name[64];

		if (!(kept & CAPB(cap)))
			continue;
		caps_mask_text(CAPB(cap), name, sizeof(name));
		out_string(OUT_JSON, NULL, "", name);
	}
	out_close_array();
}

static void f_pagemap(struct feat_ctx *c, struct feat_result *r)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/self/pagemap", c->t.root);
	if (!target_can(&c->t, SRC_LIVE)) {
		r->status = FEAT_YES;
		snprintf(r->value, sizeof(r->value), "recorded in the snapshot");
	} else if (access(path, R_OK) == 0) {
		r->status = FEAT_YES;
	} else {
		r->status = FEAT_NO;
		snprintf(r->reason, sizeof(r->reason), "%s: %s (CONFIG_PROC_PAGE_MONITOR?)",
			 path, strerror(errno));
	}
	r->needs = "ptrace read access to the target (its owner, or CAP_SYS_PTRACE)";
}

static void f_pfns(struct feat_ctx *c, struct feat_result *r)
{
	r->needs = "CAP_SYS_ADMIN";
	r->status = c->t.pfn_visible ? FEAT_YES : FEAT_NOPERM;
	if (!c->t.pfn_visible)
		snprintf(r->reason, sizeof(r->reason), "%s; non-present entries show as swap-like",
			 c->t.pfn_reason);
}

static void f_layout(struct feat_ctx *c, struct feat_result *r)
{
	const struct swap_layout *l = (target_layout(&c->t), &c->t.layout);
	int dx = -1;

	for (int i = 31; i >= 0; i--)
		if (l->type[i].state == PS_DEVICE_EXCLUSIVE && dx < 0)
			dx = i;
	r->status = FEAT_INFO;
	if (dx >= 0)
		snprintf(r->value, sizeof(r->value), "%s: device-exclusive=%d, swap files 0-%u; from %s",
			 swap_layout_name(l->kind), dx, l->first_special - 1, l->desc);
	else
		snprintf(r->value, sizeof(r->value), "%s: no device types; from %s",
			 swap_layout_name(l->kind), l->desc);
}

static void f_scan(struct feat_ctx *c, struct feat_result *r)
{
	r->status = c->t.has_scan ? FEAT_YES : FEAT_NO;
	if (!target_can(&c->t, SRC_LIVE))
		snprintf(r->reason, sizeof(r->reason), "not available on a snapshot; batched pread is used");
	else if (!c->t.has_scan)
		snprintf(r->reason, sizeof(r->reason),
			 "ioctl probe failed (needs Linux 6.7+); batched pread is used");
}

static void f_debugfs(struct feat_ctx *c, struct feat_result *r)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/devexcl", c->g->debugfs);
	r->needs = "root (debugfs is root-only)";
	if (stat(path, &st) == 0) {
		char info[PATH_MAX], text[512], *v;

		r->status = FEAT_YES;
		snprintf(info, sizeof(info), "%s/info", path);
		if (read_small_file(info, text, sizeof(text)) > 0 && (v = strstr(text, "version ")))
			snprintf(r->value, sizeof(r->value), "%s, interface version %d", path, atoi(v + 8));
		else
			snprintf(r->value, sizeof(r->value), "%s (info unreadable)", path);
	} else if (errno == EACCES || errno == EPERM) {
		r->status = FEAT_NOPERM;
		snprintf(r->reason, sizeof(r->reason), "%s: %s", c->g->debugfs, strerror(errno));
	} else if (stat(c->g->debugfs, &st) != 0 || access(c->g->debugfs, X_OK) != 0) {
		r->status = errno == EACCES ? FEAT_NOPERM : FEAT_NO;
		snprintf(r->reason, sizeof(r->reason), "%s: %s (mount -t debugfs none %s)",
			 c->g->debugfs, strerror(errno), c->g->debugfs);
	} else {
		r->status = FEAT_NO;
		snprintf(r->reason, sizeof(r->reason),
			 "%s absent: the kernel lacks the kernel-debugfs/ patches (CONFIG_DEVEXCL_DEBUG)",
			 path);
	}
}

/* Who made each entry: page_ext records, with devexcl_owner=on at boot. */
static void f_owners(struct feat_ctx *c, struct feat_result *r)
{
	char info[PATH_MAX], text[512], *v;

	snprintf(info, sizeof(info), "%s/devexcl/info", c->g->debugfs);
	r->needs = "root (debugfs is root-only)";
	if (read_small_file(info, text, sizeof(text)) <= 0) {
		r->status = errno == EACCES || errno == EPERM ? FEAT_NOPERM : FEAT_NO;
		snprintf(r->reason, sizeof(r->reason), "%s: %s", info, strerror(errno));
		return;
	}
	v = strstr(text, "owner_records ");
	if (v && strncmp(v + 14, "on", 2) == 0) {
		r->status = FEAT_YES;
		snprintf(r->value, sizeof(r->value), "page_ext records: entries names each "
			 "entry's owner, pid and comm");
		return;
	}
	r->status = FEAT_NO;
	r->needs = NULL;
	snprintf(r->reason, sizeof(r->reason), v ? "off: boot with devexcl_owner=on (entries then "
		 "names owners; until then the set events do)" : "this devexcl interface keeps "
		 "no owner records (the set events name owners)");
}

/* Whether this kernel can hold device-exclusive entries at all, and with which semantics. */
static void f_devexclusive(struct feat_ctx *c, struct feat_result *r)
{
	char fn[64];
	int found = probes_kernel_converts(fn, sizeof(fn));

	(void)c;
	if (found < 0) {
		r->status = FEAT_NO;
		snprintf(r->reason, sizeof(r->reason), "/proc/kallsyms: %s", strerror(-found));
	} else if (!found) {
		r->status = FEAT_NO;
		snprintf(r->reason, sizeof(r->reason), "no make_device_exclusive* in /proc/kallsyms: "
			 "this kernel cannot hold device-exclusive entries (CONFIG_DEVICE_PRIVATE "
			 "off, as in Debian's 6.12)");
	} else {
		r->status = FEAT_YES;
		snprintf(r->value, sizeof(r->value), "%s(): %s", fn,
			 strcmp(fn, "make_device_exclusive") == 0 ?
			 "since 6.15, MMU_NOTIFY_EXCLUSIVE only converts, a fault restore sends "
			 "MMU_NOTIFY_CLEAR" : "before 6.15, MMU_NOTIFY_EXCLUSIVE both ways");
	}
}

/* An event mode this kernel lacks (needs nothing more) or refuses us (needs root). */
static void unavailable(struct feat_result *r, int err)
{
	char text[600];

	r->status = err == -EPERM ? FEAT_NOPERM : FEAT_NO;
	snprintf(r->reason, sizeof(r->reason), "%s", err_text(err, text, sizeof(text)));
	if (err == -ENOPATCH)
		r->needs = NULL;
	err_clear();
}

/* Event mode 1: the devexcl tracepoints in tracefs. */
static void f_events(struct feat_ctx *c, struct feat_result *r)
{
	char dir[PATH_MAX];
	int err = trace_available(c->g->debugfs, dir, sizeof(dir));

	r->needs = "root: CAP_SYS_ADMIN and DAC access to tracefs";
	if (!err) {
		r->status = FEAT_YES;
		snprintf(r->value, sizeof(r->value), "in use: %s/events/{device_exclusive,"
			 "mmu_notifier}; judge every check; instance " TRACE_INSTANCE_PREFIX "PID",
			 dir);
		return;
	}
	unavailable(r, err);
}

/*
 * Event mode 2: kprobe events on a kernel without the tracepoints. Tried
 * for real (created and removed again): only the kernel knows whether
 * each function is there, not inlined, and readable through BTF.
 */
static void f_probes(struct feat_ctx *c, struct feat_result *r)
{
	char dir[PATH_MAX], text[600];
	struct dx_probes *p = NULL;
	int err = trace_find_dir(c->g->debugfs, dir, sizeof(dir));

	r->needs = "root: CAP_SYS_ADMIN and DAC access to tracefs";
	if (!err) {
		tracefs_set_tracing_dir(dir);
		trace_remove_stale();
		err = probes_create(&p);
	}
	if (!err) {
		r->status = FEAT_YES;
		snprintf(r->value, sizeof(r->value), "%s: kprobes on %s(), restore_exclusive_pte(), "
			 "do_swap_page(), copy_page_range(), __mmu_notifier_invalidate_range_*(); "
			 "judge notify-on-convert, notify-on-restore (per range)",
			 trace_available(c->g->debugfs, text, sizeof(text)) == 0 ?
			 "usable (DEVEXCTL_EVENTS=probes)" : "in use", probes_convert_fn(p));
		probes_destroy(p);
		err_clear();
		return;
	}
	unavailable(r, err);
}

/* Without either: what pagemap alone gives. */
static void f_noevents(struct feat_ctx *c, struct feat_result *r)
{
	(void)c;
	r->status = FEAT_INFO;
	snprintf(r->value, sizeof(r->value), "pagemap decoding only (pages, maps, snapshot, the "
		 "TUI's page map); monitor and check --watch exit 4");
}

/* Children of a target as they appear: the proc connector, or the sched tracepoints. */
static void f_connector(struct feat_ctx *c, struct feat_result *r)
{
	int err = pc_usable(r->reason, sizeof(r->reason));

	r->needs = "CAP_NET_ADMIN, in the initial pid and user namespaces";
	if (!err) {
		r->status = FEAT_YES;
		snprintf(r->value, sizeof(r->value), "fork/exec/exit of a target's children");
		return;
	}
	r->status = err == -EPERM ? FEAT_NOPERM : FEAT_NO;
	if (err == -EOPNOTSUPP)
		r->needs = NULL;	/* no capability helps */
}

static void f_dmirror(struct feat_ctx *c, struct feat_result *r)
{
	glob_t gl;
	size_t used = 0;

	r->needs = "read-write access to the device node";
	if (glob("/dev/hmm_dmirror*", 0, NULL, &gl) != 0) {
		r->status = FEAT_NO;
		snprintf(r->reason, sizeof(r->reason), "no /dev/hmm_dmirror*: load test_hmm (CONFIG_TEST_HMM)");
		return;
	}
	r->status = FEAT_YES;
	for (size_t i = 0; i < gl.gl_pathc && used < sizeof(r->value); i++)
		used += (size_t)snprintf(r->value + used, sizeof(r->value) - used, "%s%s",
					 i ? "," : "", gl.gl_pathv[i]);
	globfree(&gl);
}

static const struct feature {
	const char *name;	/* in the text table and the documentation */
	const char *key;	/* the JSON key: snake_case, like every key */
	void (*probe)(struct feat_ctx *c, struct feat_result *r);
	void (*json)(struct feat_ctx *c);	/* keys of its own, JSON only */
} feature_table[] = {
	{ .name = "kernel", .key = "kernel", .probe = f_kernel },
	{ .name = "source", .key = "source", .probe = f_source },
	{ .name = "capabilities", .key = "capabilities", .probe = f_caps, .json = f_caps_json },
	{ .name = "pagemap", .key = "pagemap", .probe = f_pagemap },
	{ .name = "pagemap-pfns", .key = "pagemap_pfns", .probe = f_pfns },
	{ .name = "swap-types", .key = "swap_types", .probe = f_pfns },
	{ .name = "swap-layout", .key = "swap_layout", .probe = f_layout },
	{ .name = "pagemap-scan", .key = "pagemap_scan", .probe = f_scan },
	{ .name = "devexcl-debugfs", .key = "devexcl_debugfs", .probe = f_debugfs },
	{ .name = "owner-records", .key = "owner_records", .probe = f_owners },
	{ .name = "device-exclusive", .key = "device_exclusive", .probe = f_devexclusive },
	{ .name = "events-tracepoints", .key = "events_tracepoints", .probe = f_events },
	{ .name = "events-probes", .key = "events_probes", .probe = f_probes },
	{ .name = "events-none", .key = "events_none", .probe = f_noevents },
	{ .name = "proc-connector", .key = "proc_connector", .probe = f_connector },
	{ .name = "hmm-dmirror", .key = "hmm_dmirror", .probe = f_dmirror },
	{ NULL },
};

int cmd_features(struct cmd_ctx *cc)
{
	struct feat_ctx c = { .g = cc->g };
	int err = target_probe(&c.t, cc->g->proc, cc->g->debugfs);

	if (err)
		return err;
	out_open_object(NULL);
	out_open_object("features");
	for (const struct feature *f = feature_table; f->name; f++) {
		struct feat_result r = { 0 };

		f->probe(&c, &r);
		out_open_object(f->key);
		out_string(OUT_TEXT, NULL, "%-18s ", f->name);
		out_string(OUT_ANY, "status", "%-13s", status_names[r.status]);
		if (r.value[0])
			out_string(OUT_ANY, "value", " %s", r.value);
		if (r.reason[0])
			out_string(OUT_ANY, "reason", " %s", r.reason);
		if (r.needs)
			out_string(OUT_ANY, "needs", r.status == FEAT_YES || r.status == FEAT_INFO ?
				   "" : " [needs %s]", r.needs);
		if (f->json)
			f->json(&c);
		out_nl();
		out_close_object();
	}
	out_close_object();
	out_close_object();
	return out_finish();
}
