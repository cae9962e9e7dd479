// SPDX-License-Identifier: GPL-2.0-or-later
/* The receive loop every event consumer shares (event_loop.h). */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>

#include "clock.h"
#include "errors.h"
#include "event_loop.h"

static int loop_cb(void *ctx, const struct dx_event *ev)
{
	struct ev_loop *l = ctx;
	int rc = l->fn(l->ctx, ev);

	if (rc > 0)
		l->ended = true;
	return rc;
}

/* The proc connector's events; an overrun is said, not fatal. */
static int read_connector(struct ev_loop *l)
{
	int n = pc_read(l->pc, loop_cb, l);

	if (n == -ENOBUFS) {
		fprintf(stderr, "devexctl: proc connector events lost (socket overrun)\n");
		return 0;
	}
	if (n < 0 && !l->ended)
		return err_set(n, "reading the proc connector");
	return n < 0 ? 0 : n;
}

/* How long to wait: @idle_ms, cut to what is left before the deadline. */
static int wait_ms(const struct ev_loop *l, int64_t now)
{
	int ms = l->idle_ms;

	if (l->end_ms && l->end_ms - now < ms)
		ms = (int)(l->end_ms - now) + 1;
	return ms < 0 ? 0 : ms;
}

int ev_loop_run(struct ev_loop *l)
{
	int64_t start = mono_ms(), last = start;

	l->ended = false;
	while (!trace_signalled() && !l->ended) {
		struct pollfd pfd = { .fd = pc_fd(l->pc), .events = POLLIN };
		int64_t now = mono_ms();
		int n;

		if ((l->end_ms && now >= l->end_ms) || (l->stop && l->stop(l->ctx)))
			break;
		if (l->quiet_ms &&
		    (now - last >= l->quiet_ms || now - start >= l->quiet_max_ms))
			break;
		n = trace_read(l->tr, loop_cb, l);
		if (n < 0 && !l->ended)
			return n;
		if (l->pc && !l->ended) {
			int m = read_connector(l);

			if (m < 0)
				return m;
			n = n < 0 ? m : n + m;
		}
		if (l->tick)
			l->tick(l->ctx);
		if (n > 0) {
			last = mono_ms();
			continue;
		}
		if (l->ended)
			break;
		/* Nothing waiting: sleep, or until the connector has news. */
		if (poll(&pfd, l->pc ? 1 : 0, wait_ms(l, mono_ms())) < 0 && errno != EINTR)
			return err_set(-errno, "poll");
	}
	return 0;
}
