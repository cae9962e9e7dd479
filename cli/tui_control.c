// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui controller's small operations: the message line, refresh
 * requests and the selection the panes follow.  No I/O and no curses: the
 * kernel side, the actions and the key table call these, and the loop in
 * tui_main.c does the work they ask for.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "tui.h"

void tui_message(struct tui *ui, bool warn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_warn = warn;
	ui->dirty = true;
}

void tui_refresh_now(struct tui *ui)
{
	if (ui->d.phase == PH_IDLE)
		ui->d.phase = PH_MAPS;
	ui->d.next_refresh = 0;
	ui->d.detail_valid = false;
}

bool tui_cursor_range(const struct tui *ui, uint64_t *s, uint64_t *e)
{
	const struct tui_vma *v = tui_vmapanel_selected(&ui->vp);
	uint64_t psz = ui->k.t.page_size, cp = ui->map.cell_pages ? ui->map.cell_pages : 1;

	if (ui->picker || !v || !v->in_pagemap || ui->d.pm.start != v->start || !ui->d.pm.npages)
		return false;
	*s = v->start + ui->map.cur_page / cp * cp * psz;
	*e = *s + cp * psz;
	if (*e > v->end)
		*e = v->end;
	return true;
}

/* The selected VMA changed: walk its page map from the start. */
void tui_follow_selection(struct tui *ui)
{
	const struct tui_vma *v = tui_vmapanel_selected(&ui->vp);
	uint64_t s = v ? v->start : 0, e = v ? v->end : 0;

	if (ui->d.pm.start == s && ui->d.pm.end == e && (ui->d.pm.gstate || !ui->d.pm.npages))
		return;
	tui_pagemap_reset(&ui->d.pm, s, e, ui->k.t.page_size);
	if (ui->map.cols > 0 && ui->map.rows > 0)
		ui->map.cell_pages = tui_pagemap_cell_pages(&ui->d.pm, (uint64_t)ui->map.cols *
							    (uint64_t)ui->map.rows * 16);
	ui->map.cur_page = 0;
	ui->map.top = 0;
	ui->map.marks.n = 0;
	ui->d.detail_valid = false;
	if (ui->d.exited)
		ui->d.pm.done = true;	/* nothing more to read: keep what is known */
}
