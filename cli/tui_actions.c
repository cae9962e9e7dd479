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
#include "walk.h"

static const char *const action_verb[] = {
	[ACT_CONVERT] = "convert to device-exclusive", [ACT_REVERT] = "revert",
	[ACT_CHECK] = "run the invariant checks on",
};

static int skip_line(void *ctx, char *line)
{
	(void)ctx;
	(void)line;
	return 0;
}

void tui_probe_write(struct tui *ui)
{
	int err;

	ui->have_debugfs = false;
	if (!ui->have_target) {
		snprintf(ui->debugfs_reason, sizeof(ui->debugfs_reason), "no process chosen");
	} else if (!target_can(&ui->t, SRC_LIVE)) {
		/* Entries and notifiers as the snapshot recorded them, if it did. */
		ui->have_debugfs = ui->t.ops->kernel_read(&ui->t, "info", "", skip_line, NULL) == 0;
		snprintf(ui->debugfs_reason, sizeof(ui->debugfs_reason),
			 "the snapshot holds no devexcl answers");
		err_clear();
	} else if ((err = dfs_require(ui->t.debugfs)) != 0) {
		snprintf(ui->debugfs_reason, sizeof(ui->debugfs_reason), "%s",
			 err == -EACCES ? "the devexcl debugfs files need root" :
			 err == -ENOPATCH ? "no devexcl debugfs (kernel-debugfs/ patches)" : err_str(err));
		err_clear();
	} else {
		ui->have_debugfs = true;
	}
	ui->can_write = !ui->readonly && ui->have_debugfs && !ui->exited &&
			target_can(&ui->t, SRC_ACTS);
	if (ui->readonly)
		snprintf(ui->write_reason, sizeof(ui->write_reason), "--readonly");
	else if (ui->exited)
		snprintf(ui->write_reason, sizeof(ui->write_reason), "the process exited");
	else if (!target_can(&ui->t, SRC_ACTS))
		snprintf(ui->write_reason, sizeof(ui->write_reason), "a snapshot cannot act");
	else if (!ui->have_debugfs)
		snprintf(ui->write_reason, sizeof(ui->write_reason), "%s", ui->debugfs_reason);
	else
		ui->write_reason[0] = '\0';
}

void tui_outcome_free(struct tui *ui)
{
	for (size_t i = 0; i < ui->nout; i++)
		free(ui->out[i]);
	free(ui->out);
	ui->out = NULL;
	ui->nout = ui->out_top = 0;
}

void tui_outcome_add(struct tui *ui, const char *fmt, ...)
{
	char **n = realloc(ui->out, (ui->nout + 1) * sizeof(*n));
	va_list ap;

	if (!n)
		return;
	ui->out = n;
	va_start(ap, fmt);
	if (vasprintf(&n[ui->nout], fmt, ap) >= 0)
		ui->nout++;
	va_end(ap);
}

/* The ranges to act on: the marks, else the cell under the cursor. */
static unsigned int action_ranges(struct tui *ui, uint64_t *s, uint64_t *e, unsigned int max)
{
	unsigned int n = 0;

	if (ui->marks.n) {
		for (unsigned int i = 0; i < ui->marks.n && n < max; i++, n++) {
			s[n] = ui->marks.start[i];
			e[n] = ui->marks.end[i];
		}
		return n;
	}
	return tui_cursor_range(ui, &s[0], &e[0]) ? 1 : 0;
}

void tui_action_ask(struct tui *ui, enum tui_action a)
{
	uint64_t s[TUI_MAX_MARKS], e[TUI_MAX_MARKS], pages = 0;
	unsigned int n;

	if (!ui->can_write) {
		tui_message(ui, true, "%s is disabled: %s", a == ACT_CHECK ? "check" :
			    a == ACT_CONVERT ? "convert" : "revert", ui->write_reason);
		return;
	}
	if (ui->check_pid > 0) {
		tui_message(ui, true, "a check is still running");
		return;
	}
	n = action_ranges(ui, s, e, TUI_MAX_MARKS);
	for (unsigned int i = 0; i < n; i++)
		pages += (e[i] - s[i]) / ui->t.page_size;
	if (!n || !pages) {
		tui_message(ui, true, "no page selected: move to the page map (Tab)");
		return;
	}
	if (pages > TUI_MAX_ACTION_PAGES) {
		tui_message(ui, true, "%" PRIu64 " pages selected; at most %d at once (zoom in or mark fewer)",
			    pages, TUI_MAX_ACTION_PAGES);
		return;
	}
	ui->pending = a;
	snprintf(ui->confirm, sizeof(ui->confirm), "%s %" PRIu64 " page%s at 0x%" PRIx64 "%s of pid %d? [y/N]",
		 action_verb[a], pages, pages == 1 ? "" : "s", s[0], n > 1 ? " (and more marks)" : "",
		 (int)ui->t.pid);
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
	snprintf(pid, sizeof(pid), "%d", (int)ui->t.pid);
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
	err = posix_spawn(&ui->check_pid, "/proc/self/exe", &fa, NULL, argv, NULL);
	if (err) {
		ui->check_pid = 0;
		tui_outcome_add(ui, "cannot start devexctl check: %s", strerror(err));
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (ui->check_pid <= 0) {
		close(fds[0]);
		return;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	ui->check_fd = fds[0];
	ui->check_len = 0;
	tui_outcome_add(ui, "$ devexctl check %s %s   (running...)", pid, range);
}

void tui_check_poll(struct tui *ui)
{
	char buf[4096];
	ssize_t n;
	int status;

	if (ui->check_pid <= 0)
		return;
	while ((n = read(ui->check_fd, buf, sizeof(buf))) > 0) {
		char *nb = realloc(ui->check_buf, ui->check_len + (size_t)n + 1);

		if (!nb)
			break;
		ui->check_buf = nb;
		memcpy(nb + ui->check_len, buf, (size_t)n);
		ui->check_len += (size_t)n;
		nb[ui->check_len] = '\0';
	}
	if (n < 0 && errno == EAGAIN)
		return;
	close(ui->check_fd);
	ui->check_fd = -1;
	waitpid(ui->check_pid, &status, 0);
	ui->check_pid = 0;
	for (char *line = ui->check_buf, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		tui_outcome_add(ui, "%s", line);
		if (!nl)
			break;
	}
	free(ui->check_buf);
	ui->check_buf = NULL;
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	tui_outcome_add(ui, "exit %d: %s", status, status == 0 ? "all checks passed" :
			status == EXIT_CHECK_FAILED ? "A CHECK FAILED" :
			status == EXIT_MISSING ? "a check could not run on this kernel" : "error");
	snprintf(ui->out_title, sizeof(ui->out_title), "check: exit %d", status);
	ui->dirty = true;
	tui_refresh_now(ui);
}

void tui_action_run(struct tui *ui)
{
	uint64_t s[TUI_MAX_MARKS], e[TUI_MAX_MARKS];
	struct outcome_ctx o = { .ui = ui };
	enum tui_action a = ui->pending;
	unsigned int n = action_ranges(ui, s, e, TUI_MAX_MARKS);

	ui->pending = ACT_NONE;
	tui_outcome_free(ui);
	ui->mode = MODE_OUTCOME;
	if (a == ACT_CHECK) {
		snprintf(ui->out_title, sizeof(ui->out_title), "check (running)");
		if (n)
			check_start(ui, s[0], e[n - 1]);
		return;
	}
	snprintf(ui->out_title, sizeof(ui->out_title), "%s", a == ACT_CONVERT ? "make_exclusive" : "revert");
	for (unsigned int i = 0; i < n; i++) {
		char req[96];
		int err;

		dfs_range_req(req, sizeof(req), (int)ui->t.pid, s[i], e[i]);
		err = ui->t.ops->kernel_read(&ui->t, a == ACT_CONVERT ? "make_exclusive" : "revert",
					     req, outcome_line, &o);
		if (err) {
			tui_outcome_add(ui, "%s: %s", req, err_str(err));
			err_clear();
			o.failed++;
		}
	}
	snprintf(ui->out_title, sizeof(ui->out_title), "%s: %u ok, %u failed",
		 a == ACT_CONVERT ? "make_exclusive" : "revert", o.ok, o.failed);
	ui->marks.n = 0;
	ui->detail_valid = false;
	tui_refresh_now(ui);
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
	snprintf(ui->entry_info, sizeof(ui->entry_info),
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

void tui_detail(struct tui *ui, uint64_t addr)
{
	struct tui_vma *r = tui_model_selected(&ui->m);
	struct page_sink sink = { .ctx = &ui->detail, .emit = detail_emit };
	struct walker w;
	int err;
	struct vma v;
	char req[96];

	if (ui->detail_valid && ui->detail_addr == addr)
		return;
	ui->detail_valid = false;
	ui->entry_info[0] = '\0';
	if (!r || !r->in_pagemap || addr < r->start || addr >= r->end || ui->exited)
		return;
	v = (struct vma){ .start = r->start, .end = r->end, .name = r->name };
	memcpy(v.perms, r->perms, sizeof(v.perms));
	memset(&ui->detail, 0, sizeof(ui->detail));
	walker_init(&w, &ui->t, 0);
	err = walk_vma(&w, &v, addr, addr + ui->t.page_size, WALK_PAGES, &sink);
	walker_finish(&w);
	if (err) {
		err_clear();
		return;
	}
	ui->detail_valid = true;
	ui->detail_addr = addr;
	if (ui->have_debugfs && ui->detail.state == PS_DEVICE_EXCLUSIVE) {
		dfs_range_req(req, sizeof(req), (int)ui->t.pid, addr, addr + ui->t.page_size);
		if (ui->t.ops->kernel_read(&ui->t, "entries", req, entry_line, ui))
			err_clear();
	}
}
