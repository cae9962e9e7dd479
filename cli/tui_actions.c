// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui's actions on the kernel: convert the page under the cursor (or
 * the marked pages) to device-exclusive entries, revert them, run 'check'
 * on them.  Each asks first, then shows every page's outcome as the
 * debugfs answer gave it.  Check runs 'devexctl check' as a child and
 * reads its report without blocking, so its verdicts are the command's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "debugfs.h"
#include "errors.h"
#include "tui.h"

static const char *const action_verb[] = {
	[ACT_CONVERT] = "convert to device-exclusive", [ACT_REVERT] = "revert",
	[ACT_CHECK] = "run the invariant checks on",
};

void tui_outcome_free(struct tui *ui)
{
	for (size_t i = 0; i < ui->dlg.nout; i++)
		free(ui->dlg.out[i]);
	free(ui->dlg.out);
	ui->dlg.out = NULL;
	ui->dlg.nout = ui->dlg.top = 0;
}

void tui_outcome_add(struct tui *ui, const char *fmt, ...)
{
	char **n = realloc(ui->dlg.out, (ui->dlg.nout + 1) * sizeof(*n));
	va_list ap;

	if (!n)
		return;
	ui->dlg.out = n;
	va_start(ap, fmt);
	if (vasprintf(&n[ui->dlg.nout], fmt, ap) >= 0)
		ui->dlg.nout++;
	va_end(ap);
}

/* The ranges to act on: the marks, else the cell under the cursor. */
static unsigned int action_ranges(struct tui *ui, uint64_t *s, uint64_t *e, unsigned int max)
{
	unsigned int n = 0;

	if (ui->map.marks.n) {
		for (unsigned int i = 0; i < ui->map.marks.n && n < max; i++, n++) {
			s[n] = ui->map.marks.start[i];
			e[n] = ui->map.marks.end[i];
		}
		return n;
	}
	return tui_cursor_range(ui, &s[0], &e[0]) ? 1 : 0;
}

void tui_action_ask(struct tui *ui, enum tui_action a)
{
	uint64_t s[TUI_MAX_MARKS], e[TUI_MAX_MARKS], pages = 0;
	unsigned int n;

	if (!ui->k.can_write) {
		tui_message(ui, true, "%s is disabled: %s", a == ACT_CHECK ? "check" :
			    a == ACT_CONVERT ? "convert" : "revert", ui->k.write_reason);
		return;
	}
	if (ui->k.check_pid > 0) {
		tui_message(ui, true, "a check is still running");
		return;
	}
	n = action_ranges(ui, s, e, TUI_MAX_MARKS);
	for (unsigned int i = 0; i < n; i++)
		pages += (e[i] - s[i]) / ui->k.t.page_size;
	if (!n || !pages) {
		tui_message(ui, true, "no page selected: move to the page map (Tab)");
		return;
	}
	if (pages > TUI_MAX_ACTION_PAGES) {
		tui_message(ui, true, "%" PRIu64 " pages selected; at most %d at once (zoom in or mark fewer)",
			    pages, TUI_MAX_ACTION_PAGES);
		return;
	}
	ui->dlg.pending = a;
	snprintf(ui->dlg.confirm, sizeof(ui->dlg.confirm), "%s %" PRIu64 " page%s at 0x%" PRIx64 "%s of pid %d? [y/N]",
		 action_verb[a], pages, pages == 1 ? "" : "s", s[0], n > 1 ? " (and more marks)" : "",
		 (int)ui->k.t.pid);
	ui->mode = MODE_CONFIRM;
}

struct outcome_ctx {
	struct tui *ui;
	unsigned int ok, failed;
};

static int outcome_line(void *ctx, char *line)
{
	struct outcome_ctx *o = ctx;
	struct dx_outcome r;
	int rc = rec_outcome_parse(line, &r);

	if (rc <= 0) {
		err_clear();
		tui_outcome_add(o->ui, "%s", line);
		return 0;
	}
	if (r.err) {
		o->failed++;
		tui_outcome_add(o->ui, "0x%" PRIx64 " error %d (%s)", r.addr, r.err, err_str(r.err));
		return 0;
	}
	o->ok++;
	tui_outcome_add(o->ui, "0x%" PRIx64 " %s", r.addr, r.rest);
	return 0;
}

static void check_start(struct tui *ui, uint64_t s, uint64_t e)
{
	char range[64], pid[16], *argv[12];
	posix_spawn_file_actions_t fa;
	int fds[2], i = 0, err;

	snprintf(range, sizeof(range), "0x%" PRIx64 "-0x%" PRIx64, s, e);
	snprintf(pid, sizeof(pid), "%d", (int)ui->k.t.pid);
	if (pipe2(fds, O_CLOEXEC)) {
		tui_outcome_add(ui, "pipe: %s", strerror(errno));
		return;
	}
	argv[i++] = "devexctl";
	argv[i++] = "--debugfs";
	argv[i++] = (char *)ui->g->debugfs;
	argv[i++] = "--proc";
	argv[i++] = (char *)ui->g->proc;
	argv[i++] = "check";
	argv[i++] = pid;
	argv[i++] = range;
	argv[i++] = "--max-pages";
	argv[i++] = "64";
	argv[i] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	/* As root, check gets what tui kept (caps.c: the bounding set). */
	err = posix_spawn(&ui->k.check_pid, "/proc/self/exe", &fa, NULL, argv, NULL);
	if (err) {
		ui->k.check_pid = 0;
		tui_outcome_add(ui, "cannot start devexctl check: %s", strerror(err));
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (ui->k.check_pid <= 0) {
		close(fds[0]);
		return;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	ui->k.check_fd = fds[0];
	ui->k.check_len = 0;
	tui_outcome_add(ui, "$ devexctl check %s %s   (running...)", pid, range);
}

void tui_check_poll(struct tui *ui)
{
	char buf[4096];
	ssize_t n;
	int status;

	if (ui->k.check_pid <= 0)
		return;
	while ((n = read(ui->k.check_fd, buf, sizeof(buf))) > 0) {
		char *nb = realloc(ui->k.check_buf, ui->k.check_len + (size_t)n + 1);

		if (!nb)
			break;
		ui->k.check_buf = nb;
		memcpy(nb + ui->k.check_len, buf, (size_t)n);
		ui->k.check_len += (size_t)n;
		nb[ui->k.check_len] = '\0';
	}
	if (n < 0 && errno == EAGAIN)
		return;
	close(ui->k.check_fd);
	ui->k.check_fd = -1;
	waitpid(ui->k.check_pid, &status, 0);
	ui->k.check_pid = 0;
	for (char *line = ui->k.check_buf, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		tui_outcome_add(ui, "%s", line);
		if (!nl)
			break;
	}
	free(ui->k.check_buf);
	ui->k.check_buf = NULL;
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	tui_outcome_add(ui, "exit %d: %s", status, status == 0 ? "all checks passed" :
			status == EXIT_CHECK_FAILED ? "A CHECK FAILED" :
			status == EXIT_MISSING ? "a check could not run on this kernel" : "error");
	snprintf(ui->dlg.title, sizeof(ui->dlg.title), "check: exit %d", status);
	ui->dirty = true;
	tui_refresh_now(ui);
}

void tui_action_run(struct tui *ui)
{
	uint64_t s[TUI_MAX_MARKS], e[TUI_MAX_MARKS];
	struct outcome_ctx o = { .ui = ui };
	enum tui_action a = ui->dlg.pending;
	unsigned int n = action_ranges(ui, s, e, TUI_MAX_MARKS);

	ui->dlg.pending = ACT_NONE;
	tui_outcome_free(ui);
	ui->mode = MODE_OUTCOME;
	if (a == ACT_CHECK) {
		snprintf(ui->dlg.title, sizeof(ui->dlg.title), "check (running)");
		if (n)
			check_start(ui, s[0], e[n - 1]);
		return;
	}
	snprintf(ui->dlg.title, sizeof(ui->dlg.title), "%s", a == ACT_CONVERT ? "make_exclusive" : "revert");
	for (unsigned int i = 0; i < n; i++) {
		char req[96];
		int err;

		dfs_range_req(req, sizeof(req), (int)ui->k.t.pid, s[i], e[i]);
		err = ui->k.t.ops->kernel_read(&ui->k.t, a == ACT_CONVERT ? "make_exclusive" : "revert",
					     req, outcome_line, &o);
		if (err) {
			tui_outcome_add(ui, "%s: %s", req, err_str(err));
			err_clear();
			o.failed++;
		}
	}
	snprintf(ui->dlg.title, sizeof(ui->dlg.title), "%s: %u ok, %u failed",
		 a == ACT_CONVERT ? "make_exclusive" : "revert", o.ok, o.failed);
	ui->map.marks.n = 0;
	ui->d.detail_valid = false;
	tui_refresh_now(ui);
}
