// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * checks.c: the notify-on-convert and notify-on-restore judges on event
 * streams built here as the tracepoints would record them (spec/
 * tracefs-events.md): a set is emitted after its range's subscriber calls,
 * so a delivery must come before the set, in time and in the stream.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../cli/check.h"
#include "check.h"

#define PAGE 0x7f0000001000ULL
#define SUB_ID 0x1a2b3c4dU

static struct check_run *run(void)
{
	struct check_run *r = calloc(1, sizeof(*r));

	r->npages = 1;
	r->pages[0].addr = PAGE;
	r->nsubs = 1;
	r->subs[0].interval = true;
	r->subs[0].has_id = true;
	r->subs[0].id = SUB_ID;
	r->subs[0].start = PAGE & ~0xfffffULL;
	r->subs[0].last = r->subs[0].start + 0x1fffff;
	snprintf(r->subs[0].callback, sizeof(r->subs[0].callback), "dmirror_interval_invalidate");
	return r;
}

static void add(struct check_run *r, enum dx_kind kind, uint64_t ts, uint64_t event, uint32_t sub)
{
	struct dx_event *e = &r->events[r->nevents++];

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->ts_ns = ts;
	if (kind == DX_SUBSCRIBER) {
		ev_set(e, DXF_SUB, sub);
		ev_set(e, DXF_EVENT, event);
		ev_set(e, DXF_START, PAGE);
		ev_set(e, DXF_END, PAGE + 0x1000);
	} else {
		ev_set(e, DXF_ADDR, PAGE);
	}
}

/* Two rounds: subscriber call, set, subscriber call, restore; @late moves one after. */
static struct check_run *rounds(bool late_convert, bool wrong_sub, bool late_restore)
{
	struct check_run *r = run();
	uint64_t t = 1000;

	for (int round = 0; round < 2; round++) {
		if (!(late_convert && round == 1))
			add(r, DX_SUBSCRIBER, t++, MMU_NOTIFY_EXCLUSIVE, wrong_sub ? 7 : SUB_ID);
		add(r, DX_SET, t++, 0, 0);
		if (late_convert && round == 1)
			add(r, DX_SUBSCRIBER, t++, MMU_NOTIFY_EXCLUSIVE, SUB_ID);
		if (!late_restore)
			add(r, DX_SUBSCRIBER, t++, MMU_NOTIFY_CLEAR, SUB_ID);
		add(r, DX_RESTORE, t++, 0, 0);
		if (late_restore)
			add(r, DX_SUBSCRIBER, t++, MMU_NOTIFY_CLEAR, SUB_ID);
	}
	return r;
}

static enum check_result judge(const char *name, const struct check_run *r, char *evidence)
{
	const struct check_def *d = check_lookup(name);
	struct check_verdict v = { 0 };

	d->judge(r, &v);
	snprintf(evidence, 512, "%s", v.evidence);
	return v.result;
}

int main(void)
{
	char ev[512];
	struct check_run *r;

	r = rounds(false, false, false);
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_PASS, ev);
	CHECK_INT(judge("notify-on-restore", r, ev), CHECK_PASS, ev);
	free(r);

	/* The second conversion's delivery came after its set: a fail, said so. */
	r = rounds(true, false, false);
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_FAIL, "late delivery");
	CHECK(strstr(ev, "(it was, after)") != NULL, ev);
	free(r);

	/* Another subscriber (id) was called: ours was not. */
	r = rounds(false, true, false);
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_FAIL, "other subscriber");
	CHECK_INT(judge("notify-on-restore", r, ev), CHECK_PASS, ev);
	free(r);

	r = rounds(false, false, true);
	CHECK_INT(judge("notify-on-restore", r, ev), CHECK_FAIL, "restore notified after");
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_PASS, ev);
	free(r);

	/* Without ids (an older interface): matched by the callback symbol. */
	r = rounds(false, false, false);
	r->subs[0].has_id = false;
	for (unsigned int i = 0; i < r->nevents; i++)
		snprintf(r->events[i].sym, sizeof(r->events[i].sym), "dmirror_interval_invalidate");
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_PASS, ev);
	r->events[0].sym[0] = '\0';	/* unresolved (kallsyms hidden): no match */
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_FAIL, "unresolved callback");
	free(r);

	/* No set event at all: a fail that mentions lost events when there were. */
	r = run();
	r->events_lost = true;
	CHECK_INT(judge("notify-on-convert", r, ev), CHECK_FAIL, "no set");
	CHECK(strstr(ev, "events were lost") != NULL, ev);
	free(r);
	CHECK_DONE();
}
