// SPDX-License-Identifier: GPL-2.0-or-later
/* devexctl maps PID: every VMA with its page counts per state. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "report.h"
#include "vmas.h"
#include "walk.h"

struct maps_ctx {
	struct target *t;
	uint64_t counts[PS_NR];
	uint64_t totals[PS_NR];
	struct walker w;
};

static int count_emit(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	struct maps_ctx *m = ctx;

	m->counts[pi->state] += n;
	return 0;
}

/* "abbrev=N abbrev=N ..." of the non-zero counts, or "-"; returns the end. */
static char *counts_text(char *q, const uint64_t *counts)
{
	char *from = q;

	for (int s = 0; s < PS_NR; s++) {
		if (!counts[s])
			continue;
		if (q != from)
			*q++ = ' ';
		for (const char *a = state_table[s].abbrev; *a; )
			*q++ = *a++;
		*q++ = '=';
		q = fmt_dec(q, counts[s]);
	}
	if (q == from)
		*q++ = '-';
	return q;
}

static void print_counts(const uint64_t *counts)
{
	char text[PS_NR * 32], *q;

	out_open_object("counts");
	for (int s = 0; s < PS_NR; s++)
		out_u64(OUT_JSON, state_table[s].key, "", counts[s]);
	out_close_object();
	q = counts_text(text, counts);
	*q = '\0';
	out_string(OUT_TEXT, NULL, "  %-30s", text);
}

static int maps_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct maps_ctx *m = ctx;
	struct page_sink sink = { .ctx = m, .emit = count_emit };
	uint64_t pages = (v->end - v->start) / m->t->page_size;
	char off[24];
	int err;

	memset(m->counts, 0, sizeof(m->counts));
	err = walk_vma(&m->w, v, v->start, v->end, WALK_COUNTS, &sink);
	if (err)
		return err;
	for (int s = 0; s < PS_NR; s++)
		m->totals[s] += m->counts[s];
	out_open_object(NULL);
	out_addr(OUT_ANY, "start", "%-14s ", v->start);
	out_addr(OUT_ANY, "end", "%-14s ", v->end);
	out_string(OUT_ANY, "perms", "%s ", v->perms);
	out_addr(OUT_JSON, "offset", "", v->offset);
	out_string(OUT_TEXT, NULL, "%s ", fmt_hex_pad(off, v->offset, 8));
	out_u64(OUT_ANY, "pages", "%7" PRIu64, pages);
	out_bool(OUT_JSON, "in_pagemap", "", vma_in_pagemap(v));
	print_counts(m->counts);
	out_string(OUT_ANY, "name", " %s\n", v->name);
	out_bool(OUT_JSON, "deleted", "", v->deleted);
	out_close_object();
	return 0;
}

int cmd_maps(struct cmd_ctx *c)
{
	struct target t;
	struct maps_ctx m = { .t = &t };
	struct range all;
	unsigned long n;
	int err;

	err = report_open_target(&t, c->g, c->argv[0]);
	if (err)
		return err;
	range_all(&all);
	report_begin(&t);
	out_text("%-14s %-14s %-4s %-8s %7s  %-30s %s\n",
		 "START", "END", "PERM", "OFFSET", "PAGES", "COUNTS", "NAME");
	out_open_array("vmas");
	walker_init(&m.w, &t, vmas_walk_limit(&all));
	err = vmas_foreach(&t, &all, maps_vma, &m, &n);
	walker_finish(&m.w);
	out_close_array();
	if (!err) {
		out_text("%-14s %-14s %-4s %-8s %7s", "total", "", "", "", "");
		print_counts(m.totals);
		out_text("\n");
		err = report_end(&t);
	}
	target_close(&t);
	return err;
}
