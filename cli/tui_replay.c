// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl tui --replay FILE: a recording of 'devexctl record' stands in
 * for the kernel side.  The VMA list is the recording's (the VMAs of both
 * snapshots), and the work loop fills the model from the replay
 * (replay.c) at the time cursor instead of walking a process: each VMA's
 * counts, the selected VMA's page map and the event pane (the events up
 * to the cursor, newest last).  The keys move the cursor; nothing here
 * reads the kernel, and a replay cannot act (convert, revert and check
 * say so, as under --readonly).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "errors.h"
#include "record.h"
#include "record_model.h"
#include "replay.h"
#include "tui.h"

static int cmp_row(const void *a, const void *b)
{
	const struct rm_vma *x = *(const struct rm_vma *const *)a, *y = *(const struct rm_vma *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* The recording's VMAs as the VMA panel's rows, in address order. */
static int load_vmas(struct tui *ui)
{
	const struct rec_model *m = ui->k.rec;
	const struct rm_vma **order = calloc(m->nvmas ? m->nvmas : 1, sizeof(*order));
	struct tui_vmalist l = { 0 };

	ui->k.rp_vma = calloc(m->nvmas ? m->nvmas : 1, sizeof(*ui->k.rp_vma));
	l.v = calloc(m->nvmas ? m->nvmas : 1, sizeof(*l.v));
	if (!order || !ui->k.rp_vma || !l.v) {
		free(order);
		free(l.v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->nvmas; i++)
		order[i] = &m->vmas[i];
	qsort(order, m->nvmas, sizeof(*order), cmp_row);
	l.cap = m->nvmas;
	for (size_t i = 0; i < m->nvmas; i++) {
		struct tui_vma *v = &l.v[l.n];

		v->start = order[i]->start;
		v->end = order[i]->end;
		memcpy(v->perms, order[i]->perms, sizeof(v->perms));
		v->name = strdup(order[i]->name);
		if (!v->name) {
			tui_vmas_free(&l);
			free(order);
			return -ENOMEM;
		}
		v->in_pagemap = v->counted = true;
		ui->k.rp_vma[l.n++] = (size_t)(order[i] - m->vmas);
	}
	free(order);
	tui_vmapanel_set_vmas(&ui->vp, &l);
	return 0;
}

int tui_replay_open(struct tui *ui, const char *path)
{
	struct tui_replay_status *st = &ui->d.replay;
	bool incomplete;
	int err;

	ui->k.rec = rec_model_new();
	if (!ui->k.rec)
		return -ENOMEM;
	err = rec_read_file(path, ui->k.rec, &incomplete);
	if (!err)
		err = replay_open(&ui->k.rp, ui->k.rec);
	if (!err)
		err = load_vmas(ui);
	if (err) {
		tui_replay_close(ui);
		return err;
	}
	st->on = st->stale = true;
	/* The file's name: a long directory would push it off the header. */
	snprintf(st->path, sizeof(st->path), "%s", strrchr(path, '/') && strrchr(path, '/')[1] ?
		 strrchr(path, '/') + 1 : path);
	snprintf(st->source, sizeof(st->source), "%s", ui->k.rec->source[0] ? ui->k.rec->source : "?");
	snprintf(st->kernel, sizeof(st->kernel), "%s", ui->k.rec->kernel);
	st->n = replay_events(ui->k.rp);
	st->span_ns = replay_end_ns(ui->k.rp) - replay_start_ns(ui->k.rp);
	snprintf(ui->d.comm, sizeof(ui->d.comm), "%s", ui->k.rec->comm);
	ui->k.t.pid = (pid_t)ui->k.rec->pid;
	ui->k.t.page_size = ui->k.rec->page_size;
	ui->k.can_write = false;
	snprintf(ui->k.write_reason, sizeof(ui->k.write_reason),
		 "a replay shows a recording and cannot act");
	snprintf(ui->k.debugfs_reason, sizeof(ui->k.debugfs_reason),
		 "a replay: 'devexctl report' lists the recording's subscribers");
	snprintf(ui->k.events_reason, sizeof(ui->k.events_reason), "no event before the cursor");
	ui->focus = PANE_VMAS;
	ui->d.phase = PH_IDLE;
	if (incomplete)
		tui_message(ui, true, "%s is incomplete: it has no trailer (the recorder was killed)",
			    st->path);
	else if (ui->k.rec->tl_dropped)
		tui_message(ui, true, "%" PRIu64 " events past the first %u are not replayed",
			    ui->k.rec->tl_dropped, RM_MAX_EVENTS);
	return 0;
}

void tui_replay_close(struct tui *ui)
{
	replay_free(ui->k.rp);
	rec_model_free(ui->k.rec);
	free(ui->k.rp_vma);
	ui->k.rp = NULL;
	ui->k.rec = NULL;
	ui->k.rp_vma = NULL;
}

void tui_replay_move(struct tui *ui, enum tui_time how)
{
	struct replay *rp = ui->k.rp;
	size_t pos = replay_pos(rp);
	uint64_t t = replay_cursor_ns(rp), tenth = ui->d.replay.span_ns / 10;
	int err = 0;

	if (!tenth)
		tenth = 1;
	switch (how) {
	case TIME_BACK:
		err = replay_seek_event(rp, pos ? pos - 1 : 0);
		break;
	case TIME_FWD:	/* after the last event: stay (its time may be before the cursor's) */
		if (pos < replay_events(rp))
			err = replay_seek_event(rp, pos + 1);
		break;
	case TIME_TENTH_BACK:
		err = replay_seek_time(rp, t - replay_start_ns(rp) > tenth ? t - tenth : 0);
		break;
	case TIME_TENTH_FWD:
		err = replay_seek_time(rp, t + tenth < t ? UINT64_MAX : t + tenth);
		break;
	case TIME_START:
		err = replay_seek_event(rp, 0);
		break;
	case TIME_END:
		err = replay_seek_time(rp, UINT64_MAX);
		break;
	}
	if (err) {
		tui_message(ui, true, "replay: %s; back at the start", err == -ENOSPC ?
			    "the recording changes more pages than a replay keeps" : err_str(err));
		err_clear();
	}
	ui->d.replay.stale = true;
	ui->ev_top = 0;
}

/* One line of the event pane: time, index, kind, address, what it did. */
static void event_text(const struct replay *rp, const struct rm_event *e, size_t i, char *buf,
		       size_t len)
{
	double t = e->ts_ns >= replay_start_ns(rp) ? (double)(e->ts_ns - replay_start_ns(rp)) / 1e9 : 0;
	int n = snprintf(buf, len, "%8.3fs #%zu %s 0x%" PRIx64, t, i + 1,
			 e->kind < RK_NR ? rm_kind_names[e->kind] : "?", e->addr);

	if (n < 0 || (size_t)n >= len)
		return;
	buf += n;
	len -= (size_t)n;
	switch (e->kind) {
	case RK_RESTORE:
		snprintf(buf, len, " %s", e->reason < RR_NR ? rm_reason_names[e->reason] : "?");
		break;
	case RK_NOTIFY:
		snprintf(buf, len, " %" PRIu64 " pages", e->pages);
		break;
	case RK_CHANGE:	/* a poll's: what the walks saw (the others' states are implied) */
		if (e->from >= PS_NR || e->to >= PS_NR)
			break;
		if (e->pages > 1)
			snprintf(buf, len, " %" PRIu64 " pages %s->%s", e->pages,
				 state_table[e->from].name, state_table[e->to].name);
		else
			snprintf(buf, len, " %s->%s", state_table[e->from].name,
				 state_table[e->to].name);
		break;
	default:
		break;
	}
}

static enum dx_kind event_kind(int k)
{
	return k == RK_CONVERT ? DX_SET : k == RK_RESTORE ? DX_RESTORE : k == RK_REMOVE ? DX_REMOVE :
	       k == RK_NOTIFY ? DX_RANGE_START : DX_SUBSCRIBER;
}

/* The event pane: the last TUI_EVENTS events up to the cursor. */
static void fill_events(struct tui *ui)
{
	const struct rm_event *tl = ui->k.rec->tl;
	size_t pos = replay_pos(ui->k.rp), first = pos > TUI_EVENTS ? pos - TUI_EVENTS : 0;

	for (size_t i = first; i < pos; i++) {
		struct tui_event_row *row = &ui->d.ev[i % TUI_EVENTS];

		row->seq = i + 1;
		row->kind = event_kind(tl[i].kind);
		event_text(ui->k.rp, &tl[i], i, row->text, sizeof(row->text));
	}
	ui->d.ev_seq = ui->ev_frozen = pos;
}

static void map_run(void *ctx, uint64_t addr, uint64_t pages, int state)
{
	struct tui *ui = ctx;

	tui_pagemap_put(&ui->d.pm, (addr - ui->d.pm.start) / ui->k.t.page_size, pages, state);
}

bool tui_replay_work(struct tui *ui)
{
	struct tui_replay_status *st = &ui->d.replay;
	const struct tui_vma *v;
	double t = mono_s();
	bool changed = false;

	if (st->stale) {
		for (size_t i = 0; i < ui->vp.vmas.n; i++)
			memcpy(ui->vp.vmas.v[i].counts, replay_vma_counts(ui->k.rp, ui->k.rp_vma[i]),
			       sizeof(ui->vp.vmas.v[i].counts));
		tui_vmapanel_rebuild(&ui->vp);
		fill_events(ui);
		st->pos = replay_pos(ui->k.rp);
		st->cur_ns = replay_cursor_ns(ui->k.rp) - replay_start_ns(ui->k.rp);
		st->stale = false;
		ui->d.pm.pos = ui->d.pm.start;	/* redo the map, keeping its cursor */
		ui->d.pm.done = false;
		ui->d.detail_valid = false;
		changed = true;
	}
	tui_follow_selection(ui);
	v = tui_vmapanel_selected(&ui->vp);
	if (!ui->d.pm.done) {
		memset(ui->d.pm.counts, 0, sizeof(ui->d.pm.counts));
		if (v && v->start == ui->d.pm.start)
			replay_runs(ui->k.rp, v->start, v->end, map_run, ui);
		ui->d.pm.pos = ui->d.pm.end;
		ui->d.pm.done = true;
		changed = true;
	}
	/* -n counts refreshes: in a replay, one per delay. */
	if (t >= ui->d.next_refresh) {
		ui->d.frames++;
		ui->d.next_refresh = t + ui->delay / 10.0;
	}
	return changed;
}

void tui_replay_detail(struct tui *ui)
{
	const struct tui_vma *v = tui_vmapanel_selected(&ui->vp);
	uint64_t addr = v ? v->start + ui->map.cur_page * ui->k.t.page_size : 0;

	if (!v || addr >= v->end || (ui->d.detail_valid && ui->d.detail_addr == addr))
		return;
	memset(&ui->d.detail, 0, sizeof(ui->d.detail));
	ui->d.detail.state = (uint8_t)replay_page_state(ui->k.rp, addr);
	ui->d.detail_addr = addr;
	ui->d.detail_valid = true;
	snprintf(ui->d.entry_info, sizeof(ui->d.entry_info), "at %.3fs of the recording",
		 (double)ui->d.replay.cur_ns / 1e9);
}
