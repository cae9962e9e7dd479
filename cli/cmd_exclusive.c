// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl make-exclusive PID RANGE and devexctl revert PID RANGE: convert
 * pages to device-exclusive entries, or restore them through a read fault,
 * with the devexcl debugfs interface, and report every page's outcome.
 * Exit 0 only when every page succeeded; 1 otherwise, saying how far it got.
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

/*
 * The options, indexing make_exclusive_opts[], exclusive_opts[] (revert:
 * --dry-run only) and cmd_ctx.opt[].
 */
enum { OPT_DRY_RUN, OPT_SPLIT, OPT_NR };

#define DRY_RUN_DOC { .lng = "dry-run", .shrt = 'n', \
		      .help = "say which pages would be touched, touch nothing" }

/* [OPT_NR], left zero, ends the table. */
const struct opt_doc make_exclusive_opts[OPT_NR + 1] = {
	[OPT_DRY_RUN] = DRY_RUN_DOC,
	[OPT_SPLIT] = { .lng = "split", .shrt = 's',
			.help = "also convert pages inside a THP, splitting its PMD mapping "
				"(never done otherwise)" },
};
_Static_assert(OPT_NR <= CMD_MAX_OPTS, "more options than cmd_ctx.opt[] holds");

const struct opt_doc exclusive_opts[OPT_DRY_RUN + 2] = {
	[OPT_DRY_RUN] = DRY_RUN_DOC,
};

/* Requests of at most this many bytes of range (the kernel takes 64 MiB). */
#define EXCL_CHUNK (16ULL << 20)

struct excl_ctx {
	struct target *t;
	const char *file;	/* "make_exclusive" or "revert" */
	bool dry_run, split;
	uint64_t ok, failed, skipped, pages;
};

/* PTE bits (1 << PTE_*) as a JSON object and a text list. */
static void print_pte(unsigned int bits, const char *key)
{
	char text[96] = "";
	size_t used = 0;

	out_open_object(key);
	for (unsigned int i = 0; i < PTE_NBITS; i++) {
		bool v = bits & (1u << i);

		out_bool(OUT_JSON, pte_bit_names[i], "", v);
		if (v)
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s",
						 used ? "," : "", pte_bit_names[i]);
	}
	out_close_object();
	out_string(OUT_TEXT, NULL, "%s", used ? text : "-");
}

static int outcome_line(void *ctx, char *line)
{
	struct excl_ctx *x = ctx;
	struct dx_outcome o;
	int rc = rec_outcome_parse(line, &o);

	if (rc <= 0) {	/* make_exclusive answers its skipped runs line by line */
		if (strcmp(x->file, "revert") == 0)
			x->skipped += rec_skipped(line);
		return rc;
	}
	out_open_object(NULL);
	out_addr(OUT_ANY, "addr", "%-14s ", o.addr);
	if (o.skipped) {
		x->skipped += o.skipped;
		out_string(OUT_ANY, "result", "%-6s ", "skip");
		out_u64(OUT_ANY, "pages", "%" PRIu64 " pages", o.skipped);
		out_string(OUT_ANY, "reason", " (%s)", o.reason);
	} else if (o.err) {
		x->failed++;
		out_string(OUT_ANY, "result", "%-6s ", "error");
		out_i64(OUT_ANY, "errno", "%" PRId64, o.err);
		out_string(OUT_ANY, "error", " (%s)", err_str(o.err));
	} else {
		x->ok++;
		out_string(OUT_ANY, "result", "%-6s ", "ok");
		if (o.has_pfn)
			out_addr(OUT_ANY, "pfn", "pfn=%-10s", o.pfn);
		if (o.has_pte_before) {
			out_i64(OUT_ANY, "mapcount_before", " mapcount %" PRId64,
				o.has_mapcount ? o.mapcount_before : -1);
			out_i64(OUT_ANY, "mapcount", "->%" PRId64, o.has_mapcount ? o.mapcount : -1);
			if (o.folio_dirty >= 0)
				out_bool(OUT_ANY, "folio_dirty", " folio_dirty=%s", o.folio_dirty);
			out_text(" pte_before=");
			print_pte(o.pte_before, "pte_before");
		} else {
			out_text(" pte=");
			print_pte(o.pte, "pte");
		}
	}
	out_nl();
	out_close_object();
	return 0;
}

static int excl_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct excl_ctx *x = ctx;
	char req[96];

	if (!vma_in_pagemap(v))
		return 0;
	x->pages += (end - start) / x->t->page_size;
	if (x->dry_run) {
		out_open_object(NULL);
		out_addr(OUT_ANY, "start", "would %s ", start);
		out_addr(OUT_ANY, "end", "%s ", end);
		out_u64(OUT_ANY, "pages", "(%" PRIu64 " pages)", (end - start) / x->t->page_size);
		out_string(OUT_ANY, "name", " in %s\n", v->name[0] ? v->name : "[anon]");
		out_close_object();
		return 0;
	}
	for (uint64_t s = start; s < end; s += EXCL_CHUNK) {
		uint64_t e = end - s > EXCL_CHUNK ? s + EXCL_CHUNK : end;
		size_t n;
		int err;

		dfs_range_req(req, sizeof(req), (int)x->t->pid, s, e);
		n = strlen(req);
		if (x->split)
			snprintf(req + n, sizeof(req) - n, ",split");
		err = x->t->ops->kernel_read(x->t, x->file, req, outcome_line, x);
		if (err)
			return err;
	}
	return 0;
}

static int count_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	return 0;
}

static int run_exclusive(struct cmd_ctx *c, const char *file, const char *verb)
{
	struct target t;
	struct excl_ctx x = { .t = &t, .file = file, .dry_run = c->opt[OPT_DRY_RUN] != NULL,
			      .split = strcmp(file, "make_exclusive") == 0 && c->opt[OPT_SPLIT] };
	struct range r;
	unsigned long n;
	int err;

	err = report_open_target(&t, c->g, c->argv[0]);
	if (err)
		return err;
	if (!target_can(&t, SRC_ACTS)) {
		err = err_usage("%s acts on a live process, not on a snapshot", c->cmd->name);
		goto out;
	}
	err = range_parse(c->argv[1], t.page_size, &r);
	if (err)
		goto out;
	err = vmas_foreach(&t, &r, count_vma, NULL, &n);
	if (!err && n == 0)
		err = err_usage("range %s covers no mapping of %d (see 'devexctl maps %d')",
				c->argv[1], (int)t.pid, (int)t.pid);
	if (!err && !x.dry_run)
		err = target_kernel_check(&t);
	if (err)
		goto out;
	report_begin(&t);
	out_bool(OUT_JSON, "dry_run", "", x.dry_run);
	out_open_array(x.dry_run ? "would_touch" : "pages");
	err = vmas_foreach(&t, &r, excl_vma, &x, &n);
	out_close_array();
	if (err)
		goto out;
	out_u64(OUT_JSON, "range_pages", "", x.pages);
	if (!x.dry_run) {
		out_u64(OUT_ANY, "ok", "%" PRIu64 " ", x.ok);
		out_text("%s", verb);
		out_u64(OUT_ANY, "failed", ", %" PRIu64 " failed", x.failed);
		out_u64(OUT_ANY, "skipped", ", %" PRIu64 " skipped", x.skipped);
		out_text("%s", strcmp(file, "revert") == 0 ? " (not device-exclusive)" : "");
		out_text("\n");
		out_bool(OUT_JSON, "partial_success", "", x.failed && x.ok);
	}
	err = report_end(&t);
	if (!err && x.failed) {
		fprintf(stderr, "devexctl: %s: %s %" PRIu64 " of %" PRIu64 " pages; %" PRIu64 " failed\n",
			c->cmd->name, x.ok ? "partial success:" : "failed:", x.ok, x.ok + x.failed,
			x.failed);
		err = EXIT_ERROR;
	}
out:
	target_close(&t);
	return err;
}

int cmd_make_exclusive(struct cmd_ctx *c)
{
	return run_exclusive(c, "make_exclusive", "converted");
}

int cmd_revert(struct cmd_ctx *c)
{
	return run_exclusive(c, "revert", "restored");
}
