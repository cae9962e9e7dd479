/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page states of a recording at a time cursor ('devexctl tui
 * --replay'): the start snapshot's runs plus the timeline's events up to
 * the cursor (record_model.h), with each recorded VMA's counts per state.
 * No curses and no I/O: tests/unit/test-replay.c drives it with a model
 * built by hand.
 *
 * A page no start run covers is present (doc/record-format.md), also in a
 * VMA only the end snapshot has: the recording holds no runs for it before
 * the end, so such a VMA is shown from the start, its pages present until
 * an event changes them.  Events change only pages inside the recorded
 * VMAs; notifier ranges change none.
 *
 * The state is incremental: a step forward applies one event, a step back
 * sets its pages to the one state they all had before it (remembered when
 * it was applied), or, when they had several, replays from the start.
 * Pages are kept per 2 MiB chunk (512 pages): a chunk no event touched
 * reads the start runs, one an event covered whole holds one state, the
 * others one byte per page.
 */
#ifndef DEVEXCTL_REPLAY_H
#define DEVEXCTL_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record_model.h"

struct replay;

/* A replay of @m, which must outlive it; the cursor at the start. 0 or -ENOMEM. */
int replay_open(struct replay **rp, const struct rec_model *m);
void replay_free(struct replay *rp);

/* Where the recording begins and ends (CLOCK_MONOTONIC ns), and its events. */
uint64_t replay_start_ns(const struct replay *rp);
uint64_t replay_end_ns(const struct replay *rp);
size_t replay_events(const struct replay *rp);

/* The cursor: the events applied (0 to replay_events()) and its time. */
size_t replay_pos(const struct replay *rp);
uint64_t replay_cursor_ns(const struct replay *rp);

/*
 * Move the cursor after the first @n events (clamped), its time the last
 * one's; or to time @ns (clamped to the recording), after every event up
 * to it.  0, or a negative errno (-ENOMEM, -ENOSPC: more pages changed
 * than the replay keeps); then the cursor is back at the start (a half
 * applied event leaves no state to stay at).
 */
int replay_seek_event(struct replay *rp, size_t n);
int replay_seek_time(struct replay *rp, uint64_t ns);

/* The counts per state of the model's VMA @vi at the cursor. */
const uint64_t *replay_vma_counts(const struct replay *rp, size_t vi);

/* The state of the page at @addr at the cursor (PS_PRESENT outside the start runs). */
int replay_page_state(const struct replay *rp, uint64_t addr);

/* Call @emit for the runs of pages of [@start, @end) in address order. */
typedef void (*replay_emit_fn)(void *ctx, uint64_t addr, uint64_t pages, int state);
void replay_runs(const struct replay *rp, uint64_t start, uint64_t end, replay_emit_fn emit,
		 void *ctx);

#endif
