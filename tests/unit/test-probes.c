// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe source's digest (probes.c) and the notification judges on what
 * it hands on (check_stream.c): probe records built here as a stock kernel
 * emits them (entry and return of make_device_exclusive*(), the
 * invalidation ranges, restore_exclusive_pte() inside do_swap_page() or
 * copy_page_range()), digested into the one event model, then judged.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../cli/check.h"
#include "../../cli/probes.h"
#include "check.h"

#define MM 0xffff888002474540ULL
#define PAGE 0x7f0000001000ULL
#define OWNER 0xffff888000dead00ULL
#define TASK 58
#define DRIVER 77	/* a driver's thread converting for the target */

static struct dx_probes *src;
static struct check_run *run;
static uint64_t now = 1000;

/* Digest one probe record of @task; keep what it hands on in run->events. */
static int feed(enum dx_kind kind, int task, const uint64_t *f, const enum dx_field *which, int n)
{
	struct dx_event ev = { .kind = kind, .task = task, .ts_ns = now++, .source = "probes" };
	struct dx_event out[8];
	int got;

	for (int i = 0; i < n; i++)
		ev_set(&ev, which[i], f[i]);
	if (kind == DX_P_CONVERT)
		snprintf(ev.comm, sizeof(ev.comm), "%s", task == DRIVER ? "kworker/u4:1" : "dxpaths");
	got = probes_digest(src, &ev, out, 8);
	for (int i = 0; i < got; i++)
		run->events[run->nevents++] = out[i];
	return got;
}

static int convert_entry(int task, uint64_t addr, uint64_t end)
{
	const enum dx_field w[] = { DXF_MM, DXF_ADDR, DXF_OWNER, DXF_END };
	const uint64_t f[] = { MM, addr, OWNER, end };

	return feed(DX_P_CONVERT, task, f, w, end ? 4 : 3);
}

static int convert_return(int task, uint64_t ret)
{
	const enum dx_field w[] = { DXF_RET };

	return feed(DX_P_CONVERTED, task, &ret, w, 1);
}

static void range(int task, uint64_t event, uint64_t owner, uint64_t start, uint64_t end)
{
	const enum dx_field w[] = { DXF_MM, DXF_START, DXF_END, DXF_EVENT, DXF_OWNER };
	const uint64_t f[] = { MM, start, end, event, owner };

	feed(DX_RANGE_START, task, f, w, 5);
}

static void enter(enum dx_kind encloser, int task)
{
	const enum dx_field w[] = { DXF_MM };
	const uint64_t f[] = { MM };

	feed(encloser, task, f, w, 1);
}

static int restore(int task, uint64_t addr)
{
	const enum dx_field w[] = { DXF_MM, DXF_ADDR };
	const uint64_t f[] = { MM, addr };

	return feed(DX_RESTORE, task, f, w, 2);
}

static void begin(bool range_api)
{
	free(src);
	free(run);
	src = probes_alloc(range_api);
	run = calloc(1, sizeof(*run));
	run->watch = run->have_events = run->probes = run->subscribed = true;
	run->range_api = range_api;
}

static enum check_result judge(const char *name, char *evidence)
{
	struct check_verdict v = { 0 };

	check_judge(check_lookup(name), run, &v);
	snprintf(evidence, 512, "%s", v.evidence);
	return v.result;
}

int main(void)
{
	char ev[512];
	const struct dx_event *s;

	/* 7.3: a conversion told first, a fault restore and a fork restore. */
	begin(false);
	CHECK_INT(convert_entry(TASK, PAGE, 0), 0, "the entry hands on nothing");
	range(TASK, MMU_NOTIFY_EXCLUSIVE, OWNER, PAGE, PAGE + 0x1000);
	CHECK_INT(convert_return(TASK, 0xffffea0000123400ULL), 1, "a page returned: one set");
	s = &run->events[run->nevents - 1];
	CHECK_INT(s->kind, DX_SET, "the return is the set event");
	CHECK_U64(s->num[DXF_ADDR], PAGE, "the set's address is the entry's");
	CHECK_U64(s->num[DXF_OWNER], OWNER, "the set's owner is the entry's");
	CHECK_U64(s->num[DXF_MM], MM, "the set's mm");
	CHECK(strcmp(s->comm, "dxpaths") == 0, "the set names the converting task");
	CHECK(!ev_has(s, DXF_PFN) && !ev_has(s, DXF_STATE), "no PFN or state from the probes");
	enter(DX_P_FAULT, TASK);
	range(TASK, MMU_NOTIFY_CLEAR, 0, PAGE, PAGE + 0x1000);
	CHECK_INT(restore(TASK, PAGE), 1, "a restore is handed on");
	s = &run->events[run->nevents - 1];
	CHECK(ev_has(s, DXF_RESTORE_REASON) && s->num[DXF_RESTORE_REASON] == 0,
	      "inside do_swap_page(): a fault restore");
	convert_entry(TASK, PAGE, 0);
	range(TASK, MMU_NOTIFY_EXCLUSIVE, OWNER, PAGE, PAGE + 0x1000);
	convert_return(TASK, 0xffffea0000123400ULL);
	enter(DX_P_COPY, TASK);
	range(TASK, MMU_NOTIFY_PROTECTION_PAGE, 0, PAGE & ~0xfffffULL, PAGE + 0x100000);
	restore(TASK, PAGE);
	s = &run->events[run->nevents - 1];
	CHECK(s->num[DXF_RESTORE_REASON] == 1, "inside copy_page_range(): a fork restore");
	CHECK_INT(judge("notify-on-convert", ev), CHECK_PASS, ev);
	CHECK(strstr(ev, "2 conversions") != NULL, ev);
	CHECK_INT(judge("notify-on-restore", ev), CHECK_PASS, ev);
	CHECK(strstr(ev, "1 fault restores, 1 fork restores") != NULL, ev);
	check_stream_count(run);
	CHECK_INT(run->judged.deliveries, 4, "range starts counted as the mm's invalidations");

	/* A failed conversion (ERR_PTR) hands on nothing; nor a return without its entry. */
	CHECK_INT(convert_entry(TASK, PAGE, 0), 0, "entry");
	CHECK_INT(convert_return(TASK, (uint64_t)-16), 0, "-EBUSY: no set");
	CHECK_INT(convert_return(DRIVER, 0xffffea0000123400ULL), 0, "a return without entry");

	/* A driver's thread converts: the set is its, the restore the target's. */
	convert_entry(DRIVER, PAGE + 0x1000, 0);
	range(DRIVER, MMU_NOTIFY_EXCLUSIVE, OWNER, PAGE + 0x1000, PAGE + 0x2000);
	convert_return(DRIVER, 0xffffea0000123440ULL);
	s = &run->events[run->nevents - 1];
	CHECK(s->task == DRIVER && strcmp(s->comm, "kworker/u4:1") == 0, "the driver's thread named");

	/* The 2025 v1 bug: no invalidation for the conversion. */
	convert_entry(TASK, PAGE + 0x2000, 0);
	convert_return(TASK, 0xffffea0000123480ULL);
	CHECK_INT(judge("notify-on-convert", ev), CHECK_FAIL, ev);
	CHECK(strstr(ev, "0x7f0000003000") != NULL, ev);
	/* An EXCLUSIVE with another owner does not count. */
	begin(false);
	convert_entry(TASK, PAGE, 0);
	range(TASK, MMU_NOTIFY_EXCLUSIVE, 0, PAGE, PAGE + 0x1000);
	convert_return(TASK, 0xffffea0000123400ULL);
	CHECK_INT(judge("notify-on-convert", ev), CHECK_FAIL, ev);

	/* A fault restore sending EXCLUSIVE: wrong since 6.15, right before. */
	begin(false);
	convert_entry(TASK, PAGE, 0);
	range(TASK, MMU_NOTIFY_EXCLUSIVE, OWNER, PAGE, PAGE + 0x1000);
	convert_return(TASK, 0xffffea0000123400ULL);
	enter(DX_P_FAULT, TASK);
	range(TASK, MMU_NOTIFY_EXCLUSIVE, 0, PAGE, PAGE + 0x1000);
	restore(TASK, PAGE);
	CHECK_INT(judge("notify-on-restore", ev), CHECK_FAIL, ev);
	CHECK(strstr(ev, "MMU_NOTIFY_CLEAR without owner") != NULL, ev);
	run->range_api = true;
	CHECK_INT(judge("notify-on-restore", ev), CHECK_PASS, ev);

	/* 6.12: make_device_exclusive_range() converts a range; its return counts the pages. */
	begin(true);
	convert_entry(TASK, PAGE, PAGE + 0x4000);
	range(TASK, MMU_NOTIFY_EXCLUSIVE, OWNER, PAGE, PAGE + 0x1000);
	range(TASK, MMU_NOTIFY_EXCLUSIVE, OWNER, PAGE + 0x1000, PAGE + 0x2000);
	range(TASK, MMU_NOTIFY_EXCLUSIVE, OWNER, PAGE + 0x2000, PAGE + 0x3000);
	CHECK_INT(convert_return(TASK, 3), 3, "three pages taken: three sets");
	CHECK_U64(run->events[run->nevents - 1].num[DXF_ADDR], PAGE + 0x2000, "the third page");
	CHECK_INT(judge("notify-on-convert", ev), CHECK_PASS, ev);
	convert_entry(TASK, PAGE + 0x8000, PAGE + 0x9000);
	CHECK_INT(convert_return(TASK, 5), 1, "never past the range asked for");
	CHECK_INT(judge("notify-on-convert", ev), CHECK_FAIL, ev);
	convert_entry(TASK, PAGE, PAGE + 0x1000);
	CHECK_INT(convert_return(TASK, (uint64_t)-14), 0, "-EFAULT: no set");

	/* A restore outside both paths is not judged; no subscriber, no range: skip. */
	begin(false);
	restore(TASK, PAGE);
	CHECK(!ev_has(&run->events[0], DXF_RESTORE_REASON), "no encloser seen: no path");
	run->subscribed = false;
	CHECK_INT(judge("notify-on-restore", ev), CHECK_SKIP, ev);
	free(src);
	free(run);
	CHECK_DONE();
}
