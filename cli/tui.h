/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 'devexctl tui': the state shared by its parts, split as htop splits its
 * Panel, FunctionBar and InfoScreen: a model the work loop refreshes, the
 * kernel side, a view state per panel, and a controller that owns them.
 *   tui_model.c     the data: VMA counts, the page map, marks (no curses)
 *   tui_vmapanel.c  the VMA panel: filter, sort, selection (no curses)
 *   tui_picker.c    the process picker's list and counts (no curses)
 *   tui_control.c   messages, refresh requests, the selection
 *   tui_target.c    the target, what the kernel offers, the page under the cursor
 *   tui_events.c    the event feeds and the notifier list
 *   tui_actions.c   convert / revert / check through the kernel interface
 *   tui_replay.c    --replay: a recording instead of the kernel, its time cursor
 *   tui_keys.c      the one key table: dispatch, F-key bar, help screen
 *   tui_draw.c      the layout and the panes (drawing only reads)
 *   tui_overlay.c   the help screen, the picker, the dialogs
 *   tui_paint.c     curses primitives and colours
 *   tui_main.c      cmd_tui: curses, the loop, signals, the work schedule
 *   tui_opts.c      its options (also in a configure --disable-tui build)
 */
#ifndef DEVEXCTL_TUI_H
#define DEVEXCTL_TUI_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "commands.h"
#include "events.h"
#include "records.h"
#include "tui_model.h"
#include "tui_vmapanel.h"
#include "tui_picker.h"

/* Positions in tui_opts[] (tui_opts.c). */
enum tui_opt { OPT_DELAY, OPT_FRAMES, OPT_READONLY, OPT_NO_COLOR, OPT_REPLAY, OPT_NR };

enum tui_pane { PANE_VMAS, PANE_MAP, PANE_NOTIFIERS, PANE_EVENTS, PANE_NR };
enum tui_mode { MODE_NORMAL, MODE_SEARCH, MODE_FILTER, MODE_HELP, MODE_CONFIRM, MODE_OUTCOME };
enum tui_phase { PH_MAPS, PH_MAP, PH_COUNTS, PH_IDLE };
enum tui_action { ACT_NONE, ACT_CONVERT, ACT_REVERT, ACT_CHECK };
/* The replay's time keys: one event, a tenth of the recording, its ends. */
enum tui_time { TIME_BACK, TIME_FWD, TIME_TENTH_BACK, TIME_TENTH_FWD, TIME_START, TIME_END };

/* Colour pairs (and attributes in the monochrome scheme). */
enum tui_color {
	C_NORMAL = 1, C_HEADER, C_TITLE, C_TITLE_FOCUS, C_SELECT, C_FKEY, C_FLABEL,
	C_DIM, C_WARN, C_OK, C_MARK,
	C_STATE,		/* + enum page_state */
	C_NR = C_STATE + PS_NR,
};

#define TUI_EVENTS 256
#define TUI_NOTIFIERS 32
#define TUI_MAX_ACTION_PAGES 512

struct tui_event_row {
	uint64_t seq;
	enum dx_kind kind;
	char text[200];
};

struct rec_model;
struct replay;

/*
 * The kernel side: the target, what the kernel offers for it (debugfs,
 * events, actions, each with the reason when it does not), the event
 * feeds, and a running 'devexctl check' child.  tui_target.c,
 * tui_events.c and tui_actions.c change it.
 */
struct tui_kernel {
	struct target t;
	bool have_target;
	bool have_debugfs, have_events;
	char debugfs_reason[120], events_reason[160];
	bool can_write;
	char write_reason[160];
	struct dx_trace *tr;		/* the tracefs instance, filtered to the target's mm */
	struct dx_procconn *pc;		/* the proc connector, where the kernel serves it */
	struct dx_task_tree tree;	/* the target and the children seen fork */
	pid_t check_pid;
	int check_fd;
	char *check_buf;
	size_t check_len;
	/* --replay: the recording stands in for the target (tui_replay.c) */
	struct rec_model *rec;
	struct replay *rp;
	size_t *rp_vma;			/* the VMA list's rows: the model's VMA index */
};

/* A replay's time cursor as the status line shows it (drawing reads only this). */
struct tui_replay_status {
	bool on;
	bool stale;			/* the cursor moved: counts, map and events to redo */
	char path[160], source[32], kernel[64];	/* path: the file's name */
	uint64_t cur_ns, span_ns;	/* from the start of the recording */
	size_t pos, n;			/* events applied, of */
};

/*
 * The model: what the work loop refreshes and the event feeds append to
 * (the VMA list itself is the VMA panel's, as a panel owns its rows).
 * Drawing reads it and never fills it.
 */
struct tui_data {
	char comm[64];
	bool exited;
	char error[200];		/* the last refresh's error, shown in the header */
	enum tui_phase phase;
	double next_refresh;
	long frames;
	struct tui_counter cnt;
	struct tui_pagemap pm;		/* the selected VMA's */
	struct dx_sub nt[TUI_NOTIFIERS];
	unsigned int nnt;
	struct tui_event_row ev[TUI_EVENTS];
	uint64_t ev_seq;
	/* owners of the entries seen set (entries has none before page_ext records) */
	struct { uint64_t addr; uint32_t owner; } owners[128];
	unsigned int owners_next;
	/* the page under the map cursor (tui_target_detail()) */
	bool detail_valid;
	uint64_t detail_addr;
	struct page_info detail;
	char entry_info[200];
	struct tui_replay_status replay;
};

/* The page-map panel's view: cursor, zoom, scrolling, marks. */
struct tui_map_view {
	uint64_t cur_page;		/* the cursor: a page index in the selected VMA */
	uint64_t cell_pages;
	uint64_t top;			/* first row shown */
	int cols, rows;			/* from the last layout */
	struct tui_marks marks;
};

/* Where each pane goes on this terminal, from tui_layout(). */
struct tui_geom {
	bool too_small;
	int list_y, list_h;		/* the VMA list (or the picker) */
	int map_y, map_h;
	int aux_y, aux_h;		/* the notifier and event panes; 0 rows: none */
	bool aux_split;			/* side by side (wide), else the focused one */
	int list_rows;			/* rows a page key moves in the list */
};

/* The confirmation question and the outcome box of the actions. */
struct tui_dialog {
	enum tui_action pending;
	char confirm[240];
	char **out;
	size_t nout, top;
	char title[160];
};

/* The controller's state: it owns the parts above and the interaction. */
struct tui {
	const struct globals *g;
	/* options */
	int delay;			/* tenths of a second */
	long frames_max;		/* -n: exit after this many refreshes; 0: never */
	bool readonly, color;
	struct tui_kernel k;
	struct tui_data d;
	/* the panels' views */
	bool picker;			/* the process picker instead of the panes */
	struct tui_picker pk;
	struct tui_vmapanel vp;
	struct tui_map_view map;
	size_t nt_top;			/* the notifier pane's first row */
	size_t ev_top;			/* the event pane's first row, newest first */
	uint64_t ev_frozen;		/* events shown: ev_seq when the pane was frozen */
	size_t help_top;
	struct tui_dialog dlg;
	struct tui_geom geo;
	/* interaction */
	enum tui_pane focus;
	enum tui_mode mode;
	char edit[64];
	char msg[240];
	bool msg_warn;
	bool paused;
	bool quit;
	bool dirty;			/* redraw wanted */
};

/*
 * The files below depend on each other in this order only, so that the
 * link graph of tui_*.c has no cycle (tests/linkgraph.sh):
 * tui_main -> tui_draw -> tui_overlay -> tui_keys -> tui_actions,
 * tui_events, tui_target, tui_replay -> tui_control -> the curses-free files.
 */

/* tui_control.c: messages, refresh requests, the selection (no I/O, no curses) */
void tui_message(struct tui *ui, bool warn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tui_refresh_now(struct tui *ui);
/* The selected VMA changed: restart its page map. */
void tui_follow_selection(struct tui *ui);
/* The cell range under the map cursor: [*s, *e) addresses. */
bool tui_cursor_range(const struct tui *ui, uint64_t *s, uint64_t *e);

/* tui_target.c: the target and what the kernel offers for it */
int tui_open_pid(struct tui *ui, pid_t pid);
/* What may be read and done: debugfs, actions (and why not). */
void tui_probe_write(struct tui *ui);
/* State, PFN, flags and kernel entry info of the page under the map cursor, cached. */
void tui_target_detail(struct tui *ui);

/* tui_replay.c: --replay FILE, the recording in place of a target */
/* Read @path (errors as 'report' gives them) and show its start. */
int tui_replay_open(struct tui *ui, const char *path);
void tui_replay_close(struct tui *ui);
/* Move the time cursor. */
void tui_replay_move(struct tui *ui, enum tui_time how);
/* The work loop's turn: counts, events and the page map at the cursor; true: changed. */
bool tui_replay_work(struct tui *ui);
/* The state of the page under the map cursor, before drawing. */
void tui_replay_detail(struct tui *ui);

/* tui_keys.c */
#define TUI_KEY_CODES 4
struct tui_key {
	/*
	 * The key codes that run fn, 0 after the last; the help screen shows
	 * their labels (tui_key_label()) and the F-key bar the F key among them.
	 */
	int codes[TUI_KEY_CODES];
	const char *flabel;		/* F-key bar label, NULL when not on the bar */
	const char *help;
	bool needs_write;		/* greyed out under --readonly or without the interface */
	bool in_picker;			/* also active in the process picker */
	void (*fn)(struct tui *ui, int key);
};

extern const struct tui_key tui_keys[];
void tui_handle_key(struct tui *ui, int key);

/* Key codes as the help screen and the F-key bar show them. */
/* "j", "Down", "PgDn", "Tab", "F1", "Space", "Ctrl-L" into @buf; false: no name. */
bool tui_key_label(int code, char *buf, size_t len);
/* A row's labels, each once, space-separated: "Up Down k j", "Enter". */
void tui_key_labels(const struct tui_key *k, char *buf, size_t len);
/* n when @code is KEY_F(n), else 0. */
int tui_key_fnum(int code);

/* tui_draw.c: the panes; drawing only reads the state */
/* Place the panes on this terminal (and keep cursors in view): before drawing. */
void tui_layout(struct tui *ui);
void tui_draw(const struct tui *ui);

/* tui_overlay.c: the help screen, the process picker and the dialogs */
void tui_draw_help(const struct tui *ui);
void tui_draw_picker(const struct tui *ui);
void tui_draw_dialog(const struct tui *ui);

/* tui_actions.c */
void tui_action_ask(struct tui *ui, enum tui_action a);
void tui_action_run(struct tui *ui);
void tui_outcome_free(struct tui *ui);
void tui_outcome_add(struct tui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_check_poll(struct tui *ui);

/* tui_events.c */
void tui_events_open(struct tui *ui);
void tui_events_close(struct tui *ui);
int tui_events_fd(const struct tui *ui);
void tui_events_read(struct tui *ui);
void tui_notifiers_read(struct tui *ui);
/* The owner id of the entry at @addr from the set event seen, if one was. */
bool tui_owner_seen(const struct tui *ui, uint64_t addr, uint32_t *owner);

#endif
