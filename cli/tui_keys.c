// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui's one key table: it drives dispatch, the F-key bar and the help
 * screen (htop's Action.c model), so the three cannot disagree; the labels
 * of its key codes are made here too.  Modal input (search, filter, help,
 * confirmation, outcome) is handled first.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "tui.h"

#define CTRL(c) ((c) & 0x1f)

static void act_help(struct tui *ui, int key)
{
	ui->mode = MODE_HELP;
	ui->help_top = 0;
}

static void act_quit(struct tui *ui, int key)
{
	ui->quit = true;
}

static void act_search(struct tui *ui, int key)
{
	ui->mode = MODE_SEARCH;
	ui->edit[0] = '\0';
}

static void act_filter(struct tui *ui, int key)
{
	ui->mode = MODE_FILTER;
	snprintf(ui->edit, sizeof(ui->edit), "%s", ui->picker ? ui->pk.filter : ui->vp.filter);
}

static void act_next(struct tui *ui, int key)
{
	bool found = ui->picker ? tui_picker_search(&ui->pk, ui->edit, true)
				: tui_vmapanel_search(&ui->vp, true);

	if (!found)
		tui_message(ui, true, "no match for '%s'", ui->picker ? ui->edit : ui->vp.search);
}

static void act_refresh(struct tui *ui, int key)
{
	if (ui->k.rp) {
		tui_message(ui, true, "rescan is disabled: a replay shows a recording "
			    "(, . [ ] { } move in time)");
		return;
	}
	tui_refresh_now(ui);
	tui_message(ui, false, "refreshing");
}

static void act_sort(struct tui *ui, int key)
{
	if (ui->picker)
		return;
	if (key == 'I')
		ui->vp.sort_reverse = !ui->vp.sort_reverse;
	else if (key == '<')
		ui->vp.sort = (ui->vp.sort + SORT_NR - 1) % SORT_NR;
	else
		ui->vp.sort = (ui->vp.sort + 1) % SORT_NR;
	tui_vmapanel_rebuild(&ui->vp);
	tui_message(ui, false, "sorted by %s%s", tui_sort_names[ui->vp.sort],
		    ui->vp.sort_reverse ? " (reversed)" : "");
}

static void act_convert(struct tui *ui, int key)
{
	tui_action_ask(ui, ACT_CONVERT);
}

static void act_revert(struct tui *ui, int key)
{
	tui_action_ask(ui, ACT_REVERT);
}

static void act_check(struct tui *ui, int key)
{
	tui_action_ask(ui, ACT_CHECK);
}

static void act_pause(struct tui *ui, int key)
{
	if (ui->k.rp) {
		tui_message(ui, true, "pause is disabled: a replay moves only with the time keys");
		return;
	}
	ui->paused = !ui->paused;
	if (!ui->paused) {
		ui->ev_frozen = ui->d.ev_seq;
		tui_refresh_now(ui);
	}
	tui_message(ui, false, ui->paused ? "paused: no refresh, events frozen (Z resumes)" : "resumed");
}

/* The replay's time cursor (tui_replay.c). */
static void act_time(struct tui *ui, int key)
{
	static const struct {
		int key;
		enum tui_time how;
	} moves[] = {
		{ ',', TIME_BACK }, { '.', TIME_FWD }, { '[', TIME_TENTH_BACK },
		{ ']', TIME_TENTH_FWD }, { '{', TIME_START }, { '}', TIME_END },
	};

	if (!ui->k.rp) {
		tui_message(ui, true, "time keys work in a replay: devexctl tui --replay FILE");
		return;
	}
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++)
		if (moves[i].key == key)
			tui_replay_move(ui, moves[i].how);
}

static void act_redraw(struct tui *ui, int key)
{
	clearok(curscr, TRUE);
	ui->dirty = true;
}

static void act_tab(struct tui *ui, int key)
{
	ui->focus = (ui->focus + (key == KEY_BTAB ? PANE_NR - 1 : 1)) % PANE_NR;
}

static void act_mark(struct tui *ui, int key)
{
	uint64_t s, e;

	if (key == 'U') {
		ui->map.marks.n = 0;
		tui_message(ui, false, "marks cleared");
		return;
	}
	if (ui->focus != PANE_MAP || !tui_cursor_range(ui, &s, &e)) {
		tui_message(ui, true, "marking works in the page map (Tab to it)");
		return;
	}
	if (tui_marks_toggle(&ui->map.marks, s, e))
		tui_message(ui, true, "too many marks (U clears them)");
	else
		tui_message(ui, false, "%u marked range(s), %llu pages", ui->map.marks.n,
			    (unsigned long long)(tui_marks_bytes(&ui->map.marks) / ui->k.t.page_size));
	if (key == ' ')
		tui_handle_key(ui, KEY_RIGHT);
}

static long page_step(struct tui *ui, int key, long rows, long cols)
{
	switch (key) {
	case KEY_UP: case 'k': return -cols;
	case KEY_DOWN: case 'j': return cols;
	case KEY_LEFT: return -1;
	case KEY_RIGHT: return 1;
	case KEY_PPAGE: return -rows * cols;
	case KEY_NPAGE: return rows * cols;
	case KEY_HOME: return -(1L << 62);
	case KEY_END: return 1L << 62;
	}
	return 0;
}

static void act_move(struct tui *ui, int key)
{
	if (ui->picker) {
		tui_picker_move(&ui->pk, page_step(ui, key, ui->geo.list_rows, 1));
		return;
	}
	switch (ui->focus) {
	case PANE_VMAS:
		if (key == KEY_LEFT || key == KEY_RIGHT)
			return;
		tui_vmapanel_move(&ui->vp, page_step(ui, key, ui->geo.list_rows, 1));
		return;
	case PANE_MAP: {
		long cols = ui->map.cols > 0 ? ui->map.cols : 1;
		long d = page_step(ui, key, ui->map.rows > 1 ? ui->map.rows : 1, cols);
		uint64_t cells = ui->map.cell_pages ? (ui->d.pm.npages + ui->map.cell_pages - 1) / ui->map.cell_pages : 0;
		long cell = (long)(ui->map.cell_pages ? ui->map.cur_page / ui->map.cell_pages : 0);

		if (!cells)
			return;
		if ((key == KEY_UP || key == KEY_DOWN || key == 'k' || key == 'j') &&
		    (cell + d < 0 || (uint64_t)(cell + d) >= cells))
			return;	/* no row there: stay, as a text editor does */
		if (d < 0 && -d > cell)
			cell = 0;
		else if (d > 0 && (uint64_t)(cell + d) >= cells)
			cell = (long)cells - 1;
		else
			cell += d;
		ui->map.cur_page = (uint64_t)cell * ui->map.cell_pages;
		return;
	}
	case PANE_NOTIFIERS: {
		long t = (long)ui->nt_top + page_step(ui, key, 4, 1);

		ui->nt_top = t < 0 ? 0 : (size_t)t >= ui->d.nnt ? (ui->d.nnt ? ui->d.nnt - 1 : 0) : (size_t)t;
		return;
	}
	case PANE_EVENTS: {
		/* ev_top counts from the newest: first in the live pane, last in a replay's */
		long t = (long)ui->ev_top + page_step(ui, key, 4, 1) * (ui->k.rp ? -1 : 1);
		uint64_t n = ui->ev_frozen < TUI_EVENTS ? ui->ev_frozen : TUI_EVENTS;

		ui->ev_top = t < 0 ? 0 : (uint64_t)t >= n ? (n ? n - 1 : 0) : (size_t)t;
		return;
	}
	case PANE_NR:
		return;
	}
}

static void act_enter(struct tui *ui, int key)
{
	const struct tui_proc *p;
	int err;

	if (ui->picker) {
		p = tui_picker_row(&ui->pk, ui->pk.sel);
		if (!p)
			return;
		err = tui_open_pid(ui, p->pid);
		if (!err) {
			ui->picker = false;
			return;
		}
		tui_message(ui, true, "cannot open %d: %s", (int)p->pid, err_str(err));
		err_clear();
		target_probe(&ui->k.t, ui->g->proc, ui->g->debugfs);
		return;
	}
	if (ui->focus == PANE_VMAS)
		ui->focus = PANE_MAP;
}

/*
 * Key codes as the user reads them.  The help screen and the F-key bar take
 * their labels from here and the codes from the table below, so what they
 * show is what tui_handle_key() dispatches (the hand-typed labels had
 * drifted: neither j nor k was shown, and j was bound in the Left/Right row).
 */
static const struct {
	int code;
	const char *label;
} key_names[] = {
	{ KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" },
	{ KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
	{ KEY_IC, "Ins" }, { KEY_DC, "Del" }, { KEY_BTAB, "Shift-Tab" },
	{ KEY_ENTER, "Enter" }, { KEY_BACKSPACE, "Backspace" },
	/* Control characters that have a key of their own. */
	{ '\t', "Tab" }, { '\n', "Enter" }, { '\r', "Enter" }, { '\b', "Backspace" },
	{ 27, "Esc" }, { ' ', "Space" }, { 127, "Backspace" },
};

int tui_key_fnum(int code)
{
	return code > KEY_F0 && code <= KEY_F(63) ? code - KEY_F0 : 0;
}

bool tui_key_label(int code, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (key_names[i].code == code) {
			snprintf(buf, len, "%s", key_names[i].label);
			return true;
		}
	if (tui_key_fnum(code))
		snprintf(buf, len, "F%d", tui_key_fnum(code));
	else if (code > 0 && code < 32)	/* the others: CTRL(c) */
		snprintf(buf, len, "Ctrl-%c", code + '@');
	else if (code > 32 && code < 127)
		snprintf(buf, len, "%c", code);
	else
		return false;
	return true;
}

void tui_key_labels(const struct tui_key *k, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < TUI_KEY_CODES && k->codes[i]; i++) {
		char one[16], *at;
		size_t l;

		if (!tui_key_label(k->codes[i], one, sizeof(one)))
			snprintf(one, sizeof(one), "#%d", k->codes[i]);
		l = strlen(one);
		/* Enter is '\n', '\r' and KEY_ENTER: one label, once. */
		for (at = strstr(buf, one); at; at = strstr(at + 1, one))
			if ((at == buf || at[-1] == ' ') && (at[l] == ' ' || at[l] == '\0'))
				break;
		if (at)
			continue;
		if (n + 1 + l >= len)
			break;	/* a row wider than the caller's column */
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "", one);
	}
}

/*
 * First match wins, so a code belongs to one row only (tests/unit/test-tui-keys.c
 * checks that, and that every code has a label).  An F key comes first in
 * its row: the bar shows the row under it.
 */
const struct tui_key tui_keys[] = {
	{ .codes = { KEY_F(1), 'h', '?' }, .flabel = "Help",
	  .help = "this help, generated from the key table",
	  .in_picker = true, .fn = act_help },
	{ .codes = { KEY_F(3), '/' }, .flabel = "Search",
	  .help = "search VMAs by name or address (processes by name or pid); Enter keeps, "
		  "Esc cancels",
	  .in_picker = true, .fn = act_search },
	{ .codes = { 'n' }, .help = "next search match", .in_picker = true, .fn = act_next },
	{ .codes = { KEY_F(4), '\\' }, .flabel = "Filter",
	  .help = "show only the rows matching a text (Esc in the prompt clears it)",
	  .in_picker = true, .fn = act_filter },
	{ .codes = { KEY_F(5) }, .flabel = "Rescan", .help = "refresh now",
	  .in_picker = true, .fn = act_refresh },
	{ .codes = { KEY_F(6), '>', '<' }, .flabel = "Sort",
	  .help = "next / previous VMA sort: address, size, device-exclusive, swap-like, "
		  "present, name",
	  .fn = act_sort },
	{ .codes = { 'I' }, .help = "invert the sort order", .fn = act_sort },
	{ .codes = { KEY_F(7), 'x' }, .flabel = "MkExcl",
	  .help = "convert the page under the cursor, or the marked pages, to device-exclusive "
		  "(make_exclusive)",
	  .needs_write = true, .fn = act_convert },
	{ .codes = { KEY_F(8), 'r' }, .flabel = "Revert",
	  .help = "revert them to normal PTEs through a read fault",
	  .needs_write = true, .fn = act_revert },
	{ .codes = { KEY_F(9), 'c' }, .flabel = "Check",
	  .help = "run 'devexctl check' on them (converts and reverts a few present pages)",
	  .needs_write = true, .fn = act_check },
	{ .codes = { KEY_F(10), 'q' }, .flabel = "Quit", .help = "quit",
	  .in_picker = true, .fn = act_quit },
	{ .codes = { '\t', KEY_BTAB },
	  .help = "next pane: VMAs, page map, notifiers, events (Shift-Tab: previous)",
	  .fn = act_tab },
	{ .codes = { ' ' },
	  .help = "mark / unmark the cell under the page-map cursor, then move right",
	  .fn = act_mark },
	{ .codes = { 'U' }, .help = "clear all marks", .fn = act_mark },
	{ .codes = { 'Z', 'z' }, .help = "pause / resume refreshing and the event pane",
	  .in_picker = true, .fn = act_pause },
	{ .codes = { ',', '.' }, .help = "replay: one event back / forward in time",
	  .fn = act_time },
	{ .codes = { '[', ']' }, .help = "replay: back / forward by a tenth of the recording",
	  .fn = act_time },
	{ .codes = { '{', '}' }, .help = "replay: to the start / the end of the recording",
	  .fn = act_time },
	{ .codes = { CTRL('l') }, .help = "redraw the screen",
	  .in_picker = true, .fn = act_redraw },
	{ .codes = { KEY_UP, KEY_DOWN, 'k', 'j' },
	  .help = "move in the focused pane (the page map: by rows)",
	  .in_picker = true, .fn = act_move },
	{ .codes = { KEY_LEFT, KEY_RIGHT }, .help = "move by one cell in the page map",
	  .in_picker = true, .fn = act_move },
	{ .codes = { KEY_PPAGE, KEY_NPAGE }, .help = "move by a screen",
	  .in_picker = true, .fn = act_move },
	{ .codes = { KEY_HOME, KEY_END }, .help = "first / last row or page",
	  .in_picker = true, .fn = act_move },
	{ .codes = { '\n', KEY_ENTER, '\r' },
	  .help = "open the process (picker); go to the page map (VMA list)",
	  .in_picker = true, .fn = act_enter },
	{ .fn = NULL },
};

/* Line editing for the search and filter prompts. */
static void edit_key(struct tui *ui, int key)
{
	size_t len = strlen(ui->edit);
	bool search = ui->mode == MODE_SEARCH;
	char *target = ui->picker ? ui->pk.filter : ui->vp.filter;

	if (key == 27) {	/* Esc: cancel the search, clear the filter */
		if (!search) {
			target[0] = '\0';
			if (!ui->picker)
				tui_vmapanel_rebuild(&ui->vp);
		}
		ui->mode = MODE_NORMAL;
		return;
	}
	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		ui->mode = MODE_NORMAL;
		return;
	}
	if (search && (key == KEY_F(3) || key == KEY_DOWN)) {
		act_next(ui, key);
		return;
	}
	if ((key == KEY_BACKSPACE || key == 127 || key == 8) && len)
		ui->edit[--len] = '\0';
	else if (key >= 32 && key < 127 && len + 1 < sizeof(ui->edit)) {
		ui->edit[len++] = (char)key;
		ui->edit[len] = '\0';
	} else {
		return;
	}
	if (search) {
		snprintf(ui->vp.search, sizeof(ui->vp.search), "%s", ui->edit);
		if (ui->picker ? !tui_picker_search(&ui->pk, ui->edit, false) : !tui_vmapanel_search(&ui->vp, false))
			tui_message(ui, true, "no match for '%s'", ui->edit);
		else
			ui->msg[0] = '\0';
	} else {
		snprintf(target, sizeof(ui->vp.filter), "%s", ui->edit);
		if (ui->picker)
			tui_picker_sort(&ui->pk);
		else
			tui_vmapanel_rebuild(&ui->vp);
	}
}

void tui_handle_key(struct tui *ui, int key)
{
	ui->dirty = true;
	if (key == KEY_RESIZE)
		return;
	switch (ui->mode) {
	case MODE_SEARCH:
	case MODE_FILTER:
		edit_key(ui, key);
		return;
	case MODE_HELP:	/* j and k scroll here too, as they move in the panes */
		if (key == KEY_DOWN || key == 'j')
			ui->help_top++;
		else if ((key == KEY_UP || key == 'k') && ui->help_top)
			ui->help_top--;
		else
			ui->mode = MODE_NORMAL;
		return;
	case MODE_CONFIRM:
		if (key == 'y' || key == 'Y') {
			tui_action_run(ui);
		} else {
			ui->mode = MODE_NORMAL;
			tui_message(ui, false, "cancelled");
		}
		return;
	case MODE_OUTCOME:
		if (key == KEY_DOWN || key == 'j')
			ui->dlg.top += ui->dlg.top + 1 < ui->dlg.nout;
		else if ((key == KEY_UP || key == 'k') && ui->dlg.top)
			ui->dlg.top--;
		else if (ui->k.check_pid <= 0)
			ui->mode = MODE_NORMAL;
		return;
	case MODE_NORMAL:
		break;
	}
	for (const struct tui_key *k = tui_keys; k->fn; k++) {
		int i = 0;

		while (i < TUI_KEY_CODES && k->codes[i] && k->codes[i] != key)
			i++;
		if (i == TUI_KEY_CODES || !k->codes[i])
			continue;
		if (ui->picker && !k->in_picker) {
			tui_message(ui, true, "pick a process first (Enter)");
			return;
		}
		k->fn(ui, key);
		if (!ui->picker && ui->k.have_target)
			tui_follow_selection(ui);
		return;
	}
	if (key == 27)
		ui->msg[0] = '\0';
}
