// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui's layout and panes: header, VMA list, page map with legend and
 * the page under the cursor, notifier and event panes, the message line
 * and the F-key bar (tui_overlay.c draws help, picker and dialogs over
 * them).  tui_layout() places the panes from LINES x COLS and keeps each
 * cursor in view, so a resize is a new layout; drawing then only reads the
 * state (const), so nothing on screen can trigger a walk or a kernel read.
 * Below 40x10 only a notice is drawn.
 */
#include "config.h"

#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"
#include "tui_paint.h"

static void title(const struct tui *ui, int y, enum tui_pane p, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void title(const struct tui *ui, int y, enum tui_pane p, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tui_put(y, 0, COLS, tui_attr(ui->focus == p && !ui->picker ? C_TITLE_FOCUS : C_TITLE), "%s", buf);
}

static void draw_header(const struct tui *ui)
{
	const struct tui_replay_status *rs = &ui->d.replay;
	char l2[320];
	size_t u = 0;

#define ADD2(...) do { if (u < sizeof(l2)) u += (size_t)snprintf(l2 + u, sizeof(l2) - u, __VA_ARGS__); } while (0)
	if (ui->picker)
		tui_put(0, 0, COLS, tui_attr(C_HEADER), "pick a process (%s) | kernel %s | %zu processes%s",
		    ui->pk.root, ui->k.t.release, ui->pk.n, ui->pk.done ? "" : " | counting...");
	else if (rs->on)
		tui_put(0, 0, COLS, tui_attr(C_HEADER), "pid %d %s | %s | replay of %s",
		    (int)ui->k.t.pid, ui->d.comm, rs->kernel[0] ? rs->kernel : "?", rs->path);
	else
		tui_put(0, 0, COLS, tui_attr(C_HEADER), "pid %d %s | %s | %s | pagemap%s%s %sdebugfs %sevents",
		    (int)ui->k.t.pid, ui->d.comm, ui->k.t.release, ui->k.t.ops->name,
		    ui->k.t.pfn_visible ? "+PFN" : "", ui->k.t.has_scan ? " scan" : "",
		    ui->k.have_debugfs ? "" : "-", ui->k.have_events ? "" : "-");
	if (rs->on)	/* the time cursor, where the live view has its refresh */
		ADD2("REPLAY %.3fs of %.3fs | event %zu/%zu | source %s", rs->cur_ns / 1e9,
		     rs->span_ns / 1e9, rs->pos, rs->n, rs->source);
	else
		ADD2("refresh %d.%ds%s", ui->delay / 10, ui->delay % 10, ui->paused ? " [PAUSED]" : "");
	if (!ui->picker) {
		ADD2(" | sort %s%s", tui_sort_names[ui->vp.sort], ui->vp.sort_reverse ? " (rev)" : "");
		if (ui->vp.filter[0])
			ADD2(" | filter '%s'", ui->vp.filter);
	} else if (ui->pk.filter[0]) {
		ADD2(" | filter '%s'", ui->pk.filter);
	}
	if (!ui->k.t.pfn_visible && !rs->on)
		ADD2(" | restricted view: no CAP_SYS_ADMIN");
	if (ui->readonly)
		ADD2(" | read-only");
	if (!ui->picker && ui->d.phase != PH_IDLE && !ui->d.exited)
		ADD2(" | scanning %zu/%zu", ui->d.cnt.vi, ui->vp.vmas.n);
#undef ADD2
	tui_put(1, 0, COLS, tui_attr(ui->d.exited ? C_WARN : C_NORMAL), "%s%s%s", ui->d.exited ? "process exited | " : "",
	    l2, ui->d.error[0] && !ui->d.exited ? " | error" : "");
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

static void draw_vmas(const struct tui *ui, int y, int h)
{
	int cols[PS_NR + 1], nc = count_cols(cols);
	bool wide = COLS >= 100;
	char head[200], cnt[128];
	size_t u = 0;
	uint64_t tot[PS_NR];

	for (int i = 0; i < nc; i++)
		u += (size_t)snprintf(head + u, sizeof(head) - u, "%7s",
				      cols[i] >= 0 ? state_table[cols[i]].abbrev : "other");
	tui_vmapanel_totals(&ui->vp, tot);
	fmt_counts(tot, true, cols, nc, cnt, sizeof(cnt));
	title(ui, y, PANE_VMAS, "%-*s %-4s %7s%s N NAME [%zu/%zu]", wide ? 25 : 12,
	      wide ? "START-END" : "START", "PERM", "PAGES", head, ui->vp.nview, ui->vp.vmas.n);
	for (int r = 0; r < h - 2; r++) {
		size_t row = ui->vp.top + (size_t)r;
		const struct tui_vma *v;
		char se[40];
		attr_t a;

		if (row >= ui->vp.nview) {
			tui_put(y + 1 + r, 0, COLS, A_NORMAL, "%s", "");
			continue;
		}
		v = &ui->vp.vmas.v[ui->vp.view[row]];
		a = row == ui->vp.sel ? tui_attr(C_SELECT) | (ui->focus == PANE_VMAS ? A_BOLD : 0) :
		    tui_vma_count(v, PS_DEVICE_EXCLUSIVE) ? tui_attr(C_STATE + PS_DEVICE_EXCLUSIVE) : A_NORMAL;
		if (wide)
			snprintf(se, sizeof(se), "%012" PRIx64 "-%012" PRIx64, v->start, v->end);
		else
			snprintf(se, sizeof(se), "%012" PRIx64, v->start);
		fmt_counts(v->counts, v->counted, cols, nc, cnt, sizeof(cnt));
		tui_put(y + 1 + r, 0, COLS, a, "%-*s %-4s %7" PRIu64 "%s %c %s", wide ? 25 : 12, se, v->perms,
		    (v->end - v->start) / ui->k.t.page_size, cnt, v->notified ? 'N' : ' ',
		    v->name[0] ? v->name : "[anon]");
	}
	fmt_counts(tot, true, cols, nc, cnt, sizeof(cnt));
	tui_put(y + h - 1, 0, COLS, tui_attr(C_DIM), "%-*s %-4s %7s%s", wide ? 25 : 12, "total (shown)", "", "", cnt);
}

static void draw_map(const struct tui *ui, int y, int h)
{
	const struct tui_vma *v = tui_vmapanel_selected(&ui->vp);
	const struct tui_pagemap *pm = &ui->d.pm;
	uint64_t cp = ui->map.cell_pages, cells, cur_cell, psz = ui->k.t.page_size;
	int rows = ui->map.rows, cols = ui->map.cols;

	if (!v || rows < 1) {
		title(ui, y, PANE_MAP, "%s", !v ? "Page map: no VMA selected" : "Page map (enlarge the terminal)");
		return;
	}
	cells = (pm->npages + cp - 1) / cp;
	cur_cell = ui->map.cur_page / cp;
	title(ui, y, PANE_MAP, "Page map %s %" PRIx64 "-%" PRIx64 ": %" PRIu64 " pages, %" PRIu64
	      " per cell%s%s", v->name[0] ? v->name : "[anon]", v->start, v->end, pm->npages, cp,
	      !v->in_pagemap ? " (not in pagemap)" : pm->done ? "" : " (scanning)",
	      ui->map.marks.n ? " | marked" : "");
	for (int r = 0; r < rows; r++) {
		move(y + 1 + r, 0);
		for (int c = 0; c < cols; c++) {
			uint64_t cell = (ui->map.top + (uint64_t)r) * (uint64_t)cols + (uint64_t)c;
			int s = cell < cells ? tui_pagemap_state(pm, cell * cp, cp) : TUI_STATE_UNKNOWN;
			attr_t a = s < PS_NR ? tui_attr(C_STATE + s) : A_NORMAL;
			char ch = s < PS_NR ? tui_state_char[s] : ' ';

			if (cell < cells && tui_marks_has(&ui->map.marks, v->start + cell * cp * psz))
				a = tui_attr(C_MARK) | A_UNDERLINE | A_BOLD, ch = ch == '.' ? '+' : ch;
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
		attrset(tui_attr(C_STATE + s));
		addch((chtype)(unsigned char)tui_state_char[s]);
		attrset(A_NORMAL);
		printw(" %s  ", state_table[s].abbrev);
	}
	clrtoeol();
	if (ui->d.detail_valid && ui->d.detail_addr == v->start + ui->map.cur_page * psz) {
		const struct page_info *pi = &ui->d.detail;
		char flags[PGF_NR + 1], pfn[32] = "pfn=-";

		flag_letters(pi->flags, '-', flags);
		if (pi->pfn_valid)
			snprintf(pfn, sizeof(pfn), "pfn=0x%" PRIx64, pi->pfn);
		if (ui->d.replay.on)	/* a recording keeps states, no PFN or flags */
			pfn[0] = flags[0] = '\0';
		tui_put(y + 2 + rows, 0, COLS, tui_attr(C_STATE + pi->state) & ~(attr_t)A_REVERSE,
		    "0x%" PRIx64 " %s%s%s%s%s%s%s%s", ui->d.detail_addr, state_table[pi->state].name,
		    pfn[0] ? " " : "", pfn, flags[0] ? " flags=" : "", flags,
		    cp > 1 ? " (first of the cell)" : "", ui->d.entry_info[0] ? " | " : "",
		    ui->d.entry_info);
	} else {
		tui_put(y + 2 + rows, 0, COLS, tui_attr(C_DIM), "%s", ui->d.exited ? "process exited" : "");
	}
}

static void draw_notifiers(const struct tui *ui, int y, int x, int w, int h)
{
	attrset(tui_attr(ui->focus == PANE_NOTIFIERS ? C_TITLE_FOCUS : C_TITLE));
	mvprintw(y, x, "%-*.*s", w, w, "Notifiers (N in the VMA list: covered)");
	attrset(A_NORMAL);
	for (int r = 0; r < h - 1; r++) {
		size_t i = ui->nt_top + (size_t)r;
		const struct dx_sub *n = &ui->d.nt[i];
		char line[256];

		if (i >= ui->d.nnt)
			snprintf(line, sizeof(line), "%s", r == 0 && !ui->d.nnt ?
				 (ui->k.have_debugfs ? "no subscribers" : ui->k.debugfs_reason) : "");
		else if (n->interval)
			snprintf(line, sizeof(line), "interval %" PRIx64 "-%" PRIx64 " %s", n->start,
				 n->last, n->callback[0] ? n->callback : n->ops);
		else
			snprintf(line, sizeof(line), "classic %s", n->callback[0] ? n->callback : n->ops);
		attrset(i >= ui->d.nnt ? tui_attr(C_DIM) : A_NORMAL);
		mvprintw(y + 1 + r, x, "%-*.*s", w, w, line);
	}
	attrset(A_NORMAL);
}

static void draw_events(const struct tui *ui, int y, int x, int w, int h)
{
	uint64_t n = ui->ev_frozen < TUI_EVENTS ? ui->ev_frozen : TUI_EVENTS;
	bool replay = ui->d.replay.on;
	char t[96];

	if (replay)
		snprintf(t, sizeof(t), "Events up to the cursor (newest last)");
	else
		snprintf(t, sizeof(t), "Events (newest first)%s%s", ui->paused ? " [PAUSED]" : "",
			 ui->d.ev_seq > ui->ev_frozen ? " +new" : "");
	attrset(tui_attr(ui->focus == PANE_EVENTS ? C_TITLE_FOCUS : C_TITLE));
	mvprintw(y, x, "%-*.*s", w, w, t);
	for (int r = 0; r < h - 1; r++) {
		/* k: rows from the newest, which a replay shows at the bottom */
		uint64_t k = ui->ev_top + (uint64_t)(replay ? h - 2 - r : r);
		const struct tui_event_row *e;

		if (k >= n) {
			attrset(tui_attr(C_DIM));
			mvprintw(y + 1 + r, x, "%-*.*s", w, w, r == (replay ? h - 2 : 0) && !n ?
				 (ui->k.have_events ? "no events yet" : ui->k.events_reason) : "");
			continue;
		}
		e = &ui->d.ev[(ui->ev_frozen - 1 - k) % TUI_EVENTS];
		attrset(e->kind == DX_SET ? tui_attr(C_STATE + PS_DEVICE_EXCLUSIVE) :
			e->kind == DX_RESTORE ? tui_attr(C_OK) :
			e->kind == DX_LOST || e->kind == DX_REMOVE ? tui_attr(C_WARN) :
			tui_attr(C_STATE + PS_MIGRATION));
		mvprintw(y + 1 + r, x, "%-*.*s", w, w, e->text);
	}
	attrset(A_NORMAL);
}

static void draw_fbar(const struct tui *ui)
{
	int y = LINES - 1;

	move(y, 0);
	for (int f = 1; f <= 10; f++)
		for (const struct tui_key *k = tui_keys; k->fn; k++) {
			bool grey = (k->needs_write && !ui->k.can_write) || (ui->picker && !k->in_picker);
			char fname[8];

			if (tui_key_fnum(k->codes[0]) != f || !k->flabel ||
			    getcurx(stdscr) + 9 > COLS)
				continue;
			tui_key_label(k->codes[0], fname, sizeof(fname));
			attrset(tui_attr(C_FKEY));
			printw("%s", fname);
			attrset(grey ? tui_attr(C_DIM) : tui_attr(C_FLABEL));
			printw("%-6s", k->flabel);
		}
	attrset(A_NORMAL);
	clrtoeol();
}

static void draw_msg(const struct tui *ui)
{
	int y = LINES - 2;

	if (ui->mode == MODE_SEARCH || ui->mode == MODE_FILTER) {
		tui_put(y, 0, COLS, tui_attr(C_HEADER), "%s: %s_   (Enter: keep, Esc: %s)  %s",
		    ui->mode == MODE_SEARCH ? "Search" : "Filter", ui->edit,
		    ui->mode == MODE_SEARCH ? "cancel" : "clear", ui->msg_warn ? ui->msg : "");
		return;
	}
	tui_put(y, 0, COLS, tui_attr(ui->msg_warn ? C_WARN : C_NORMAL), "%s", ui->msg[0] ? ui->msg :
	    ui->picker ? "Enter opens the process; F3 search, F4 filter, F1 help" :
	    ui->d.error[0] ? ui->d.error :
	    ui->d.replay.on ? ", . one event  [ ] a tenth  { } start/end  Tab: next pane  F1: help" :
	    "Tab: next pane  Space: mark  F1: help");
}

/* The page map's zoom, size and scrolling, with the cursor kept on a cell in view. */
static void layout_map(struct tui *ui, int h)
{
	const struct tui_vma *v = tui_vmapanel_selected(&ui->vp);
	const struct tui_pagemap *pm = &ui->d.pm;
	struct tui_map_view *mv = &ui->map;
	int rows = h - 3, cols = COLS;
	uint64_t cp, cur_row;

	if (!v || rows < 1) {
		mv->cols = mv->rows = 0;
		return;
	}
	cp = tui_pagemap_cell_pages(pm, (uint64_t)cols * (uint64_t)rows * 16);
	if (cp != mv->cell_pages)
		mv->cur_page = mv->cur_page / cp * cp;
	mv->cell_pages = cp;
	mv->cols = cols;
	mv->rows = rows;
	if (mv->cur_page >= pm->npages)
		mv->cur_page = pm->npages ? (pm->npages - 1) / cp * cp : 0;
	cur_row = mv->cur_page / cp / (uint64_t)cols;
	if (cur_row < mv->top)
		mv->top = cur_row;
	if (cur_row >= mv->top + (uint64_t)rows)
		mv->top = cur_row - (uint64_t)rows + 1;
}

void tui_layout(struct tui *ui)
{
	struct tui_geom *g = &ui->geo;
	int body = LINES - 4;

	g->too_small = LINES < 10 || COLS < 40;
	if (g->too_small)
		return;	/* nothing is drawn: keep the last layout's cursors */
	if (ui->picker) {
		g->list_y = 2;
		g->list_h = body;
		g->list_rows = body - 1;
		tui_picker_scroll(&ui->pk, (size_t)(body > 1 ? body - 1 : 1));
		return;
	}
	g->aux_h = body >= 24 ? body / 4 : body >= 16 ? 4 : 0;
	g->list_h = (body - g->aux_h) * 45 / 100;
	if (g->list_h < 4)
		g->list_h = 4;
	g->map_h = body - g->aux_h - g->list_h;
	g->list_y = 2;
	g->map_y = g->list_y + g->list_h;
	g->aux_y = g->map_y + g->map_h;
	g->aux_split = COLS >= 100;
	g->list_rows = g->list_h - 2;
	tui_vmapanel_scroll(&ui->vp, (size_t)(g->list_rows > 0 ? g->list_rows : 1));
	layout_map(ui, g->map_h);
}

void tui_draw(const struct tui *ui)
{
	const struct tui_geom *g = &ui->geo;

	erase();
	if (g->too_small) {
		tui_put(0, 0, COLS, A_BOLD, "terminal too small (%dx%d); need 40x10", COLS, LINES);
		tui_put(1, 0, COLS, A_NORMAL, "q quits");
		refresh();
		return;
	}
	if (ui->mode == MODE_HELP) {
		tui_draw_help(ui);
		draw_fbar(ui);
		refresh();
		return;
	}
	draw_header(ui);
	if (ui->picker) {
		tui_draw_picker(ui);
	} else {
		draw_vmas(ui, g->list_y, g->list_h);
		draw_map(ui, g->map_y, g->map_h);
		if (g->aux_h && g->aux_split) {
			draw_notifiers(ui, g->aux_y, 0, COLS / 3, g->aux_h);
			draw_events(ui, g->aux_y, COLS / 3 + 1, COLS - COLS / 3 - 1, g->aux_h);
		} else if (g->aux_h && ui->focus == PANE_NOTIFIERS) {
			draw_notifiers(ui, g->aux_y, 0, COLS, g->aux_h);
		} else if (g->aux_h) {
			draw_events(ui, g->aux_y, 0, COLS, g->aux_h);
		}
	}
	draw_msg(ui);
	draw_fbar(ui);
	tui_draw_dialog(ui);
	refresh();
}
