// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rendering the tui: header, VMA list, page map with legend and the page
 * under the cursor, notifier and event panes, the message line and the
 * F-key bar.  Every size is derived from LINES x COLS on each draw, so a
 * resize is just a redraw; below 40x10 only a notice is drawn.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

static bool use_color;

/* One character per state, so the map reads without colour too. */
static const char state_char[PS_NR] = {
	[PS_NONE] = '.', [PS_PRESENT] = '#', [PS_SWAP] = 's', [PS_SWAP_LIKE] = '?',
	[PS_DEVICE_EXCLUSIVE] = 'X', [PS_DEVICE_PRIVATE] = 'P', [PS_MIGRATION] = 'M',
	[PS_HWPOISON] = '!', [PS_MARKER] = 'g',
};

static const short state_fg[PS_NR] = {
	[PS_NONE] = -1, [PS_PRESENT] = COLOR_GREEN, [PS_SWAP] = COLOR_BLUE,
	[PS_SWAP_LIKE] = COLOR_YELLOW, [PS_DEVICE_EXCLUSIVE] = COLOR_RED,
	[PS_DEVICE_PRIVATE] = COLOR_MAGENTA, [PS_MIGRATION] = COLOR_CYAN,
	[PS_HWPOISON] = COLOR_WHITE, [PS_MARKER] = COLOR_BLUE,
};

void tui_colors_init(bool color)
{
	use_color = color && has_colors();
	if (!use_color)
		return;
	start_color();
	use_default_colors();
	init_pair(C_NORMAL, -1, -1);
	init_pair(C_HEADER, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_TITLE, COLOR_BLACK, COLOR_GREEN);
	init_pair(C_TITLE_FOCUS, COLOR_BLACK, COLOR_YELLOW);
	init_pair(C_SELECT, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_FKEY, -1, -1);
	init_pair(C_FLABEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_DIM, COLOR_BLACK, -1);
	init_pair(C_WARN, COLOR_RED, -1);
	init_pair(C_OK, COLOR_GREEN, -1);
	init_pair(C_MARK, COLOR_YELLOW, -1);
	for (int s = 0; s < PS_NR; s++)
		init_pair((short)(C_STATE + s), state_fg[s], -1);
	if (state_fg[PS_HWPOISON] == COLOR_WHITE)
		init_pair(C_STATE + PS_HWPOISON, COLOR_WHITE, COLOR_RED);
}

/* Attribute of an element: a colour pair, or a monochrome equivalent. */
static attr_t A(enum tui_color c)
{
	if (use_color)
		return COLOR_PAIR(c) | (c == C_DIM ? A_BOLD : 0) | (c >= C_STATE ? A_BOLD : 0);
	switch (c) {
	case C_HEADER: case C_TITLE_FOCUS: case C_SELECT: case C_FLABEL: return A_REVERSE;
	case C_TITLE: return A_UNDERLINE;
	case C_DIM: return A_DIM;
	case C_WARN: case C_MARK: return A_BOLD;
	default: return c == C_STATE + PS_DEVICE_EXCLUSIVE ? A_BOLD : A_NORMAL;
	}
}

/* Print at (y, x), at most @w columns, padding to @w with spaces. */
static void put(int y, int x, int w, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void put(int y, int x, int w, attr_t a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (w <= 0 || y < 0 || y >= LINES)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	attrset(a);
	mvaddnstr(y, x, buf, w);
	for (int i = n; i < w; i++)
		addch(' ');
	attrset(A_NORMAL);
}

static void title(struct tui *ui, int y, enum tui_pane p, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void title(struct tui *ui, int y, enum tui_pane p, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(y, 0, COLS, A(ui->focus == p && !ui->picker ? C_TITLE_FOCUS : C_TITLE), "%s", buf);
}

static void draw_header(struct tui *ui)
{
	char l2[320];
	size_t u = 0;

#define ADD2(...) do { if (u < sizeof(l2)) u += (size_t)snprintf(l2 + u, sizeof(l2) - u, __VA_ARGS__); } while (0)
	if (ui->picker)
		put(0, 0, COLS, A(C_HEADER), "pick a process (%s) | kernel %s | %zu processes%s",
		    ui->pk.root, ui->t.release, ui->pk.n, ui->pk.done ? "" : " | counting...");
	else
		put(0, 0, COLS, A(C_HEADER), "pid %d %s | %s | %s | pagemap%s%s %sdebugfs %snetlink",
		    (int)ui->t.pid, ui->comm, ui->t.release, ui->t.ops->name,
		    ui->t.pfn_visible ? "+PFN" : "", ui->t.has_scan ? " scan" : "",
		    ui->have_debugfs ? "" : "-", ui->have_netlink ? "" : "-");
	ADD2("refresh %d.%ds%s", ui->delay / 10, ui->delay % 10, ui->paused ? " [PAUSED]" : "");
	if (!ui->picker) {
		ADD2(" | sort %s%s", tui_sort_names[ui->m.sort], ui->m.sort_reverse ? " (rev)" : "");
		if (ui->m.filter[0])
			ADD2(" | filter '%s'", ui->m.filter);
	} else if (ui->pk.filter[0]) {
		ADD2(" | filter '%s'", ui->pk.filter);
	}
	if (!ui->t.pfn_visible)
		ADD2(" | restricted view: no CAP_SYS_ADMIN");
	if (ui->readonly)
		ADD2(" | read-only");
	if (!ui->picker && ui->phase != PH_IDLE && !ui->exited)
		ADD2(" | scanning %zu/%zu", ui->cnt.vi, ui->m.vmas.n);
#undef ADD2
	put(1, 0, COLS, A(ui->exited ? C_WARN : C_NORMAL), "%s%s%s", ui->exited ? "process exited | " : "",
	    l2, ui->error[0] && !ui->exited ? " | error" : "");
}

/* The count columns: all states when wide, the telling ones when narrow. */
static const int narrow_cols[] = { PS_PRESENT, PS_DEVICE_EXCLUSIVE, PS_DEVICE_PRIVATE, PS_SWAP_LIKE, -1 };

static int count_cols(int *cols)
{
	int n = 0;

	if (COLS >= 140) {
		for (int s = 0; s < PS_NR; s++)
			cols[n++] = s;
		return n;
	}
	for (; n < (int)(sizeof(narrow_cols) / sizeof(narrow_cols[0])); n++)
		cols[n] = narrow_cols[n];
	return n;	/* the last, -1, sums the rest */
}

static void fmt_counts(const uint64_t *c, bool counted, const int *cols, int ncols, char *buf, size_t len)
{
	size_t u = 0;

	buf[0] = '\0';
	for (int i = 0; i < ncols && u < len; i++) {
		uint64_t v = 0;

		if (cols[i] >= 0) {
			v = c[cols[i]];
		} else {
			for (int s = 0; s < PS_NR; s++)
				if (s != PS_NONE && s != PS_PRESENT && s != PS_DEVICE_EXCLUSIVE &&
				    s != PS_DEVICE_PRIVATE && s != PS_SWAP_LIKE)
					v += c[s];
		}
		if (!counted)
			u += (size_t)snprintf(buf + u, len - u, "%7s", "?");
		else
			u += (size_t)snprintf(buf + u, len - u, "%7" PRIu64, v);
	}
}

static void draw_vmas(struct tui *ui, int y, int h)
{
	int cols[PS_NR + 1], nc = count_cols(cols);
	bool wide = COLS >= 100;
	char head[200], cnt[128];
	size_t u = 0;
	uint64_t tot[PS_NR];

	for (int i = 0; i < nc; i++)
		u += (size_t)snprintf(head + u, sizeof(head) - u, "%7s",
				      cols[i] >= 0 ? state_table[cols[i]].abbrev : "other");
	tui_model_totals(&ui->m, tot);
	fmt_counts(tot, true, cols, nc, cnt, sizeof(cnt));
	title(ui, y, PANE_VMAS, "%-*s %-4s %7s%s N NAME [%zu/%zu]", wide ? 25 : 12,
	      wide ? "START-END" : "START", "PERM", "PAGES", head, ui->m.nview, ui->m.vmas.n);
	ui->list_rows = h - 2;
	tui_model_scroll(&ui->m, (size_t)(h - 2 > 0 ? h - 2 : 1));
	for (int r = 0; r < h - 2; r++) {
		size_t row = ui->m.top + (size_t)r;
		const struct tui_vma *v;
		char se[40];
		attr_t a;

		if (row >= ui->m.nview) {
			put(y + 1 + r, 0, COLS, A_NORMAL, "%s", "");
			continue;
		}
		v = &ui->m.vmas.v[ui->m.view[row]];
		a = row == ui->m.sel ? A(C_SELECT) | (ui->focus == PANE_VMAS ? A_BOLD : 0) :
		    tui_vma_count(v, PS_DEVICE_EXCLUSIVE) ? A(C_STATE + PS_DEVICE_EXCLUSIVE) : A_NORMAL;
		if (wide)
			snprintf(se, sizeof(se), "%012" PRIx64 "-%012" PRIx64, v->start, v->end);
		else
			snprintf(se, sizeof(se), "%012" PRIx64, v->start);
		fmt_counts(v->counts, v->counted, cols, nc, cnt, sizeof(cnt));
		put(y + 1 + r, 0, COLS, a, "%-*s %-4s %7" PRIu64 "%s %c %s", wide ? 25 : 12, se, v->perms,
		    (v->end - v->start) / ui->t.page_size, cnt, v->notified ? 'N' : ' ',
		    v->name[0] ? v->name : "[anon]");
	}
	fmt_counts(tot, true, cols, nc, cnt, sizeof(cnt));
	put(y + h - 1, 0, COLS, A(C_DIM), "%-*s %-4s %7s%s", wide ? 25 : 12, "total (shown)", "", "", cnt);
}

static void draw_map(struct tui *ui, int y, int h)
{
	struct tui_vma *v = tui_model_selected(&ui->m);
	const struct tui_pagemap *pm = &ui->pm;
	uint64_t cp, cells, cur_cell, psz = ui->t.page_size;
	int rows = h - 3, cols = COLS;

	if (!v || rows < 1) {
		title(ui, y, PANE_MAP, "%s", !v ? "Page map: no VMA selected" : "Page map (enlarge the terminal)");
		ui->map_cols = ui->map_rows = 0;
		return;
	}
	cp = tui_pagemap_cell_pages(pm, (uint64_t)cols * (uint64_t)rows * 16);
	if (cp != ui->cell_pages)
		ui->cur_page = ui->cur_page / cp * cp;
	ui->cell_pages = cp;
	ui->map_cols = cols;
	ui->map_rows = rows;
	cells = (pm->npages + cp - 1) / cp;
	if (ui->cur_page >= pm->npages)
		ui->cur_page = pm->npages ? (pm->npages - 1) / cp * cp : 0;
	cur_cell = ui->cur_page / cp;
	if (cur_cell / (uint64_t)cols < ui->map_top)
		ui->map_top = cur_cell / (uint64_t)cols;
	if (cur_cell / (uint64_t)cols >= ui->map_top + (uint64_t)rows)
		ui->map_top = cur_cell / (uint64_t)cols - (uint64_t)rows + 1;
	title(ui, y, PANE_MAP, "Page map %s %" PRIx64 "-%" PRIx64 ": %" PRIu64 " pages, %" PRIu64
	      " per cell%s%s", v->name[0] ? v->name : "[anon]", v->start, v->end, pm->npages, cp,
	      !v->in_pagemap ? " (not in pagemap)" : pm->done ? "" : " (scanning)",
	      ui->marks.n ? " | marked" : "");
	for (int r = 0; r < rows; r++) {
		move(y + 1 + r, 0);
		for (int c = 0; c < cols; c++) {
			uint64_t cell = (ui->map_top + (uint64_t)r) * (uint64_t)cols + (uint64_t)c;
			int s = cell < cells ? tui_pagemap_state(pm, cell * cp, cp) : TUI_STATE_UNKNOWN;
			attr_t a = s < PS_NR ? A(C_STATE + s) : A_NORMAL;
			char ch = s < PS_NR ? state_char[s] : ' ';

			if (cell < cells && tui_marks_has(&ui->marks, v->start + cell * cp * psz))
				a = A(C_MARK) | A_UNDERLINE | A_BOLD, ch = ch == '.' ? '+' : ch;
			if (cell == cur_cell && cell < cells)
				a |= A_REVERSE;
			attrset(a);
			addch((chtype)(unsigned char)ch);
		}
	}
	attrset(A_NORMAL);
	/* Legend, then the page under the cursor. */
	move(y + 1 + rows, 0);
	for (int s = 0; s < PS_NR && getcurx(stdscr) < COLS - 10; s++) {
		attrset(A(C_STATE + s));
		addch((chtype)(unsigned char)state_char[s]);
		attrset(A_NORMAL);
		printw(" %s  ", state_table[s].abbrev);
	}
	clrtoeol();
	tui_detail(ui, v->start + ui->cur_page * psz);
	if (ui->detail_valid) {
		const struct page_info *pi = &ui->detail;
		char flags[PGF_NR + 1], pfn[32] = "pfn=-";

		for (int f = 0; f < PGF_NR; f++)
			flags[f] = pi->flags & (1u << f) ? flag_table[f].letter : '-';
		flags[PGF_NR] = '\0';
		if (pi->pfn_valid)
			snprintf(pfn, sizeof(pfn), "pfn=0x%" PRIx64, pi->pfn);
		put(y + 2 + rows, 0, COLS, A(C_STATE + pi->state) & ~(attr_t)A_REVERSE,
		    "0x%" PRIx64 " %s %s flags=%s%s%s%s", ui->detail_addr,
		    state_table[pi->state].name, pfn, flags, cp > 1 ? " (first of the cell)" : "",
		    ui->entry_info[0] ? " | " : "", ui->entry_info);
	} else {
		put(y + 2 + rows, 0, COLS, A(C_DIM), "%s", ui->exited ? "process exited" : "");
	}
}

static void draw_notifiers(struct tui *ui, int y, int x, int w, int h)
{
	attrset(A(ui->focus == PANE_NOTIFIERS ? C_TITLE_FOCUS : C_TITLE));
	mvprintw(y, x, "%-*.*s", w, w, "Notifiers (N in the VMA list: covered)");
	attrset(A_NORMAL);
	for (int r = 0; r < h - 1; r++) {
		size_t i = ui->nt_top + (size_t)r;
		const struct tui_notifier *n = &ui->nt[i];
		char line[256];

		if (i >= ui->nnt)
			snprintf(line, sizeof(line), "%s", r == 0 && !ui->nnt ?
				 (ui->have_debugfs ? "no subscribers" : ui->debugfs_reason) : "");
		else if (n->interval)
			snprintf(line, sizeof(line), "interval %" PRIx64 "-%" PRIx64 " %s", n->start,
				 n->last, n->callback[0] ? n->callback : n->ops);
		else
			snprintf(line, sizeof(line), "classic %s", n->callback[0] ? n->callback : n->ops);
		attrset(i >= ui->nnt ? A(C_DIM) : A_NORMAL);
		mvprintw(y + 1 + r, x, "%-*.*s", w, w, line);
	}
	attrset(A_NORMAL);
}

static void draw_events(struct tui *ui, int y, int x, int w, int h)
{
	uint64_t n = ui->ev_frozen < TUI_EVENTS ? ui->ev_frozen : TUI_EVENTS;
	char t[96];

	snprintf(t, sizeof(t), "Events (newest first)%s%s", ui->paused ? " [PAUSED]" : "",
		 ui->ev_seq > ui->ev_frozen ? " +new" : "");
	attrset(A(ui->focus == PANE_EVENTS ? C_TITLE_FOCUS : C_TITLE));
	mvprintw(y, x, "%-*.*s", w, w, t);
	for (int r = 0; r < h - 1; r++) {
		uint64_t k = ui->ev_top + (uint64_t)r;
		const struct tui_event_row *e;

		if (k >= n) {
			attrset(A(C_DIM));
			mvprintw(y + 1 + r, x, "%-*.*s", w, w, r == 0 && !n ?
				 (ui->have_netlink ? "no events yet" : ui->netlink_reason) : "");
			continue;
		}
		e = &ui->ev[(ui->ev_frozen - 1 - k) % TUI_EVENTS];
		attrset(e->cmd == DEVEXCL_CMD_CONVERT ? A(C_STATE + PS_DEVICE_EXCLUSIVE) :
			e->cmd == DEVEXCL_CMD_RESTORE ? A(C_OK) : A(C_STATE + PS_MIGRATION));
		mvprintw(y + 1 + r, x, "%-*.*s", w, w, e->text);
	}
	attrset(A_NORMAL);
}

static void draw_fbar(struct tui *ui)
{
	int y = LINES - 1;

	move(y, 0);
	for (int f = 1; f <= 10; f++)
		for (const struct tui_key *k = tui_keys; k->fn; k++) {
			bool grey = (k->needs_write && !ui->can_write) || (ui->picker && !k->in_picker);

			if (k->fkey != f || !k->flabel || getcurx(stdscr) + 9 > COLS)
				continue;
			attrset(A(C_FKEY));
			printw("F%d", f);
			attrset(grey ? A(C_DIM) : A(C_FLABEL));
			printw("%-6s", k->flabel);
		}
	attrset(A_NORMAL);
	clrtoeol();
}

static void draw_msg(struct tui *ui)
{
	int y = LINES - 2;

	if (ui->mode == MODE_SEARCH || ui->mode == MODE_FILTER) {
		put(y, 0, COLS, A(C_HEADER), "%s: %s_   (Enter: keep, Esc: %s)  %s",
		    ui->mode == MODE_SEARCH ? "Search" : "Filter", ui->edit,
		    ui->mode == MODE_SEARCH ? "cancel" : "clear", ui->msg_warn ? ui->msg : "");
		return;
	}
	put(y, 0, COLS, A(ui->msg_warn ? C_WARN : C_NORMAL), "%s", ui->msg[0] ? ui->msg :
	    ui->picker ? "Enter opens the process; F3 search, F4 filter, F1 help" :
	    ui->error[0] ? ui->error : "Tab: next pane  Space: mark  F1: help");
}

static void box_at(int y, int x, int h, int w, const char *ttl)
{
	for (int r = 0; r < h; r++)
		put(y + r, x, w, A_NORMAL, "%s", "");
	attrset(A_BOLD);
	mvhline(y, x, ACS_HLINE, w);
	mvhline(y + h - 1, x, ACS_HLINE, w);
	mvvline(y, x, ACS_VLINE, h);
	mvvline(y, x + w - 1, ACS_VLINE, h);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	mvaddnstr(y, x + 2, ttl, w - 4);
	attrset(A_NORMAL);
}

/* Print @text from column @x, wrapped at word boundaries; the next row. */
static int wrap(int y, int x, int maxy, const char *text)
{
	int w = COLS - x - 1;

	while (*text && y < maxy && w > 8) {
		int n = (int)strlen(text);

		if (n > w) {
			n = w;
			while (n > w / 2 && text[n] != ' ')
				n--;
		}
		mvaddnstr(y++, x, text, n);
		text += n;
		while (*text == ' ')
			text++;
	}
	return y;
}

static void draw_help(struct tui *ui)
{
	int y = 0, lines = LINES - 1;
	size_t i = 0;

	erase();
	put(y++, 0, COLS, A(C_HEADER), "devexctl tui help (any key closes; Up/Down scroll)");
	if (!ui->can_write)
		put(y++, 0, COLS, A(C_WARN), "greyed actions are disabled: %s", ui->write_reason);
	for (const struct tui_key *k = tui_keys; k->fn && y < lines; k++, i++) {
		if (i < ui->help_top)
			continue;
		attrset(k->needs_write && !ui->can_write ? A(C_DIM) : A_BOLD);
		mvprintw(y, 1, "%-11s", k->keys);
		attrset(k->needs_write && !ui->can_write ? A(C_DIM) : A_NORMAL);
		y = wrap(y, 13, lines, k->help);
	}
	if (y < lines - 1) {
		y++;
		attrset(A_BOLD);
		mvprintw(y++, 1, "Page map legend:");
		attrset(A_NORMAL);
	}
	for (int s = 0; s < PS_NR && y < lines; s++, y++) {
		attrset(A(C_STATE + s));
		mvprintw(y, 3, "%c", state_char[s]);
		attrset(A_NORMAL);
		printw(" %-16s %.*s", state_table[s].name, COLS > 25 ? COLS - 25 : 0, state_table[s].desc);
	}
	attrset(A_NORMAL);
}

static void draw_picker(struct tui *ui)
{
	struct tui_picker *pk = &ui->pk;
	int h = LINES - 4, y = 2;
	size_t rows = tui_picker_rows(pk);

	ui->list_rows = h - 1;
	if (pk->sel < pk->top)
		pk->top = pk->sel;
	if (h > 1 && pk->sel >= pk->top + (size_t)(h - 1))
		pk->top = pk->sel - (size_t)(h - 2);
	put(y, 0, COLS, A(C_TITLE), "%7s %-16s %7s %7s %7s %7s %9s", "PID", "COMMAND",
	    state_table[PS_DEVICE_EXCLUSIVE].abbrev, state_table[PS_SWAP_LIKE].abbrev,
	    state_table[PS_DEVICE_PRIVATE].abbrev, state_table[PS_SWAP].abbrev,
	    state_table[PS_PRESENT].abbrev);
	for (int r = 0; r < h - 1; r++) {
		size_t row = pk->top + (size_t)r;
		struct tui_proc *p = row < rows ? tui_picker_row(pk, row) : NULL;
		attr_t a;

		if (!p) {
			put(y + 1 + r, 0, COLS, A_NORMAL, "%s", "");
			continue;
		}
		a = row == pk->sel ? A(C_SELECT) : p->unreadable ? A(C_DIM) :
		    p->counts[PS_DEVICE_EXCLUSIVE] ? A(C_STATE + PS_DEVICE_EXCLUSIVE) : A_NORMAL;
		if (!p->counted)
			put(y + 1 + r, 0, COLS, a, "%7d %-16s %s", (int)p->pid, p->comm,
			    p->unreadable ? "  (not readable)" : "  ...");
		else
			put(y + 1 + r, 0, COLS, a, "%7d %-16s %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7"
			    PRIu64 " %9" PRIu64, (int)p->pid, p->comm, p->counts[PS_DEVICE_EXCLUSIVE],
			    p->counts[PS_SWAP_LIKE], p->counts[PS_DEVICE_PRIVATE], p->counts[PS_SWAP],
			    p->counts[PS_PRESENT]);
	}
}

void tui_draw(struct tui *ui)
{
	int body, aux, list, map;

	erase();
	if (LINES < 10 || COLS < 40) {
		put(0, 0, COLS, A_BOLD, "terminal too small (%dx%d); need 40x10", COLS, LINES);
		put(1, 0, COLS, A_NORMAL, "q quits");
		refresh();
		return;
	}
	if (ui->mode == MODE_HELP) {
		draw_help(ui);
		draw_fbar(ui);
		refresh();
		return;
	}
	draw_header(ui);
	if (ui->picker) {
		draw_picker(ui);
	} else {
		body = LINES - 4;
		aux = body >= 24 ? body / 4 : body >= 16 ? 4 : 0;
		list = (body - aux) * 45 / 100;
		if (list < 4)
			list = 4;
		map = body - aux - list;
		draw_vmas(ui, 2, list);
		draw_map(ui, 2 + list, map);
		if (aux) {
			int y = 2 + list + map;

			if (COLS >= 100) {
				draw_notifiers(ui, y, 0, COLS / 3, aux);
				draw_events(ui, y, COLS / 3 + 1, COLS - COLS / 3 - 1, aux);
			} else if (ui->focus == PANE_NOTIFIERS) {
				draw_notifiers(ui, y, 0, COLS, aux);
			} else {
				draw_events(ui, y, 0, COLS, aux);
			}
		}
	}
	draw_msg(ui);
	draw_fbar(ui);
	if (ui->mode == MODE_CONFIRM) {
		int w = COLS - 4 < 76 ? COLS - 4 : 76;

		box_at(LINES / 2 - 2, 2, 4, w, " Confirm ");
		put(LINES / 2 - 1, 4, w - 4, A_BOLD, "%s", ui->confirm);
	} else if (ui->mode == MODE_OUTCOME) {
		int w = COLS - 4, h = LINES - 6;

		box_at(2, 2, h, w, ui->out_title);
		for (int r = 0; r < h - 3; r++) {
			size_t i = ui->out_top + (size_t)r;

			if (i < ui->nout)
				put(3 + r, 4, w - 4, strstr(ui->out[i], "error") || strstr(ui->out[i], "FAIL") ?
				    A(C_WARN) : A_NORMAL, "%s", ui->out[i]);
		}
		put(2 + h - 2, 4, w - 4, A(C_DIM), "%s", ui->check_pid > 0 ? "running..." :
		    "any key closes; Up/Down scroll");
	}
	refresh();
}
