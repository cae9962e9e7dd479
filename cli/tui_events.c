// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui's kernel-fed panes: the target's events from devexctl's tracefs
 * instance, filtered to its mm (newest first, frozen while paused), with
 * the forks and exits of the target and its children (proc connector, or
 * the sched tracepoints where the kernel does not serve it), and the mm's
 * MMU-notifier subscribers from debugfs, marked on the VMA list.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "debugfs.h"
#include "errors.h"
#include "proc_connector.h"
#include "trace.h"
#include "tui.h"

void tui_events_open(struct tui *ui)
{
	struct dx_trace_opts o = { .debugfs = ui->g->debugfs, .tasks = true };
	int err;

	ui->k.have_events = false;
	task_tree_init(&ui->k.tree, 0, false);
	if (!ui->k.have_target || !target_can(&ui->k.t, SRC_EVENTS)) {
		snprintf(ui->k.events_reason, sizeof(ui->k.events_reason), "snapshot: no live events");
		return;
	}
	o.target = ui->k.t.pid;
	err = trace_open(&ui->k.tr, &o);
	if (!err && !trace_filtered(ui->k.tr)) {
		trace_close(ui->k.tr);
		err = err_set(-ENOENT, "mm id 0");
	}
	if (err) {
		snprintf(ui->k.events_reason, sizeof(ui->k.events_reason), "%s",
			 err == -ENOPATCH ? "no devexcl tracepoints, no probes (devexctl features)" :
			 err == -ENOTRACEFS ? "tracefs not mounted" :
			 err == -EPERM || err == -EACCES ? "events need root (tracefs)" : err_str(err));
		err_clear();
		ui->k.tr = NULL;
		return;
	}
	if (pc_open(&ui->k.pc))
		ui->k.pc = NULL;
	/* One source of task events: the connector when it is open. */
	task_tree_init(&ui->k.tree, ui->k.t.pid, ui->k.pc != NULL);
	err_clear();
	ui->k.have_events = true;
}

void tui_events_close(struct tui *ui)
{
	pc_close(ui->k.pc);
	ui->k.pc = NULL;
	trace_close(ui->k.tr);
	ui->k.tr = NULL;
}

int tui_events_fd(const struct tui *ui)
{
	return pc_fd(ui->k.pc);
}

/* Remember (or forget) the owner of the entry an event is about. */
static void track_owner(struct tui *ui, const struct dx_event *ev)
{
	const unsigned int n = sizeof(ui->d.owners) / sizeof(ui->d.owners[0]);
	uint64_t addr = ev->num[DXF_ADDR] | 1;	/* | 1: never 0, the empty slot */

	if (ev->kind != DX_SET && ev->kind != DX_RESTORE && ev->kind != DX_REMOVE)
		return;
	for (unsigned int i = 0; i < n; i++)
		if (ui->d.owners[i].addr == addr)
			ui->d.owners[i].addr = 0;
	if (ev->kind != DX_SET || !ev_has(ev, DXF_OWNER))
		return;
	ui->d.owners[ui->d.owners_next].addr = addr;
	ui->d.owners[ui->d.owners_next].owner = (uint32_t)ev->num[DXF_OWNER];
	ui->d.owners_next = (ui->d.owners_next + 1) % n;
}

bool tui_owner_seen(const struct tui *ui, uint64_t addr, uint32_t *owner)
{
	for (unsigned int i = 0; i < sizeof(ui->d.owners) / sizeof(ui->d.owners[0]); i++)
		if (ui->d.owners[i].addr == (addr | 1)) {
			*owner = ui->d.owners[i].owner;
			return true;
		}
	return false;
}

static int add_event(void *ctx, const struct dx_event *ev)
{
	struct tui *ui = ctx;
	struct tui_event_row *row;

	if ((ev->kind == DX_FORK || ev->kind == DX_EXIT || ev->kind == DX_EXEC) &&
	    !task_tree_follow(&ui->k.tree, ev))
		return 0;
	if (ev->kind == DX_LOST)
		tui_message(ui, true, "events lost: the ring buffer overran on cpu %d", ev->cpu);
	track_owner(ui, ev);
	row = &ui->d.ev[ui->d.ev_seq % TUI_EVENTS];
	row->seq = ++ui->d.ev_seq;
	row->kind = ev->kind;
	event_format(ev, row->text, sizeof(row->text));
	if (!ui->paused)
		ui->ev_frozen = ui->d.ev_seq;
	ui->dirty = true;
	return 0;
}

void tui_events_read(struct tui *ui)
{
	if (ui->k.tr && trace_read(ui->k.tr, add_event, ui) < 0)
		err_clear();
	if (ui->k.pc && pc_read(ui->k.pc, add_event, ui) == -ENOBUFS)
		tui_message(ui, true, "proc connector events lost (socket overrun)");
}

static int notifier_line(void *ctx, char *line)
{
	struct tui *ui = ctx;

	return rec_sub_append(line, ui->d.nt, &ui->d.nnt, TUI_NOTIFIERS);
}

void tui_notifiers_read(struct tui *ui)
{
	char req[16];

	ui->d.nnt = 0;
	if (!ui->k.have_debugfs || ui->d.exited)
		return;
	snprintf(req, sizeof(req), "%d", (int)ui->k.t.pid);
	if (ui->k.t.ops->kernel_read(&ui->k.t, "notifiers", req, notifier_line, ui)) {
		err_clear();
		return;
	}
	/* Mark the VMAs an interval subscriber covers (classic ones cover all). */
	for (size_t i = 0; i < ui->vp.vmas.n; i++) {
		struct tui_vma *v = &ui->vp.vmas.v[i];

		v->notified = false;
		for (unsigned int k = 0; k < ui->d.nnt; k++)
			if (ui->d.nt[k].interval && ui->d.nt[k].start < v->end && ui->d.nt[k].last >= v->start)
				v->notified = true;
	}
}
