// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl tui [PID]: options, curses setup and teardown, the main loop
 * and the refresh cycle.  The loop polls the keyboard, the event socket
 * and a running check; between polls it spends at most WORK_MS walking
 * pages, so keys never wait long whatever the size of the target.  The
 * terminal is restored on every way out: return, exit (atexit), SIGINT,
 * SIGTERM, SIGHUP, and crashes (SIGSEGV, SIGBUS, SIGABRT, SIGFPE).
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "commands.h"
#include "debugfs.h"
#include "errors.h"
#include "range.h"
#include "tui.h"

#define WORK_MS 30		/* walking per loop turn: keys wait at most about this */
#define STEP_PAGES 16384	/* pages per walker call */

static volatile sig_atomic_t sig_quit;
static bool curses_on;

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = false;
		endwin();
	}
}

static void on_quit(int sig)
{
	sig_quit = sig;
}

/* A crash: give the terminal back, then die of the same signal. */
static void on_crash(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

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
	if (ui->phase == PH_IDLE)
		ui->phase = PH_MAPS;
	ui->next_refresh = 0;
	ui->detail_valid = false;
}

bool tui_cursor_range(struct tui *ui, uint64_t *s, uint64_t *e)
{
	struct tui_vma *v = tui_model_selected(&ui->m);
	uint64_t psz = ui->t.page_size, cp = ui->cell_pages ? ui->cell_pages : 1;

	if (ui->picker || !v || !v->in_pagemap || ui->pm.start != v->start || !ui->pm.npages)
		return false;
	*s = v->start + ui->cur_page / cp * cp * psz;
	*e = *s + cp * psz;
	if (*e > v->end)
		*e = v->end;
	return true;
}

int tui_open_pid(struct tui *ui, pid_t pid)
{
	int err;

	if (ui->have_target)
		target_close(&ui->t);
	ui->have_target = false;
	err = target_open(&ui->t, ui->g->proc, ui->g->debugfs, pid);
	if (err) {
		if (!curses_on)
			return err;	/* before the screen: main() reports it */
		tui_message(ui, true, "cannot open %d: %s", (int)pid, err_str(err));
		err_clear();
		target_probe(&ui->t, ui->g->proc, ui->g->debugfs);
		return err;
	}
	ui->have_target = true;
	tui_read_comm(ui->t.root, pid, ui->comm, sizeof(ui->comm));
	ui->exited = false;
	ui->phase = PH_MAPS;
	ui->focus = PANE_VMAS;
	tui_probe_write(ui);
	tui_events_close(ui);
	tui_events_open(ui);
	return 0;
}

/* A zombie keeps its /proc directory but has no mm: gone for us. */
static bool target_gone(struct tui *ui)
{
	char state;

	if (!target_can(&ui->t, SRC_LIVE))
		return false;
	if (!target_alive(&ui->t))
		return true;
	state = target_state(&ui->t);
	return state == 'Z' || state == 'X';
}

static void walk_error(struct tui *ui, int err)
{
	if (err == -ESRCH || target_gone(ui)) {
		ui->exited = true;
		ui->can_write = false;
		snprintf(ui->write_reason, sizeof(ui->write_reason), "the process exited");
		ui->pm.done = true;
	} else {
		snprintf(ui->error, sizeof(ui->error), "walk: %s", err_str(err));
	}
	err_clear();
}

/* The selected VMA changed: walk its page map from the start. */
void tui_follow_selection(struct tui *ui)
{
	struct tui_vma *v = tui_model_selected(&ui->m);
	uint64_t s = v ? v->start : 0, e = v ? v->end : 0;

	if (ui->pm.start == s && ui->pm.end == e && (ui->pm.gstate || !ui->pm.npages))
		return;
	tui_pagemap_reset(&ui->pm, s, e, ui->t.page_size);
	if (ui->map_cols > 0 && ui->map_rows > 0)
		ui->cell_pages = tui_pagemap_cell_pages(&ui->pm, (uint64_t)ui->map_cols *
							(uint64_t)ui->map_rows * 16);
	ui->cur_page = 0;
	ui->map_top = 0;
	ui->marks.n = 0;
	ui->detail_valid = false;
	if (ui->exited)
		ui->pm.done = true;	/* nothing more to read: keep what is known */
}

static void refresh_maps(struct tui *ui)
{
	struct tui_vmalist l;
	int err = tui_vmas_load(&ui->t, &l);

	if (!err && l.n == 0 && target_gone(ui))
		err = -ESRCH;

	if (err) {
		tui_vmas_free(&l);
		walk_error(ui, err);
		ui->phase = PH_IDLE;
		return;
	}
	ui->error[0] = '\0';
	tui_model_set_vmas(&ui->m, &l);
	tui_notifiers_read(ui);
	memset(&ui->cnt, 0, sizeof(ui->cnt));
	tui_follow_selection(ui);
	ui->pm.pos = ui->pm.start;	/* rewalk, keeping the old cells until then */
	ui->pm.done = ui->pm.npages == 0;
	ui->phase = PH_COUNTS;
}

/* Up to WORK_MS of walking; true when something changed on screen. */
static bool work(struct tui *ui)
{
	double t0 = mono_s(), end = t0 + WORK_MS / 1000.0;
	bool changed = false;

	if (ui->picker) {
		while (!ui->pk.done && mono_s() < end) {
			tui_picker_step(&ui->pk, STEP_PAGES * 4);
			changed = true;
		}
		if (ui->pk.done && t0 >= ui->next_refresh) {
			ui->frames++;
			ui->next_refresh = t0 + ui->delay / 10.0;
		}
		return changed;
	}
	if (!ui->have_target)
		return false;
	tui_follow_selection(ui);
	while (mono_s() < end) {
		int rc;

		if (!ui->pm.done && !ui->exited) {
			rc = tui_pagemap_step(&ui->t, tui_model_selected(&ui->m), &ui->pm, STEP_PAGES);
			if (rc < 0) {
				walk_error(ui, rc);
				ui->pm.done = true;
			}
			changed = true;
			continue;
		}
		if (ui->phase == PH_MAPS && !ui->exited) {
			refresh_maps(ui);
			changed = true;
			continue;
		}
		if (ui->phase == PH_COUNTS && !ui->exited) {
			rc = tui_count_step(&ui->t, &ui->m.vmas, &ui->cnt, STEP_PAGES);
			if (rc < 0) {
				walk_error(ui, rc);
				if (ui->cnt.vi < ui->m.vmas.n) {	/* skip what cannot be read */
					ui->m.vmas.v[ui->cnt.vi].counted = true;
					ui->cnt.vi++;
				}
			}
			changed = true;
			if (rc == 1) {
				tui_model_rebuild(&ui->m);
				ui->phase = PH_IDLE;
				ui->frames++;
				ui->next_refresh = mono_s() + ui->delay / 10.0;
			}
			continue;
		}
		if (ui->phase != PH_IDLE)
			ui->phase = PH_IDLE;	/* exited mid-cycle */
		if (!ui->paused && mono_s() >= ui->next_refresh) {
			if (ui->exited) {
				ui->frames++;	/* -n still counts down on a dead target */
				ui->next_refresh = mono_s() + ui->delay / 10.0;
				changed = true;
				break;
			}
			ui->phase = PH_MAPS;
			ui->detail_valid = false;
			continue;
		}
		break;
	}
	return changed;
}

static bool busy(const struct tui *ui)
{
	if (ui->picker)
		return !ui->pk.done;
	return ui->have_target && !ui->exited && (!ui->pm.done || ui->phase != PH_IDLE);
}

static int parse_opts(struct cmd_ctx *c, struct tui *ui)
{
	uint64_t v;

	ui->delay = 10;
	if (c->opt[OPT_DELAY]) {
		if (parse_size(c->opt[OPT_DELAY], &v) || v < 1 || v > 6000)
			return err_usage("tui: bad -d '%s': tenths of a second, 1 to 6000", c->opt[OPT_DELAY]);
		ui->delay = (int)v;
	}
	if (c->opt[OPT_FRAMES]) {
		if (parse_size(c->opt[OPT_FRAMES], &v) || v < 1 || v > 1000000)
			return err_usage("tui: bad -n '%s': a positive number of refreshes", c->opt[OPT_FRAMES]);
		ui->frames_max = (long)v;
	}
	ui->readonly = c->opt[OPT_READONLY] != NULL;
	ui->color = !c->g->no_color && !c->opt[OPT_NO_COLOR] && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	return 0;
}

static void loop(struct tui *ui)
{
	double last_draw = 0;

	while (!ui->quit && !sig_quit) {
		struct pollfd pfd[3] = { { .fd = 0, .events = POLLIN } };
		int nfd = 1, timeout, ch;
		double t = mono_s();

		if (ui->dirty || (busy(ui) && t - last_draw > 0.1)) {
			tui_draw(ui);
			ui->dirty = false;
			last_draw = t;
		}
		if (ui->frames_max && ui->frames >= ui->frames_max)
			break;
		if (busy(ui))
			timeout = 0;
		else if (ui->check_pid > 0 || ui->paused)
			timeout = 100;
		else
			timeout = (int)((ui->next_refresh - t) * 1000) + 1;
		if (timeout > 500 || timeout < 0)
			timeout = timeout < 0 ? 0 : 500;
		if (ui->tr && timeout > 200)
			timeout = 200;	/* the ring buffer has no fd to wake us */
		if (tui_events_fd(ui) >= 0)
			pfd[nfd++] = (struct pollfd){ .fd = tui_events_fd(ui), .events = POLLIN };
		if (ui->check_pid > 0)
			pfd[nfd++] = (struct pollfd){ .fd = ui->check_fd, .events = POLLIN };
		if (poll(pfd, (nfds_t)nfd, timeout) < 0 && errno != EINTR)
			break;
		while ((ch = getch()) != ERR) {
			tui_handle_key(ui, ch);
			if (ui->quit)
				break;
		}
		tui_events_read(ui);
		tui_check_poll(ui);
		if (work(ui))
			ui->dirty = true;
	}
	if (ui->frames_max)
		tui_draw(ui);	/* the last frame stays on screen for scripts */
}

static void install_signals(void)
{
	struct sigaction q = { .sa_handler = on_quit }, c = { .sa_handler = on_crash };
	static const int crash[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };

	sigaction(SIGINT, &q, NULL);
	sigaction(SIGTERM, &q, NULL);
	sigaction(SIGHUP, &q, NULL);
	for (size_t i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		sigaction(crash[i], &c, NULL);
}

int cmd_tui(struct cmd_ctx *c)
{
	static struct tui ui;	/* large (event ring); one per process */
	SCREEN *scr;
	pid_t pid = 0;
	int err;

	memset(&ui, 0, sizeof(ui));
	ui.g = c->g;
	ui.check_fd = -1;
	tui_model_init(&ui.m);
	err = parse_opts(c, &ui);
	if (!err && c->argc > 0)
		err = parse_pid(c->argv[0], &pid);
	if (err)
		return err;
	if (pid) {
		if ((err = tui_open_pid(&ui, pid)) != 0)
			return err;
	} else {
		ui.picker = true;
		err = target_probe(&ui.t, c->g->proc, c->g->debugfs);
		if (!err)
			err = tui_picker_load(&ui.pk, c->g->proc);
		if (!err && target_can(&ui.t, SRC_LIVE) && dfs_require(c->g->debugfs) == 0)
			ui.pk.debugfs = c->g->debugfs;
		err_clear();
		if (err)
			return err;
	}
	if (c->g->json || !isatty(0) || !isatty(1)) {
		if (ui.have_target)
			target_close(&ui.t);
		tui_picker_free(&ui.pk);
		if (c->g->json)
			return err_usage("tui has no JSON output: its views are 'maps', 'pages', "
					 "'entries' and 'notifiers' with --json");
		return err_usage("tui needs a terminal on stdin and stdout");
	}
	scr = newterm(NULL, stdout, stdin);
	if (!scr)
		return err_set(-ENOTTY, "tui: cannot initialise the terminal (TERM=%s)",
			       getenv("TERM") ? getenv("TERM") : "");
	curses_on = true;
	atexit(restore_terminal);
	install_signals();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	tui_colors_init(ui.color);
	ui.dirty = true;
	loop(&ui);
	restore_terminal();
	if (ui.check_pid > 0) {
		kill(ui.check_pid, SIGTERM);
		close(ui.check_fd);
	}
	tui_events_close(&ui);
	tui_outcome_free(&ui);
	tui_pagemap_free(&ui.pm);
	tui_model_free(&ui.m);
	tui_picker_free(&ui.pk);
	if (ui.have_target)
		target_close(&ui.t);
	return sig_quit == SIGTERM || sig_quit == SIGHUP ? 128 + sig_quit : 0;
}
