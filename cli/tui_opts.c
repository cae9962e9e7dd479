// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tui command's options, apart from tui_main.c: they are part of the
 * command table (help, completion) also when configure --disable-tui
 * leaves the curses files out, and then cmd_tui only says why it is missing.
 */
#include "config.h"

#include <stddef.h>

#include "commands.h"
#include "errors.h"
#include "tui.h"

/* [OPT_NR], left zero, ends the table; enum tui_opt (tui.h) indexes it. */
const struct opt_doc tui_opts[OPT_NR + 1] = {
	[OPT_DELAY] = { .lng = "delay", .shrt = 'd', .arg = "TENTHS",
			.help = "refresh every TENTHS tenths of a second (default 10)" },
	[OPT_FRAMES] = { .lng = "frames", .shrt = 'n', .arg = "N",
			 .help = "exit after N complete refreshes (scripts, tests)" },
	[OPT_READONLY] = { .lng = "readonly", .help = "disable convert, revert and check" },
	[OPT_NO_COLOR] = { .lng = "no-color",
			   .help = "monochrome (also: NO_COLOR in the environment)" },
	[OPT_REPLAY] = { .lng = "replay", .arg = "FILE",
			 .help = "step through a recording of 'devexctl record' in time "
				 "(no PID; cannot act)" },
};
_Static_assert(OPT_NR <= CMD_MAX_OPTS, "more options than cmd_ctx.opt[] holds");

#ifndef HAVE_TUI
int cmd_tui(struct cmd_ctx *c)
{
	(void)c;
	return -ENOTUI;
}
#endif
