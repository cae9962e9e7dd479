// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui's target: opening a process (or a snapshot), what the kernel
 * offers for it (the devexcl debugfs, actions, and the reason when it does
 * not), and the page under the map cursor with its kernel entry.  The loop
 * calls tui_target_detail() before drawing, so drawing never reads the
 * kernel.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "debugfs.h"
#include "errors.h"
#include "tui.h"
#include "walk.h"

/*
 * Open @pid as the target.  On an error the caller reports it (before the
 * screen: cmd_tui returns it; in the picker: the message line) and
 * ui->k.t holds what target_probe() learns, for the header.
 */
int tui_open_pid(struct tui *ui, pid_t pid)
{
	int err;

	if (ui->k.have_target)
		target_close(&ui->k.t);
	ui->k.have_target = false;
	err = target_open(&ui->k.t, ui->g->proc, ui->g->debugfs, pid);
	if (err)
		return err;
	ui->k.have_target = true;
	tui_read_comm(ui->k.t.root, pid, ui->d.comm, sizeof(ui->d.comm));
	ui->d.exited = false;
	ui->d.phase = PH_MAPS;
	ui->focus = PANE_VMAS;
	tui_probe_write(ui);
	tui_events_close(ui);
	tui_events_open(ui);
	return 0;
}

static int skip_line(void *ctx, char *line)
{
	(void)ctx;
	(void)line;
	return 0;
}

void tui_probe_write(struct tui *ui)
{
	int err;

	ui->k.have_debugfs = false;
	if (!ui->k.have_target) {
		snprintf(ui->k.debugfs_reason, sizeof(ui->k.debugfs_reason), "no process chosen");
	} else if (!target_can(&ui->k.t, SRC_LIVE)) {
		/* Entries and notifiers as the snapshot recorded them, if it did. */
		ui->k.have_debugfs = ui->k.t.ops->kernel_read(&ui->k.t, "info", "", skip_line, NULL) == 0;
		snprintf(ui->k.debugfs_reason, sizeof(ui->k.debugfs_reason),
			 "the snapshot holds no devexcl answers");
		err_clear();
	} else if ((err = dfs_require(ui->k.t.debugfs)) != 0) {
		snprintf(ui->k.debugfs_reason, sizeof(ui->k.debugfs_reason), "%s",
			 err == -EACCES ? "the devexcl debugfs files need root" :
			 err == -ENOPATCH ? "no devexcl debugfs (kernel-debugfs/ patches)" : err_str(err));
		err_clear();
	} else {
		ui->k.have_debugfs = true;
	}
	ui->k.can_write = !ui->readonly && ui->k.have_debugfs && !ui->d.exited &&
			target_can(&ui->k.t, SRC_ACTS);
	if (ui->readonly)
		snprintf(ui->k.write_reason, sizeof(ui->k.write_reason), "--readonly");
	else if (ui->d.exited)
		snprintf(ui->k.write_reason, sizeof(ui->k.write_reason), "the process exited");
	else if (!target_can(&ui->k.t, SRC_ACTS))
		snprintf(ui->k.write_reason, sizeof(ui->k.write_reason), "a snapshot cannot act");
	else if (!ui->k.have_debugfs)
		snprintf(ui->k.write_reason, sizeof(ui->k.write_reason), "%s", ui->k.debugfs_reason);
	else
		ui->k.write_reason[0] = '\0';
}

static int entry_line(void *ctx, char *line)
{
	struct tui *ui = ctx;
	struct dx_entry e;
	char owner[96];
	uint32_t id;
	int rc = rec_entry_parse(line, &e);

	if (rc <= 0)
		return rc < 0 ? rc : 0;
	/* No owner= before page_ext records: the set event's, when seen. */
	if (e.owner[0] && e.has_owner_task)
		snprintf(owner, sizeof(owner), "%s(pid %" PRId64 " %s)", e.owner, e.owner_pid,
			 e.owner_comm);
	else if (e.owner[0])
		snprintf(owner, sizeof(owner), "%s", e.owner);
	else if (tui_owner_seen(ui, e.addr, &id))
		snprintf(owner, sizeof(owner), "0x%08" PRIx32 "(event)", id);
	else
		snprintf(owner, sizeof(owner), "?");
	snprintf(ui->d.entry_info, sizeof(ui->d.entry_info),
		 "order=%" PRIu64 " mapcount=%" PRId64 " refcount=%" PRId64
		 " owner=%s crc32=%08" PRIx32 "%s", e.order, e.mapcount, e.refcount, owner, e.crc,
		 e.has_crc ? "" : " (hidden)");
	return rc < 0 ? rc : 0;
}

static int detail_emit(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	*(struct page_info *)ctx = *pi;
	return 0;
}

void tui_target_detail(struct tui *ui)
{
	const struct tui_vma *r = tui_vmapanel_selected(&ui->vp);
	uint64_t addr = r ? r->start + ui->map.cur_page * ui->k.t.page_size : 0;
	struct page_sink sink = { .ctx = &ui->d.detail, .emit = detail_emit };
	struct walker w;
	struct vma v;
	char req[96];
	int err;

	if (ui->d.detail_valid && ui->d.detail_addr == addr)
		return;
	ui->d.detail_valid = false;
	ui->d.entry_info[0] = '\0';
	if (!r || !r->in_pagemap || addr < r->start || addr >= r->end || ui->d.exited)
		return;
	v = (struct vma){ .start = r->start, .end = r->end, .name = r->name };
	memcpy(v.perms, r->perms, sizeof(v.perms));
	memset(&ui->d.detail, 0, sizeof(ui->d.detail));
	walker_init(&w, &ui->k.t, 0);
	err = walk_vma(&w, &v, addr, addr + ui->k.t.page_size, WALK_PAGES, &sink);
	walker_finish(&w);
	if (err) {
		err_clear();
		return;
	}
	ui->d.detail_valid = true;
	ui->d.detail_addr = addr;
	if (ui->k.have_debugfs && ui->d.detail.state == PS_DEVICE_EXCLUSIVE) {
		dfs_range_req(req, sizeof(req), (int)ui->k.t.pid, addr, addr + ui->k.t.page_size);
		if (ui->k.t.ops->kernel_read(&ui->k.t, "entries", req, entry_line, ui))
			err_clear();
	}
}
