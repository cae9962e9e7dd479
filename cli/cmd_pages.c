// SPDX-License-Identifier: GPL-2.0-or-later
/* devexctl pages PID [RANGE]: page states, runs merged (or -L: per page). */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "commands.h"
#include "errors.h"
#include "output.h"
#include "report.h"
#include "vmas.h"
#include "walk.h"

/* The options, indexing both pages_opts[] and cmd_ctx.opt[]. */
enum { OPT_STATE, OPT_LIST, OPT_NR };

/* [OPT_NR], left zero, ends the table. */
const struct opt_doc pages_opts[OPT_NR + 1] = {
	[OPT_STATE] = { .lng = "state", .shrt = 's', .arg = "S,...",
			.help = "show only pages in these states (see 'devexctl help states')" },
	[OPT_LIST] = { .lng = "list", .shrt = 'L',
		       .help = "one line per page instead of merged runs" },
};
_Static_assert(OPT_NR <= CMD_MAX_OPTS, "more options than cmd_ctx.opt[] holds");

struct pages_ctx {
	struct target *t;
	unsigned int state_mask;
	bool per_page;
	bool have_run;
	uint64_t run_addr, run_n;
	struct page_info run;
	uint64_t shown_runs, shown_pages;
	struct walker w;
};

static bool show_entry_type(const struct pages_ctx *p, const struct page_info *pi)
{
	return p->t->pfn_visible && (pi->state == PS_SWAP || state_table[pi->state].has_pfn) &&
	       pi->state != PS_PRESENT;
}

static void print_run(struct pages_ctx *p, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	char flags[PGF_NR + 1];

	if (!(p->state_mask & (1u << pi->state)))
		return;
	p->shown_runs++;
	p->shown_pages += n;
	flag_letters(pi->flags, '_', flags);
	out_open_object(NULL);
	out_addr(OUT_ANY, "start", "%-14s ", addr);
	out_addr(OUT_ANY, "end", "%-14s ", addr + n * p->t->page_size);
	out_u64(OUT_ANY, "pages", "%8" PRIu64 " ", n);
	out_string(OUT_ANY, "state", "%-17s ", state_table[pi->state].name);
	if (pi->pfn_valid)
		out_addr(OUT_ANY, "pfn", "%-12s ", pi->pfn);
	else
		out_string(OUT_TEXT, NULL, "%-12s ", "-");
	out_string(OUT_TEXT, NULL, "%s", flags);
	for (int f = 0; f < PGF_NR; f++)
		out_bool(OUT_JSON, flag_table[f].key, "", pi->flags & (1u << f));
	if (show_entry_type(p, pi)) {
		out_u64(OUT_JSON, "swap_type", "", pi->swap_type);
		out_string(OUT_ANY, "entry_type", "  %s", p->t->layout.type[pi->swap_type].name);
	}
	if (pi->state == PS_SWAP)
		out_addr(OUT_JSON, "swap_offset", "", pi->pfn);
	out_nl();
	out_close_object();
}

static void flush_run(struct pages_ctx *p)
{
	if (!p->have_run)
		return;
	if (p->per_page) {
		for (uint64_t i = 0; i < p->run_n; i++) {
			struct page_info one = p->run;

			if (one.pfn_valid || one.state == PS_SWAP)
				one.pfn += i;	/* PFN, or swap offset */
			print_run(p, p->run_addr + i * p->t->page_size, 1, &one);
		}
	} else {
		print_run(p, p->run_addr, p->run_n, &p->run);
	}
	p->have_run = false;
}

/* Merge the walker's runs across batch boundaries. */
static int pages_emit(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	struct pages_ctx *p = ctx;
	struct page_info last = p->run;	/* the run's last page */

	if (last.pfn_valid || last.state == PS_SWAP)
		last.pfn += p->run_n - 1;
	if (p->have_run && addr == p->run_addr + p->run_n * p->t->page_size &&
	    page_info_continues(&last, pi)) {
		p->run_n += n;
		return 0;
	}
	flush_run(p);
	p->have_run = true;
	p->run_addr = addr;
	p->run_n = n;
	p->run = *pi;
	return 0;
}

static int pages_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct pages_ctx *p = ctx;
	struct page_sink sink = { .ctx = p, .emit = pages_emit };
	int err = walk_vma(&p->w, v, start, end, WALK_PAGES, &sink);

	flush_run(p);	/* runs never cross a VMA boundary */
	return err;
}

int cmd_pages(struct cmd_ctx *c)
{
	struct target t;
	struct pages_ctx p = { .t = &t, .state_mask = ~0u, .per_page = c->opt[OPT_LIST] != NULL };
	struct range r;
	unsigned long n;
	int err;

	if (c->opt[OPT_STATE]) {
		err = state_mask_parse(c->opt[OPT_STATE], &p.state_mask);
		if (err)
			return err;
	}
	/* A bad RANGE is a usage error whatever the target (page size rounding aside). */
	if (c->argc > 1 && (err = range_parse(c->argv[1], 4096, &r)))
		return err;
	err = report_open_target(&t, c->g, c->argv[0]);
	if (err)
		return err;
	err = report_range(&t, c->argc > 1 ? c->argv[1] : NULL, &r);
	if (err)
		goto out;
	report_begin(&t);
	out_text("%-14s %-14s %8s %-17s %-12s %s\n", "START", "END", "PAGES", "STATE", "PFN", "FLAGS");
	out_open_array("runs");
	/* --state: the walker asks PAGEMAP_SCAN for those states' categories only. */
	walker_init(&p.w, &t, vmas_walk_limit(&r));
	walker_query(&p.w, p.state_mask);
	err = vmas_foreach(&t, &r, pages_vma, &p, &n);
	walker_finish(&p.w);
	out_close_array();
	if (err)
		goto out;
	out_u64(OUT_JSON, "vmas", "", n);
	out_u64(OUT_JSON, "total_runs", "", p.shown_runs);
	out_u64(OUT_JSON, "total_pages", "", p.shown_pages);
	if (n == 0)
		out_text("note: no mapping in the range\n");
	err = report_end(&t);
out:
	target_close(&t);
	return err;
}
