/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 'devexctl tui': the state shared by its parts.
 *   tui_model.c, tui_view.c, tui_picker.c  the view model (no curses)
 *   tui_keys.c      the one key table: dispatch, F-key bar, help screen
 *   tui_draw.c      rendering of the panes
 *   tui_actions.c   convert / revert / check through the kernel interface
 *   tui_events.c    the tracefs event pane and the notifier pane
 *   tui_main.c      cmd_tui: curses, the loop, signals, refresh
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
#include "tui_picker.h"

/* Positions in tui_opts[] (tui_opts.c). */
enum tui_opt { OPT_DELAY, OPT_FRAMES, OPT_READONLY, OPT_NO_COLOR, OPT_NR };

enum tui_pane { PANE_VMAS, PANE_MAP, PANE_NOTIFIERS, PANE_EVENTS, PANE_NR };
enum tui_mode { MODE_NORMAL, MODE_SEARCH, MODE_FILTER, MODE_HELP, MODE_CONFIRM, MODE_OUTCOME };
enum tui_phase { PH_MAPS, PH_MAP, PH_COUNTS, PH_IDLE };
enum tui_action { ACT_NONE, ACT_CONVERT, ACT_REVERT, ACT_CHECK };

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

struct tui {
	const struct globals *g;
	/* options */
	int delay;			/* tenths of a second */
	long frames_max;		/* -n: exit after this many refreshes; 0: never */
	bool readonly, color;
	/* the target */
	bool picker;
	struct tui_picker pk;
	struct target t;
	bool have_target;
	char comm[64];
	bool exited;
	char error[200];		/* the last refresh's error, shown in the header */
	/* model and refresh */
	struct tui_model m;
	struct tui_pagemap pm;
	struct tui_counter cnt;
	enum tui_phase phase;
	double next_refresh;
	long frames;
	bool paused;
	/* the page-map cursor: a page index in the selected VMA */
	uint64_t cur_page;
	uint64_t cell_pages;
	uint64_t map_top;		/* first row shown */
	int map_cols, map_rows;		/* set by the last draw */
	int list_rows;
	struct tui_marks marks;
	/* interfaces */
	bool have_debugfs, have_events;
	char debugfs_reason[120], events_reason[160];
	bool can_write;
	char write_reason[160];
	struct dx_trace *tr;		/* the tracefs instance, filtered to the target's mm */
	struct dx_procconn *pc;		/* the proc connector, where the kernel serves it */
	struct dx_task_tree tree;	/* the target and the children seen fork */
	/* owners of the entries seen set (entries has none before page_ext records) */
	struct { uint64_t addr; uint32_t owner; } owners[128];
	unsigned int owners_next;
	struct tui_event_row ev[TUI_EVENTS];
	uint64_t ev_seq, ev_frozen;
	size_t ev_top;
	struct dx_sub nt[TUI_NOTIFIERS];
	unsigned int nnt;
	size_t nt_top;
	/* the page under the cursor */
	bool detail_valid;
	uint64_t detail_addr;
	struct page_info detail;
	char entry_info[200];
	/* interaction */
	enum tui_pane focus;
	enum tui_mode mode;
	char edit[64];
	char msg[240];
	bool msg_warn;
	bool quit;
	bool dirty;			/* redraw wanted */
	size_t help_top;
	/* confirmation and outcome boxes */
	enum tui_action pending;
	char confirm[240];
	char **out;
	size_t nout, out_top;
	char out_title[160];
	/* a running 'devexctl check' child */
	pid_t check_pid;
	int check_fd;
	char *check_buf;
	size_t check_len;
};

/* tui_main.c */
void tui_message(struct tui *ui, bool warn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tui_refresh_now(struct tui *ui);
int tui_open_pid(struct tui *ui, pid_t pid);
/* The selected VMA changed: restart its page map. */
void tui_follow_selection(struct tui *ui);
/* The cell range under the map cursor: [*s, *e) addresses. */
bool tui_cursor_range(struct tui *ui, uint64_t *s, uint64_t *e);

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

/* tui_draw.c */
void tui_colors_init(bool color);
void tui_draw(struct tui *ui);

/* tui_actions.c */
void tui_probe_write(struct tui *ui);
void tui_action_ask(struct tui *ui, enum tui_action a);
void tui_action_run(struct tui *ui);
void tui_outcome_free(struct tui *ui);
void tui_outcome_add(struct tui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_check_poll(struct tui *ui);
/* State, PFN, flags and kernel entry info of the page at @addr, cached. */
void tui_detail(struct tui *ui, uint64_t addr);

/* tui_events.c */
void tui_events_open(struct tui *ui);
void tui_events_close(struct tui *ui);
int tui_events_fd(const struct tui *ui);
void tui_events_read(struct tui *ui);
void tui_notifiers_read(struct tui *ui);
/* The owner id of the entry at @addr from the set event seen, if one was. */
bool tui_owner_seen(const struct tui *ui, uint64_t addr, uint32_t *owner);

#endif
