// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui's full-screen and boxed views over the panes: the help screen
 * generated from the key table and the state table, the process picker,
 * and the confirmation and outcome dialogs of the actions.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"
#include "tui_paint.h"

void tui_draw_help(const struct tui *ui)
{
	int y = 0, lines = LINES - 1, w = 0;
	char labels[48];
	size_t i = 0;

	/* The key column is as wide as the widest row's labels. */
	for (const struct tui_key *k = tui_keys; k->fn; k++) {
		tui_key_labels(k, labels, sizeof(labels));
		if ((int)strlen(labels) > w)
			w = (int)strlen(labels);
	}
	erase();
	tui_put(y++, 0, COLS, tui_attr(C_HEADER),
		"devexctl tui help (any key closes; Up/Down or k/j scroll)");
	if (!ui->k.can_write)
		tui_put(y++, 0, COLS, tui_attr(C_WARN), "greyed actions are disabled: %s", ui->k.write_reason);
	for (const struct tui_key *k = tui_keys; k->fn && y < lines; k++, i++) {
		if (i < ui->help_top)
			continue;
		attrset(k->needs_write && !ui->k.can_write ? tui_attr(C_DIM) : A_BOLD);
		tui_key_labels(k, labels, sizeof(labels));
		mvprintw(y, 1, "%-*s", w, labels);
		attrset(k->needs_write && !ui->k.can_write ? tui_attr(C_DIM) : A_NORMAL);
		y = tui_wrap(y, w + 3, lines, k->help);
	}
	if (y < lines - 1) {
		y++;
		attrset(A_BOLD);
		mvprintw(y++, 1, "Page map legend:");
		attrset(A_NORMAL);
	}
	for (int s = 0; s < PS_NR && y < lines; s++, y++) {
		attrset(tui_attr(C_STATE + s));
		mvprintw(y, 3, "%c", tui_state_char[s]);
		attrset(A_NORMAL);
		printw(" %-16s %.*s", state_table[s].name, COLS > 25 ? COLS - 25 : 0, state_table[s].desc);
	}
	attrset(A_NORMAL);
}

void tui_draw_picker(const struct tui *ui)
{
	const struct tui_picker *pk = &ui->pk;
	int h = ui->geo.list_h, y = ui->geo.list_y;
	size_t rows = tui_picker_rows(pk);

	tui_put(y, 0, COLS, tui_attr(C_TITLE), "%7s %-16s %7s %7s %5s %7s %7s %9s", "PID", "COMMAND",
	    state_table[PS_DEVICE_EXCLUSIVE].abbrev, state_table[PS_SWAP_LIKE].abbrev, "subs",
	    state_table[PS_DEVICE_PRIVATE].abbrev, state_table[PS_SWAP].abbrev,
	    state_table[PS_PRESENT].abbrev);
	for (int r = 0; r < h - 1; r++) {
		size_t row = pk->top + (size_t)r;
		const struct tui_proc *p = row < rows ? tui_picker_row(pk, row) : NULL;
		char subs[12] = "-";
		attr_t a;

		if (!p) {
			tui_put(y + 1 + r, 0, COLS, A_NORMAL, "%s", "");
			continue;
		}
		if (p->subs >= 0)
			snprintf(subs, sizeof(subs), "%d", p->subs);
		a = row == pk->sel ? tui_attr(C_SELECT) : p->unreadable ? tui_attr(C_DIM) :
		    p->counts[PS_DEVICE_EXCLUSIVE] ? tui_attr(C_STATE + PS_DEVICE_EXCLUSIVE) : A_NORMAL;
		if (!p->counted)
			tui_put(y + 1 + r, 0, COLS, a, "%7d %-16s %s", (int)p->pid, p->comm,
			    p->unreadable ? "  (not readable)" : "  ...");
		else
			tui_put(y + 1 + r, 0, COLS, a, "%7d %-16s %7" PRIu64 " %7" PRIu64 " %5s %7" PRIu64
				" %7" PRIu64 " %9" PRIu64, (int)p->pid, p->comm,
				p->counts[PS_DEVICE_EXCLUSIVE], p->counts[PS_SWAP_LIKE], subs,
				p->counts[PS_DEVICE_PRIVATE], p->counts[PS_SWAP], p->counts[PS_PRESENT]);
	}
}

/* The confirmation question, or the outcome of the last action. */
void tui_draw_dialog(const struct tui *ui)
{
	int w = COLS - 4, h = LINES - 6;

	if (ui->mode == MODE_CONFIRM) {
		w = w < 76 ? w : 76;
		tui_box(LINES / 2 - 2, 2, 4, w, " Confirm ");
		tui_put(LINES / 2 - 1, 4, w - 4, A_BOLD, "%s", ui->dlg.confirm);
		return;
	}
	if (ui->mode != MODE_OUTCOME)
		return;
	tui_box(2, 2, h, w, ui->dlg.title);
	for (int r = 0; r < h - 3; r++) {
		size_t i = ui->dlg.top + (size_t)r;
		bool bad = i < ui->dlg.nout && (strstr(ui->dlg.out[i], "error") || strstr(ui->dlg.out[i], "FAIL"));

		if (i < ui->dlg.nout)
			tui_put(3 + r, 4, w - 4, bad ? tui_attr(C_WARN) : A_NORMAL, "%s", ui->dlg.out[i]);
	}
	tui_put(2 + h - 2, 4, w - 4, tui_attr(C_DIM), "%s",
		ui->k.check_pid > 0 ? "running..." : "any key closes; Up/Down scroll");
}
