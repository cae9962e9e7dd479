/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The receive loop every event consumer shares (monitor, check --watch,
 * check's draining): read the tracefs instance and, where one is open, the
 * proc connector, hand each event to one callback, and stop on a deadline,
 * a quiet period, a signal, the callback's word or the caller's condition.
 * The TUI reads the same instance once per frame instead (tui_events.c):
 * its loop belongs to the keyboard.
 */
#ifndef DEVEXCTL_EVENT_LOOP_H
#define DEVEXCTL_EVENT_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "proc_connector.h"
#include "trace.h"

struct ev_loop {
	struct dx_trace *tr;
	struct dx_procconn *pc;		/* NULL: no proc connector */
	trace_event_fn fn;		/* returns > 0 to end the loop */
	void *ctx;
	int64_t end_ms;			/* mono_ms() deadline; 0: none */
	int idle_ms;			/* wait when a turn read nothing */
	int quiet_ms;			/* > 0: end once nothing came for this long */
	int quiet_max_ms;		/* ... or after this long in all */
	bool (*stop)(void *ctx);	/* asked before every turn; NULL: never */
	void (*tick)(void *ctx);	/* after every turn (progress); NULL: none */
	bool ended;			/* out: @fn asked to end */
};

/*
 * Run @l until one of its ends; SIGINT/SIGTERM (trace_catch_signals) end
 * it too. Returns 0, or a negative errno (with the message set).
 */
int ev_loop_run(struct ev_loop *l);

#endif
