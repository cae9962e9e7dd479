// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl check --self [CHECK...]: every check over a matrix of
 * conditions, in scratch processes of devexctl's own (check_scratch.c),
 * so that whether a check can fail does not depend on the state a real
 * target happens to be in. Each cell converts one page through test_hmm
 * (as a driver would) and restores it by the cell's path; its events
 * (filtered on the scratch task) are judged by the stream judges, and what
 * the kernel promises for that cell (PFN, contents, writability,
 * soft-dirty, uffd-wp, mapcount, both subscribers told) is compared with
 * what the scratch process saw through its own pagemap. Nothing outside
 * the scratch processes changes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "check_self.h"
#include "commands.h"
#include "errors.h"
#include "output.h"
#include "pagemap.h"
#include "states.h"
#include "trace.h"

#define HMM_DEVICE "/dev/hmm_dmirror0"

const struct self_cell self_cells[] = {
	{ "dirty", "a written page, converted, restored by a read fault", 0 },
	{ "clean", "MADV_FREE before the conversion: a clean PTE and folio", CELL_CLEAN },
	{ "soft-dirty", "soft-dirty tracking on (clear_refs 4), the page written, converted, "
	  "restored: it stays soft-dirty", CELL_SD_BEFORE },
	{ "soft-dirty-cleared", "converted, then clear_refs 4: restored read-only without "
	  "soft-dirty, so that the next write faults", CELL_SD_AFTER },
	{ "uffd-wp", "registered for uffd-wp, write-protected once converted: restored "
	  "read-only with uffd-wp", CELL_UFFD_WP },
	{ "mprotect-ro", "mprotect(PROT_READ) between conversion and restore: restored "
	  "read-only", CELL_MPROTECT_RO },
	{ "fork", "restored by fork() (copy_page_range()), after the fork's invalidation",
	  CELL_FORK },
	{ "thp", "a page inside a THP: the conversion PTE-maps the huge page", CELL_THP },
	{ "two-subscribers", "two test_hmm mirrors on the mm: both told", CELL_TWO_SUBS },
	{ "read-only", "a page of a private mapping made read-only: the conversion is refused",
	  CELL_RO_BEFORE },
	{ NULL, NULL, 0 },
};

#define NCELLS (sizeof(self_cells) / sizeof(self_cells[0]) - 1)
#define NCHECKS 32

struct cell_run {
	struct scratch_result res;
	int err;			/* devexctl's own failure to run it */
	struct check_verdict v[NCHECKS];
};

static bool full_read(int fd, void *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* Fork the scratch process of @cell, watch it, collect its events into @r. */
static int run_cell(const struct cmd_ctx *c, const struct self_cell *cell, struct check_run *r,
		    struct scratch_result *res)
{
	struct dx_trace_opts o = { .debugfs = c->g->debugfs };
	struct dx_trace *tr = NULL;
	int go[2], rs[2], err = 0, status;
	pid_t pid;
	char b = 0;

	if (pipe2(go, O_CLOEXEC) || pipe2(rs, O_CLOEXEC))
		return err_set(-errno, "pipe");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return err_set(-errno, "fork (the scratch process)");
	if (pid == 0) {
		close(go[1]);
		close(rs[0]);
		scratch_main(cell, HMM_DEVICE, go[0], rs[1]);
	}
	close(go[0]);
	close(rs[1]);
	r->pid = pid;
	if (!full_read(rs[0], &b, 1))
		err = err_set(-EIO, "the scratch process of cell %s died", cell->name);
	if (!err && b == 'r') {
		o.filter_task = pid;
		err = trace_open(&tr, &o);
		if (!err && write(go[1], "g", 1) != 1)
			err = err_set(-EIO, "the scratch process of cell %s died", cell->name);
	}
	if (!err && !full_read(rs[0], res, sizeof(*res)))
		err = err_set(-EIO, "the scratch process of cell %s died", cell->name);
	if (!err && tr)
		err = check_drain(tr, r, 100);
	close(go[1]);	/* it exits */
	close(rs[0]);
	if (err)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	trace_close(tr);
	return err;
}

/* The subscribers, as the stream shows them: test_hmm's intervals cover the whole mm. */
static void subs_from_stream(struct check_run *r)
{
	for (unsigned int i = 0; i < r->nevents; i++) {
		const struct dx_event *e = &r->events[i];
		struct dx_sub *s;
		bool seen = false;

		if (e->kind != DX_SUBSCRIBER)
			continue;
		for (unsigned int j = 0; j < r->nsubs && !seen; j++)
			seen = r->subs[j].id == (uint32_t)e->num[DXF_SUB];
		if (seen || r->nsubs == CHECK_MAX_SUBS)
			continue;
		s = &r->subs[r->nsubs++];
		memset(s, 0, sizeof(*s));
		s->interval = e->num[DXF_INTERVAL] != 0;
		s->has_id = true;
		s->id = (uint32_t)e->num[DXF_SUB];
		s->last = UINT64_MAX;
		if (e->sym[0])
			snprintf(s->callback, sizeof(s->callback), "%s", e->sym);
		else
			snprintf(s->callback, sizeof(s->callback), "0x%" PRIx64, e->num[DXF_CB]);
	}
}

static const struct dx_event *first(const struct check_run *r, enum dx_kind k, uint64_t addr)
{
	for (unsigned int i = 0; i < r->nevents; i++)
		if (r->events[i].kind == k && r->events[i].num[DXF_ADDR] == addr)
			return &r->events[i];
	return NULL;
}

static bool pm_bit(uint64_t pm, enum page_flag f)
{
	return pm & PM_BIT(flag_table[f].bit);
}

static void fail_check(struct cell_run *cr, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A failure of check @name in this cell, unless its judge failed it already. */
static void fail_check(struct cell_run *cr, const char *name, const char *fmt, ...)
{
	struct check_verdict *v = &cr->v[check_lookup(name) - check_table];
	va_list ap;

	if (v->result == CHECK_FAIL)
		return;
	v->result = CHECK_FAIL;
	va_start(ap, fmt);
	vsnprintf(v->evidence, sizeof(v->evidence), fmt, ap);
	va_end(ap);
}

/* What the kernel promises for this cell, beyond what the events judge themselves. */
static void expect_cell(const struct self_cell *cell, const struct check_run *r,
			struct cell_run *cr)
{
	const struct scratch_result *res = &cr->res;
	const struct dx_event *set = first(r, DX_SET, res->addr);
	const struct dx_event *rst = first(r, DX_RESTORE, res->addr);
	uint64_t a = res->addr, want_reason = cell->flags & CELL_FORK ? 1 : 0;
	bool want_write = !(cell->flags & (CELL_SD_AFTER | CELL_UFFD_WP | CELL_MPROTECT_RO));

	if (cell->flags & CELL_RO_BEFORE) {
		if (res->converted)
			fail_check(cr, "scope", "page 0x%" PRIx64 " of a read-only private mapping "
				   "was converted", a);
		return;
	}
	if (!set)
		fail_check(cr, "notify-on-convert", "no set event for the converted page 0x%"
			   PRIx64 "%s", a, r->events_lost ? " (events were lost)" : "");
	else if (r->nsubs < res->mirrors)
		fail_check(cr, "notify-on-convert", "%u test_hmm mirrors subscribed, deliveries "
			   "reached %u of them", res->mirrors, r->nsubs);
	if (!rst || rst->num[DXF_RESTORE_REASON] != want_reason) {
		fail_check(cr, "restore-faithful", "no %s restore event for page 0x%" PRIx64,
			   want_reason ? "fork" : "fault", a);
		return;
	}
	if (!(res->pm_after & PM_PRESENT))
		fail_check(cr, "restore-faithful", "page 0x%" PRIx64 " not present after the "
			   "restore (pagemap 0x%016" PRIx64 ")", a, res->pm_after);
	else if ((res->pm_before & PM_PFN_MASK) != (res->pm_after & PM_PFN_MASK))
		fail_check(cr, "restore-faithful", "page 0x%" PRIx64 ": PFN 0x%" PRIx64 " before, "
			   "0x%" PRIx64 " after", a, (uint64_t)(res->pm_before & PM_PFN_MASK),
			   (uint64_t)(res->pm_after & PM_PFN_MASK));
	else if (res->crc_before != res->crc_after)
		fail_check(cr, "restore-faithful", "page 0x%" PRIx64 ": contents changed (crc32 "
			   "%08x, then %08x)", a, res->crc_before, res->crc_after);
	else if (!!(rst->num[DXF_PTE] & (1u << PTE_WRITE)) != want_write)
		fail_check(cr, "restore-faithful", "page 0x%" PRIx64 ": restored %s, expected %s",
			   a, want_write ? "read-only" : "writable",
			   want_write ? "writable" : "read-only");
	else if ((cell->flags & CELL_SD_BEFORE) && !pm_bit(res->pm_after, PGF_SOFT_DIRTY))
		fail_check(cr, "restore-faithful", "page 0x%" PRIx64 ": written while soft-dirty "
			   "was tracked, not soft-dirty after the restore (a tracker would miss "
			   "the write)", a);
	else if ((cell->flags & CELL_SD_AFTER) && pm_bit(res->pm_after, PGF_SOFT_DIRTY))
		fail_check(cr, "restore-faithful", "page 0x%" PRIx64 ": soft-dirty after clear_refs "
			   "and a read restore", a);
	else if ((cell->flags & CELL_UFFD_WP) && !pm_bit(res->pm_after, PGF_UFFD_WP))
		fail_check(cr, "restore-faithful", "page 0x%" PRIx64 ": uffd-wp lost by the "
			   "restore", a);
	if (set && !(cell->flags & CELL_THP) && res->kpagecount >= 0 &&
	    (int64_t)set->num[DXF_MAPCOUNT] != res->kpagecount)
		fail_check(cr, "mapcount-unchanged", "page 0x%" PRIx64 ": mapcount %" PRId64
			   " before the conversion (kpagecount), %" PRId64 " while exclusive", a,
			   res->kpagecount, (int64_t)set->num[DXF_MAPCOUNT]);
}

static void judge_cell(const struct self_cell *cell, struct check_run *r, struct cell_run *cr)
{
	r->watch = true;
	r->have_events = true;
	subs_from_stream(r);
	check_stream_count(r);
	for (const struct check_def *d = check_table; d->name; d++)
		check_judge(d, r, &cr->v[d - check_table]);
	expect_cell(cell, r, cr);
	for (const struct check_def *d = check_table; d->name; d++)
		if (cr->v[d - check_table].result == CHECK_SKIP) {
			/* the cell's own expectations held where the events had nothing */
			cr->v[d - check_table].result = CHECK_PASS;
			snprintf(cr->v[d - check_table].evidence, sizeof(cr->v[0].evidence),
				 "nothing of this kind in the cell");
		}
}

static bool cell_ran(const struct cell_run *cr)
{
	return !cr->err && !cr->res.err && !cr->res.skip;
}

static void print_cells(const struct cell_run *runs)
{
	unsigned int ran = 0;

	out_open_array("cells");
	for (unsigned int i = 0; i < NCELLS; i++) {
		const struct cell_run *cr = &runs[i];
		const char *result = cell_ran(cr) ? "ran" : cr->res.skip ? "skipped" : "error";

		ran += cell_ran(cr);
		out_open_object(NULL);
		out_string(OUT_JSON, "name", "", self_cells[i].name);
		out_string(OUT_JSON, "description", "", self_cells[i].desc);
		out_string(OUT_JSON, "result", "", result);
		if (!cell_ran(cr)) {
			out_string(OUT_JSON, "reason", "", cr->res.msg);
			out_text("%-8s cell %s: %s\n", cr->res.skip ? "SKIP" : "ERROR",
				 self_cells[i].name, cr->res.msg);
		}
		out_close_object();
	}
	out_close_array();
	out_text("cells: %u of %zu ran\n", ran, NCELLS);
}

/* One line per check: the cells that failed it, named. */
static bool print_check(const struct check_def *d, const struct cell_run *runs)
{
	struct check_verdict v = { CHECK_SKIP, "no cell ran" };
	unsigned int k = (unsigned int)(d - check_table), passed = 0, failed = 0;
	size_t used = 0;

	for (unsigned int i = 0; i < NCELLS; i++) {
		const struct check_verdict *cv = &runs[i].v[k];

		if (!cell_ran(&runs[i]))
			continue;
		passed += cv->result == CHECK_PASS;
		if (cv->result == CHECK_FAIL && failed++ == 0)
			used = (size_t)snprintf(v.evidence, sizeof(v.evidence), "fails in %s: %s",
						self_cells[i].name, cv->evidence);
		else if (cv->result == CHECK_FAIL && used < sizeof(v.evidence))
			used += (size_t)snprintf(v.evidence + used, sizeof(v.evidence) - used,
						 "; also in %s", self_cells[i].name);
	}
	if (failed)
		v.result = CHECK_FAIL;
	else if (passed)
		check_verdict_set(&v, CHECK_PASS, "passes in %u cells", passed);
	out_open_object(NULL);
	check_print_fields(d, &v);
	out_open_array("failed_cells");
	for (unsigned int i = 0; i < NCELLS; i++)
		if (cell_ran(&runs[i]) && runs[i].v[k].result == CHECK_FAIL)
			out_string(OUT_JSON, NULL, "", self_cells[i].name);
	out_close_array();
	out_close_object();
	return v.result == CHECK_FAIL;
}

int check_self_run(struct cmd_ctx *c, unsigned int selected)
{
	struct cell_run *runs = calloc(NCELLS, sizeof(*runs));
	struct check_run *r = malloc(sizeof(*r));
	unsigned int nfail = 0, ran = 0, errors = 0;
	char dir[256];
	int err;

	if (!runs || !r) {
		err = -ENOMEM;
		goto out;
	}
	err = trace_available(c->g->debugfs, dir, sizeof(dir));
	if (err)
		goto out;	/* no tracepoints (4), not root (5): said by errors.c */
	if (access(HMM_DEVICE, F_OK)) {
		err = err_set(-ENOPATCH, "check --self converts through test_hmm and there is no %s "
			      "(CONFIG_TEST_HMM; modprobe test_hmm): a tool for kernels built for "
			      "HMM work", HMM_DEVICE);
		goto out;
	}
	trace_catch_signals();
	for (unsigned int i = 0; i < NCELLS && !err && !trace_signalled(); i++) {
		memset(r, 0, sizeof(*r));
		r->lo = 0;
		r->hi = UINT64_MAX;
		runs[i].err = run_cell(c, &self_cells[i], r, &runs[i].res);
		if (runs[i].err) {
			err = runs[i].err;	/* devexctl's own trouble: stop */
			break;
		}
		if (cell_ran(&runs[i]))
			judge_cell(&self_cells[i], r, &runs[i]);
		ran += cell_ran(&runs[i]);
		errors += runs[i].res.err != 0;
	}
	if (!err && trace_signalled())
		err = err_set(-EINTR, "check --self interrupted");
	if (err)
		goto out;
	out_open_object(NULL);
	out_string(OUT_JSON, "mode", "", "self");
	print_cells(runs);
	out_open_array("checks");
	for (const struct check_def *d = check_table; d->name; d++)
		if (selected & (1u << (d - check_table)))
			nfail += print_check(d, runs);
	out_close_array();
	out_u64(OUT_JSON, "failed", "", nfail + errors);
	out_close_object();
	err = out_finish();
	if (!err)
		err = nfail || errors ? EXIT_CHECK_FAILED : ran ? 0 : EXIT_MISSING;
out:
	free(runs);
	free(r);
	return err;
}
