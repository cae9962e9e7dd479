// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui's kernel-fed panes: the devexcl netlink event stream of the
 * target (non-blocking, newest first, frozen while paused) and the mm's
 * MMU-notifier subscribers from debugfs, marked on the VMA list.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>

#include "debugfs.h"
#include "errors.h"
#include "netlink.h"
#include "tui.h"

void tui_events_open(struct tui *ui)
{
	int err;

	ui->have_netlink = false;
	if (!ui->have_target || ui->t.ops == &source_snapshot) {
		snprintf(ui->netlink_reason, sizeof(ui->netlink_reason), "snapshot: no live events");
		return;
	}
	err = genl_join_events(&ui->nl);
	if (err) {
		snprintf(ui->netlink_reason, sizeof(ui->netlink_reason), "%s",
			 err == -ENOPATCH ? "no devexcl netlink family (kernel-debugfs/ patches)" :
			 err == -EPERM || err == -EACCES ? "events need CAP_SYS_ADMIN" : err_str(err));
		err_clear();
		ui->nl = NULL;
		return;
	}
	fcntl(mnl_socket_get_fd(ui->nl), F_SETFL,
	      fcntl(mnl_socket_get_fd(ui->nl), F_GETFL) | O_NONBLOCK);
	ui->have_netlink = true;
}

void tui_events_close(struct tui *ui)
{
	if (ui->nl)
		mnl_socket_close(ui->nl);
	ui->nl = NULL;
}

int tui_events_fd(const struct tui *ui)
{
	return ui->nl ? mnl_socket_get_fd(ui->nl) : -1;
}

void tui_events_read(struct tui *ui)
{
	static char buf[65536];

	if (!ui->nl)
		return;
	for (int rounds = 0; rounds < 64; rounds++) {
		ssize_t n = mnl_socket_recvfrom(ui->nl, buf, sizeof(buf));

		if (n < 0) {
			if (errno == ENOBUFS) {
				tui_message(ui, true, "events lost: the socket buffer overflowed");
				continue;
			}
			return;	/* EAGAIN: drained */
		}
		/* mnl_nlmsg_ok() alone takes an nlmsg_len of 2 GiB or more. */
		int rem = (int)n;	/* bytes left from nlh on */

		for (const struct nlmsghdr *nlh = (const void *)buf; mnl_nlmsg_ok(nlh, rem) &&
							   nlh->nlmsg_len <= (unsigned int)rem;
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			struct dx_event ev;
			struct tui_event_row *row;

			if (event_decode(nlh, (size_t)rem, &ev))
				continue;
			if (!ev.has[DEVEXCL_A_PID] || ev.num[DEVEXCL_A_PID] != (uint64_t)ui->t.pid)
				continue;
			row = &ui->ev[ui->ev_seq % TUI_EVENTS];
			row->seq = ++ui->ev_seq;
			row->cmd = ev.cmd;
			event_format(&ev, row->text, sizeof(row->text));
			if (!ui->paused)
				ui->ev_frozen = ui->ev_seq;
			ui->dirty = true;
		}
	}
}

static int notifier_line(void *ctx, char *line)
{
	struct tui *ui = ctx;
	int rc;

	if (ui->nnt == TUI_NOTIFIERS)
		return 0;
	rc = rec_sub_parse(line, &ui->nt[ui->nnt]);
	if (rc > 0)
		ui->nnt++;
	return rc < 0 ? rc : 0;
}

void tui_notifiers_read(struct tui *ui)
{
	char req[16];

	ui->nnt = 0;
	if (!ui->have_debugfs || ui->exited)
		return;
	snprintf(req, sizeof(req), "%d", (int)ui->t.pid);
	if (dfs_request(ui->g->debugfs, "notifiers", req, notifier_line, ui)) {
		err_clear();
		return;
	}
	/* Mark the VMAs an interval subscriber covers (classic ones cover all). */
	for (size_t i = 0; i < ui->m.vmas.n; i++) {
		struct tui_vma *v = &ui->m.vmas.v[i];

		v->notified = false;
		for (unsigned int k = 0; k < ui->nnt; k++)
			if (ui->nt[k].interval && ui->nt[k].start < v->end && ui->nt[k].last >= v->start)
				v->notified = true;
	}
}
