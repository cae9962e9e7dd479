// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl tui [PID | --replay FILE]: options, curses setup and teardown,
 * the main loop and the refresh cycle.  The loop polls the keyboard, the
 * event socket and a running check; between polls it spends at most
 * WORK_MS walking pages (or asks the replay, tui_replay.c), so keys never
 * wait long whatever the size of the target.  The terminal is restored on
 * every way out: return, exit (atexit), SIGINT, SIGTERM, SIGHUP, and
 * crashes (SIGSEGV, SIGBUS, SIGABRT, SIGFPE).
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
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
#include "tui_paint.h"

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

/* A zombie keeps its /proc directory but has no mm: gone for us. */
static bool target_gone(struct tui *ui)
{
	char state;

	if (!target_can(&ui->k.t, SRC_LIVE))
		return false;
	if (!target_alive(&ui->k.t))
		return true;
	state = target_state(&ui->k.t);
	return state == 'Z' || state == 'X';
}

static void walk_error(struct tui *ui, int err)
{
	if (err == -ESRCH || target_gone(ui)) {
		ui->d.exited = true;
		ui->k.can_write = false;
		snprintf(ui->k.write_reason, sizeof(ui->k.write_reason), "the process exited");
		ui->d.pm.done = true;
	} else {
		snprintf(ui->d.error, sizeof(ui->d.error), "walk: %s", err_str(err));
	}
	err_clear();
}

static void refresh_maps(struct tui *ui)
{
	struct tui_vmalist l;
	int err = tui_vmas_load(&ui->k.t, &l);

	if (!err && l.n == 0 && target_gone(ui))
		err = -ESRCH;

	if (err) {
		tui_vmas_free(&l);
		walk_error(ui, err);
		ui->d.phase = PH_IDLE;
		return;
	}
	ui->d.error[0] = '\0';
	tui_vmapanel_set_vmas(&ui->vp, &l);
	tui_notifiers_read(ui);
	memset(&ui->d.cnt, 0, sizeof(ui->d.cnt));
	tui_follow_selection(ui);
	ui->d.pm.pos = ui->d.pm.start;	/* rewalk, keeping the old cells until then */
	ui->d.pm.done = ui->d.pm.npages == 0;
	ui->d.phase = PH_COUNTS;
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
		if (ui->pk.done && t0 >= ui->d.next_refresh) {
			ui->d.frames++;
			ui->d.next_refresh = t0 + ui->delay / 10.0;
		}
		return changed;
	}
	if (ui->k.rp)
		return tui_replay_work(ui);
	if (!ui->k.have_target)
		return false;
	tui_follow_selection(ui);
	while (mono_s() < end) {
		int rc;

		if (!ui->d.pm.done && !ui->d.exited) {
			rc = tui_pagemap_step(&ui->k.t, tui_vmapanel_selected(&ui->vp), &ui->d.pm, STEP_PAGES);
			if (rc < 0) {
				walk_error(ui, rc);
				ui->d.pm.done = true;
			}
			changed = true;
			continue;
		}
		if (ui->d.phase == PH_MAPS && !ui->d.exited) {
			refresh_maps(ui);
			changed = true;
			continue;
		}
		if (ui->d.phase == PH_COUNTS && !ui->d.exited) {
			rc = tui_count_step(&ui->k.t, &ui->vp.vmas, &ui->d.cnt, STEP_PAGES);
			if (rc < 0) {
				walk_error(ui, rc);
				if (ui->d.cnt.vi < ui->vp.vmas.n) {	/* skip what cannot be read */
					ui->vp.vmas.v[ui->d.cnt.vi].counted = true;
					ui->d.cnt.vi++;
				}
			}
			changed = true;
			if (rc == 1) {
				tui_vmapanel_rebuild(&ui->vp);
				ui->d.phase = PH_IDLE;
				ui->d.frames++;
				ui->d.next_refresh = mono_s() + ui->delay / 10.0;
			}
			continue;
		}
		if (ui->d.phase != PH_IDLE)
			ui->d.phase = PH_IDLE;	/* exited mid-cycle */
		if (!ui->paused && mono_s() >= ui->d.next_refresh) {
			if (ui->d.exited) {
				ui->d.frames++;	/* -n still counts down on a dead target */
				ui->d.next_refresh = mono_s() + ui->delay / 10.0;
				changed = true;
				break;
			}
			ui->d.phase = PH_MAPS;
			ui->d.detail_valid = false;
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
	if (ui->k.rp)
		return ui->d.replay.stale || !ui->d.pm.done;
	return ui->k.have_target && !ui->d.exited && (!ui->d.pm.done || ui->d.phase != PH_IDLE);
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
	if (c->opt[OPT_REPLAY] && c->argc > 0)
		return err_usage("tui: --replay FILE or a PID, not both: a replay shows a recording, "
				 "not a process");
	ui->readonly = c->opt[OPT_READONLY] != NULL;
	ui->color = !c->g->no_color && !c->opt[OPT_NO_COLOR] && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	return 0;
}

/* Lay the panes out, read what they show that the loop has not, draw. */
static void show(struct tui *ui)
{
	tui_layout(ui);
	if (!ui->picker && ui->k.have_target && !ui->geo.too_small)
		tui_target_detail(ui);
	else if (ui->k.rp && !ui->geo.too_small)
		tui_replay_detail(ui);
	tui_draw(ui);
}

static void loop(struct tui *ui)
{
	double last_draw = 0;

	while (!ui->quit && !sig_quit) {
		struct pollfd pfd[3] = { { .fd = 0, .events = POLLIN } };
		int nfd = 1, timeout, ch;
		double t = mono_s();

		if (ui->dirty || (busy(ui) && t - last_draw > 0.1)) {
			show(ui);
			ui->dirty = false;
			last_draw = t;
		}
		if (ui->frames_max && ui->d.frames >= ui->frames_max)
			break;
		if (busy(ui))
			timeout = 0;
		else if (ui->k.check_pid > 0 || ui->paused)
			timeout = 100;
		else
			timeout = (int)((ui->d.next_refresh - t) * 1000) + 1;
		if (timeout > 500 || timeout < 0)
			timeout = timeout < 0 ? 0 : 500;
		if (ui->k.tr && timeout > 200)
			timeout = 200;	/* the ring buffer has no fd to wake us */
		if (tui_events_fd(ui) >= 0)
			pfd[nfd++] = (struct pollfd){ .fd = tui_events_fd(ui), .events = POLLIN };
		if (ui->k.check_pid > 0)
			pfd[nfd++] = (struct pollfd){ .fd = ui->k.check_fd, .events = POLLIN };
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
		show(ui);	/* the last frame stays on screen for scripts */
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
	ui.k.check_fd = -1;
	tui_vmapanel_init(&ui.vp);
	err = parse_opts(c, &ui);
	if (!err && c->argc > 0)
		err = parse_pid(c->argv[0], &pid);
	if (err)
		return err;
	if (c->opt[OPT_REPLAY]) {
		if ((err = tui_replay_open(&ui, c->opt[OPT_REPLAY])) != 0)
			return err;
	} else if (pid) {
		if ((err = tui_open_pid(&ui, pid)) != 0)
			return err;
	} else {
		ui.picker = true;
		err = target_probe(&ui.k.t, c->g->proc, c->g->debugfs);
		if (!err)
			err = tui_picker_load(&ui.pk, c->g->proc);
		if (!err && target_can(&ui.k.t, SRC_LIVE) && dfs_require(c->g->debugfs) == 0)
			ui.pk.debugfs = c->g->debugfs;
		err_clear();
		if (err)
			return err;
	}
	if (c->g->json || !isatty(0) || !isatty(1)) {
		if (ui.k.have_target)
			target_close(&ui.k.t);
		tui_picker_free(&ui.pk);
		tui_replay_close(&ui);
		tui_vmapanel_free(&ui.vp);
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
	if (ui.k.check_pid > 0) {
		kill(ui.k.check_pid, SIGTERM);
		close(ui.k.check_fd);
	}
	tui_events_close(&ui);
	tui_outcome_free(&ui);
	tui_pagemap_free(&ui.d.pm);
	tui_vmapanel_free(&ui.vp);
	tui_picker_free(&ui.pk);
	tui_replay_close(&ui);
	if (ui.k.have_target)
		target_close(&ui.k.t);
	return sig_quit == SIGTERM || sig_quit == SIGHUP ? 128 + sig_quit : 0;
}
