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

const struct opt_doc tui_opts[] = {
	[OPT_DELAY] = { "delay", 'd', "TENTHS",
			"refresh every TENTHS tenths of a second (default 10)" },
	[OPT_FRAMES] = { "frames", 'n', "N", "exit after N complete refreshes (scripts, tests)" },
	[OPT_READONLY] = { "readonly", 0, NULL, "disable convert, revert and check" },
	[OPT_NO_COLOR] = { "no-color", 0, NULL, "monochrome (also: NO_COLOR in the environment)" },
	[OPT_NR] = { NULL, 0, NULL, NULL },
};

#ifndef HAVE_TUI
int cmd_tui(struct cmd_ctx *c)
{
	(void)c;
	return -ENOTUI;
}
#endif
