// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl entries PID [RANGE]: the device-exclusive entries of PID from
 * the devexcl debugfs interface (folio, mapcount, checksum, the owner
 * where the kernel recorded it), each
 * joined with the VMA it lives in.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "debugfs.h"
#include "errors.h"
#include "output.h"
#include "records.h"
#include "report.h"
#include "vmas.h"

struct entries_ctx {
	struct target *t;
	const struct vma *vma;
	uint64_t total;
};

static int entry_line(void *ctx, char *line)
{
	struct entries_ctx *e = ctx;
	struct dx_entry en;
	char crc[16];
	int rc = rec_entry_parse(line, &en);

	if (rc <= 0)
		return rc;	/* "# N entries", or malformed */
	e->total++;
	out_open_object(NULL);
	out_addr(OUT_ANY, "addr", "%-14s ", en.addr);
	out_addr(OUT_ANY, "pfn", "%-10s ", en.pfn);
	out_u64(OUT_ANY, "order", "%5" PRIu64 " ", en.order);
	out_i64(OUT_ANY, "mapcount", "%8" PRId64 " ", en.mapcount);
	out_i64(OUT_ANY, "refcount", "%8" PRId64 " ", en.refcount);
	if (en.owner[0]) {	/* only where the kernel recorded it: page_ext */
		out_string(OUT_ANY, "owner", "%-18s ", en.owner);
		out_string(OUT_JSON, "owner_source", "", "page_ext");
	} else {
		out_string(OUT_TEXT, NULL, "%-18s ", "-");
	}
	if (en.has_owner_task) {
		out_i64(OUT_JSON, "owner_pid", "", en.owner_pid);
		out_string(OUT_JSON, "owner_comm", "", en.owner_comm);
		out_u64(OUT_JSON, "owner_ts_ns", "", en.owner_ts);
	}
	if (en.has_crc) {
		snprintf(crc, sizeof(crc), "%08" PRIx32, en.crc);
		out_string(OUT_ANY, "crc32", "%s ", crc);
	} else {	/* the reader may not read the target's memory (ATTACH) */
		out_null(OUT_ANY, "crc32", "%-8s ", "-");
	}
	out_string(OUT_ANY, "flags", "%-40s", en.flags);
	out_open_object("vma");
	out_addr(OUT_JSON, "start", "", e->vma->start);
	out_addr(OUT_JSON, "end", "", e->vma->end);
	out_string(OUT_JSON, "perms", "", e->vma->perms);
	out_string(OUT_JSON, "name", "", e->vma->name);
	out_string(OUT_TEXT, NULL, " %s", e->vma->name[0] ? e->vma->name : "[anon]");
	out_close_object();
	if (en.has_owner_task)
		out_text(" converted by %" PRId64 " (%s)", en.owner_pid, en.owner_comm);
	out_nl();
	out_close_object();
	return 0;
}

static int entries_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct entries_ctx *e = ctx;
	char req[96];

	if (!vma_in_pagemap(v))
		return 0;
	e->vma = v;
	dfs_range_req(req, sizeof(req), (int)e->t->pid, start, end);
	return e->t->ops->kernel_read(e->t, "entries", req, entry_line, e);
}

int entries_report(struct target *t, const char *range_arg)
{
	struct entries_ctx e = { .t = t };
	struct range r;
	unsigned long n;
	int err;

	err = target_kernel_check(t);
	if (err)
		return err;
	err = report_range(t, range_arg, &r);
	if (err)
		return err;
	report_begin(t);
	out_text("%-14s %-10s %5s %8s %8s %-18s %-8s %-40s %s\n", "ADDR", "PFN", "ORDER",
		 "MAPCOUNT", "REFCOUNT", "OWNER", "CRC32", "FLAGS", "VMA");
	out_open_array("entries");
	err = vmas_foreach(t, &r, entries_vma, &e, &n);
	out_close_array();
	if (err)
		return err;
	out_u64(OUT_JSON, "total", "", e.total);
	out_text("%" PRIu64 " device-exclusive entries\n", e.total);
	return report_end(t);
}

int cmd_entries(struct cmd_ctx *c)
{
	struct target t;
	int err;

	err = report_open_target(&t, c->g, c->argv[0]);
	if (err)
		return err;
	err = entries_report(&t, c->argc > 1 ? c->argv[1] : NULL);
	target_close(&t);
	return err;
}
