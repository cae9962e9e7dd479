// SPDX-License-Identifier: GPL-2.0-or-later
/* Pieces of output shared by the commands that report on a target. */
#include "config.h"

#include <stddef.h>

#include "caps.h"
#include "commands.h"
#include "output.h"
#include "report.h"

int report_open_target(struct target *t, const struct globals *g, const char *pid_arg)
{
	pid_t pid;
	int err = parse_pid(pid_arg, &pid);

	if (!err)
		err = target_open(t, g->proc, g->debugfs, pid);
	/* What needed privileges is open: drop what the command no longer uses. */
	if (!err && (err = caps_opened()))
		target_close(t);
	return err;
}

void report_begin(struct target *t)
{
	if (out_is_json())
		target_layout(t);
	out_open_object(NULL);
	out_i64(OUT_JSON, "pid", "", t->pid);
	out_string(OUT_JSON, "source", "", t->ops->name);
	out_string(OUT_JSON, "kernel", "", t->release);
	out_u64(OUT_JSON, "page_size", "", t->page_size);
	out_bool(OUT_JSON, "pfn_visible", "", t->pfn_visible);
	if (!t->pfn_visible)
		out_string(OUT_JSON, "pfn_hidden_reason", "", t->pfn_reason);
	out_string(OUT_JSON, "swap_layout", "", swap_layout_name(t->layout.kind));
	out_string(OUT_JSON, "swap_layout_source", "", t->layout.desc);
}

int report_end(const struct target *t)
{
	/* A live target changed its mappings while they were read (vmas.c). */
	out_bool(OUT_JSON, "partial", "", t->changed != 0);
	if (t->changed) {
		out_u64(OUT_JSON, "changed_mappings", "", t->changed);
		out_text("note: partial: %lu mapping(s) changed while they were read; "
			 "their pages may describe what replaced them\n", t->changed);
	}
	if (!t->pfn_visible)
		out_text("note: %s; non-present entries are shown as swap-like\n", t->pfn_reason);
	out_close_object();
	return out_finish();
}

int report_range(const struct target *t, const char *arg, struct range *r)
{
	if (!arg) {
		range_all(r);
		return 0;
	}
	return range_parse(arg, t->page_size, r);
}
