// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl monitor [PID]: print devexcl events as they come (JSON Lines
 * with --json), from the "events" group of the devexcl generic netlink
 * family (kernel-debugfs/ patches). Stops on SIGINT/SIGTERM, after
 * --count events or after --duration seconds.
 */
#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caps.h"
#include "commands.h"
#include "errors.h"
#include "events.h"
#include "netlink.h"
#include "output.h"
#include "range.h"
#include "target.h"

enum { OPT_COUNT, OPT_DURATION, OPT_DEBUG };	/* positions in monitor_opts[] */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int parse_limit(const char *s, const char *what, uint64_t *v)
{
	if (parse_size(s, v) || *v == 0)
		return err_usage("monitor: bad %s '%s': expected a positive number", what, s);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_monitor(struct cmd_ctx *c)
{
	static char buf[65536];
	uint64_t count = 0, duration = 0, seen = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	struct mnl_socket *nl = NULL;
	bool debug = c->opt[OPT_DEBUG] != NULL;
	pid_t pid = 0;
	double deadline;
	int err;

	if (c->argc > 0 && (err = parse_pid(c->argv[0], &pid)))
		return err;
	if (c->opt[OPT_COUNT] && (err = parse_limit(c->opt[OPT_COUNT], "--count", &count)))
		return err;
	if (c->opt[OPT_DURATION] &&
	    (err = parse_limit(c->opt[OPT_DURATION], "--duration", &duration)))
		return err;
	err = genl_join_events(&nl);
	if (!err && (err = caps_opened()))	/* joined: no capability needed any more */
		mnl_socket_close(nl);
	if (err)
		return err;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	deadline = duration ? now() + (double)duration : 0;
	if (!out_is_json())
		fprintf(stderr, "devexctl: listening for devexcl events%s; Ctrl-C stops\n",
			pid ? " of one process" : "");
	while (!stop && (!count || seen < count)) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
		int timeout = -1;
		ssize_t n;

		if (deadline) {
			double left = deadline - now();

			if (left <= 0)
				break;
			timeout = (int)(left * 1000) + 1;
		}
		if (poll(&pfd, 1, timeout) < 0) {
			if (errno == EINTR)
				continue;
			err = err_set(-errno, "poll");
			break;
		}
		if (!(pfd.revents & POLLIN))
			continue;
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == ENOBUFS) {
				fprintf(stderr, "devexctl: events lost: the socket buffer overflowed\n");
				continue;
			}
			err = err_set(-errno, "receiving events");
			break;
		}
		/* mnl_nlmsg_ok() alone takes an nlmsg_len of 2 GiB or more. */
		int rem = (int)n;	/* bytes left from nlh on */

		for (const struct nlmsghdr *nlh = (const void *)buf; mnl_nlmsg_ok(nlh, rem) &&
							   nlh->nlmsg_len <= (unsigned int)rem;
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			struct dx_event ev;

			if (debug)
				mnl_nlmsg_fprintf(stderr, nlh, (size_t)rem, sizeof(struct genlmsghdr));
			if (event_decode(nlh, (size_t)rem, &ev)) {
				fprintf(stderr, "devexctl: skipped a malformed event\n");
				continue;
			}
			if (pid && (!ev.has[DEVEXCL_A_PID] || ev.num[DEVEXCL_A_PID] != (uint64_t)pid))
				continue;
			event_print(&ev);
			fflush(stdout);
			if (count && ++seen >= count)
				break;
		}
	}
	mnl_socket_close(nl);
	if (err)
		return err;
	return out_finish();
}
