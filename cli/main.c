// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl: show, check and trigger device-exclusive page-table entries.
 * main() parses the global options, dispatches through the command table
 * and maps whatever error comes back to one message and one exit status.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "errors.h"
#include "output.h"

enum { OPT_PROC = 256, OPT_DEBUGFS, OPT_NO_COLOR };

static const struct option global_long[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ "debugfs", required_argument, NULL, OPT_DEBUGFS },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int run(int argc, char **argv)
{
	struct globals g = {
		.proc = "/proc",
		.debugfs = "/sys/kernel/debug",
		.no_color = getenv("NO_COLOR") && *getenv("NO_COLOR"),
	};
	const struct command *cmd;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jphV", global_long, NULL)) != -1) {
		switch (opt) {
		case 'j':
			g.json = true;
			break;
		case 'p':
			g.json = g.pretty = true;
			break;
		case OPT_PROC:
			g.proc = optarg;
			break;
		case OPT_DEBUGFS:
			g.debugfs = optarg;
			break;
		case OPT_NO_COLOR:
			g.no_color = true;
			break;
		case 'h':
			usage_all(stdout);
			return 0;
		case 'V':
			printf("devexctl %s\n", PACKAGE_VERSION);
			return 0;
		default:
			return err_usage("bad option '%s' (see 'devexctl --help')", argv[optind - 1]);
		}
	}
	if (optind >= argc)	/* one error line, as every error (design.md §5) */
		return err_usage("no command given (see 'devexctl help')");
	cmd = command_find(argv[optind]);
	if (!cmd)
		return err_usage("unknown command '%s' (see 'devexctl help')", argv[optind]);
	return command_run(cmd, &g, argc - optind, argv + optind);
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);

	out_fail(rc);	/* a JSON document begun is closed, with the error */

	if (fflush(stdout) != 0 && rc == 0)
		rc = -5; /* EIO: stdout could not be written */
	return err_report(rc);
}
