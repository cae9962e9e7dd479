/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command table: one entry per command drives dispatch, option
 * parsing, 'devexctl help', --help and shell completion.
 */
#ifndef DEVEXCTL_COMMANDS_H
#define DEVEXCTL_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CMD_MAX_OPTS 8

struct globals {
	bool json;
	bool pretty;
	bool no_color;
	const char *proc;	/* "/proc", or a snapshot directory */
	const char *debugfs;	/* "/sys/kernel/debug" */
};

struct opt_doc {
	const char *lng;	/* long name without dashes */
	char shrt;		/* short letter, or 0 */
	const char *arg;	/* argument name, or NULL for a flag */
	const char *help;
};

struct cmd_ctx {
	const struct globals *g;
	const struct command *cmd;
	int argc;		/* positional arguments after the command */
	char **argv;
	const char *opt[CMD_MAX_OPTS];	/* option values, indexed like cmd->opts */
};

struct command {
	const char *name;
	const char *args;	/* synopsis of positional arguments */
	const char *summary;	/* one line */
	const char *help;	/* paragraph for 'devexctl help CMD' */
	const struct opt_doc *opts;	/* NULL-terminated, at most CMD_MAX_OPTS */
	int min_args, max_args;
	int (*run)(struct cmd_ctx *c);
	/*
	 * Privilege hygiene (caps.h): the capabilities the command may use
	 * until its target (or socket) is open, and the ones it keeps after;
	 * devexctl drops every other one before the command runs.
	 */
	uint64_t caps_open, caps_run;
};

extern const struct command command_table[];

const struct command *command_find(const char *name);
/* Parse options and positionals for @cmd, then run it. */
int command_run(const struct command *cmd, const struct globals *g, int argc, char **argv);
void usage_all(FILE *out);
void usage_command(FILE *out, const struct command *cmd);

/* The commands. */
int cmd_features(struct cmd_ctx *c);
int cmd_maps(struct cmd_ctx *c);
int cmd_pages(struct cmd_ctx *c);
int cmd_snapshot(struct cmd_ctx *c);
int cmd_monitor(struct cmd_ctx *c);
int cmd_record(struct cmd_ctx *c);
int cmd_report(struct cmd_ctx *c);
int cmd_entries(struct cmd_ctx *c);
int cmd_notifiers(struct cmd_ctx *c);
int cmd_make_exclusive(struct cmd_ctx *c);
int cmd_revert(struct cmd_ctx *c);
int cmd_check(struct cmd_ctx *c);
int cmd_help(struct cmd_ctx *c);
int cmd_completion(struct cmd_ctx *c);
int cmd_tui(struct cmd_ctx *c);

/* Their option tables, each beside the enum that indexes it. */
extern const struct opt_doc pages_opts[];	/* cmd_pages.c */
extern const struct opt_doc monitor_opts[];	/* cmd_monitor.c */
extern const struct opt_doc record_opts[];	/* cmd_record.c */
extern const struct opt_doc report_opts[];	/* report_plot.c */
extern const struct opt_doc make_exclusive_opts[];	/* cmd_exclusive.c */
extern const struct opt_doc exclusive_opts[];	/* cmd_exclusive.c (revert) */
extern const struct opt_doc check_opts[];	/* cmd_check.c */
extern const struct opt_doc tui_opts[];	/* tui_opts.c */

#endif
