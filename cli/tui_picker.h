/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tui process picker (no PID given): every readable process under the
 * source root, counted with the same walker as 'maps' (WALK_COUNTS), one
 * bounded step at a time; processes with device-exclusive, then swap-like
 * entries, then MMU-notifier subscribers (from debugfs, when it can be
 * read), then device-private entries first.  No curses here.
 */
#ifndef DEVEXCTL_TUI_PICKER_H
#define DEVEXCTL_TUI_PICKER_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "tui_model.h"

struct tui_proc {
	pid_t pid;
	char comm[32];
	bool counted;		/* counts[] complete */
	bool unreadable;	/* no ptrace access, or it exited: shown last, greyed */
	uint64_t counts[PS_NR];
	int subs;		/* MMU-notifier subscribers; -1 unknown */
};

struct tui_picker {
	char root[PATH_MAX];
	const char *debugfs;	/* set to count subscribers, else NULL */
	struct tui_proc *p;
	size_t n, cap;
	size_t sel, top;
	pid_t sel_pid;
	char filter[64];
	/* the process being counted */
	size_t cur;
	bool open;
	struct target t;
	struct tui_vmalist vl;
	struct tui_counter c;
	bool done;
};

/* List the processes under @root (names from PID/comm or PID/status). */
int tui_picker_load(struct tui_picker *pk, const char *root);
void tui_picker_free(struct tui_picker *pk);
/* Count up to @max_pages; 1 when every process is counted. */
int tui_picker_step(struct tui_picker *pk, uint64_t max_pages);
/* Sort (keeping the selected pid) and clamp the selection. */
void tui_picker_sort(struct tui_picker *pk);
/* Rows that pass the filter, in order: row @i of the view, or NULL. */
const struct tui_proc *tui_picker_row(const struct tui_picker *pk, size_t i);
size_t tui_picker_rows(const struct tui_picker *pk);
void tui_picker_move(struct tui_picker *pk, long delta);
/* Keep the selection inside a window of @rows rows. */
void tui_picker_scroll(struct tui_picker *pk, size_t rows);
/* Select the next row whose comm or pid contains @text. */
bool tui_picker_search(struct tui_picker *pk, const char *text, bool next);

/* The command name of @pid under @root ("?" when unreadable). */
void tui_read_comm(const char *root, pid_t pid, char *buf, size_t len);

#endif
