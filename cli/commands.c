// SPDX-License-Identifier: GPL-2.0-or-later
/* The command table and what it drives: dispatch, options, help, completion. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "caps.h"
#include "commands.h"
#include "errors.h"
#include "output.h"
#include "states.h"

static const struct opt_doc no_opts[] = { { .lng = NULL } };

/*
 * Capabilities (the last two columns; devexctl(8), CAPABILITIES):
 *   READ  opening a target: PFNs and swap types in pagemap (CAP_SYS_ADMIN,
 *         fixed when the file is opened), another user's or a privileged
 *         process (CAP_SYS_PTRACE), another user's 0400 pagemap
 *         (CAP_DAC_READ_SEARCH).
 *   ASK   the devexcl debugfs requests check ptrace access to the target
 *         on every request (mm_access()): CAP_SYS_PTRACE stays.
 *   EVENTS  a tracefs instance of its own: CAP_SYS_ADMIN, and CAP_DAC_OVERRIDE
 *         for tracefs's root-only files (kept: the instance is removed at
 *         the end); CAP_SYSLOG to read callback addresses in /proc/kallsyms
 *         (read when the instance is set up).
 *   CONN  the proc connector: CAP_NET_ADMIN (PROC_CN_MCAST_LISTEN).
 */
#define C_READ	(CAPB(CAP_SYS_ADMIN) | CAPB(CAP_SYS_PTRACE) | CAPB(CAP_DAC_READ_SEARCH))
#define C_ASK	CAPB(CAP_SYS_PTRACE)
#define C_EVENTS (CAPB(CAP_SYS_ADMIN) | CAPB(CAP_DAC_OVERRIDE))
#define C_SYMS	CAPB(CAP_SYSLOG)
#define C_CONN	CAPB(CAP_NET_ADMIN)

/* Stands for the flag letters' legend in a help paragraph (help_paragraph()). */
#define FLAG_LEGEND "@FLAGS@"

const struct command command_table[] = {
	{
		.name = "features", .args = "",
		.summary = "what works on this machine, and why not",
		.help = "Probes the kernel release, PFN and swap-type visibility (CAP_SYS_ADMIN), "
			"PAGEMAP_SCAN, the devexcl debugfs directory, the devexcl tracepoints in "
			"tracefs, the proc connector and /dev/hmm_dmirror*. One line per item, "
			"with the reason when something is missing.",
		.opts = no_opts, .min_args = 0, .max_args = 0, .run = cmd_features,
		.caps_open = C_READ | C_CONN,
		.caps_run = C_READ | C_CONN,
	},
	{
		.name = "maps", .args = "PID",
		.summary = "VMAs with page counts per state",
		.help = "Lists every VMA of PID (start, end, perms, offset, name) with the number "
			"of its pages in each state. Reads /proc/PID/maps and pagemap; faults "
			"nothing in.",
		.opts = no_opts, .min_args = 1, .max_args = 1, .run = cmd_maps,
		.caps_open = C_READ,
		.caps_run = 0,
	},
	{
		.name = "pages", .args = "PID [RANGE]",
		.summary = "page states, runs merged",
		.help = "Prints the pages of PID in RANGE (default: every mapping) as runs of "
			"pages with the same state and flags and consecutive PFNs: start, end, "
			"pages, state, first PFN when visible, and flags (" FLAG_LEGEND ").",
		.opts = pages_opts, .min_args = 1, .max_args = 2, .run = cmd_pages,
		.caps_open = C_READ,
		.caps_run = 0,
	},
	{
		.name = "entries", .args = "PID [RANGE]",
		.summary = "device-exclusive entries from the kernel interface",
		.help = "Lists the device-exclusive entries of PID in RANGE from the devexcl "
			"debugfs interface (kernel-debugfs/ patches; root): address, PFN, folio "
			"order, mapcount, refcount, the owner of the conversion where the kernel "
			"records it (not before page_ext owner records: until then the owner id is "
			"in monitor's set events), a crc32 of the contents and the folio flags, "
			"each with the VMA it lives in.",
		.opts = no_opts, .min_args = 1, .max_args = 2, .run = cmd_entries,
		.caps_open = C_READ,
		.caps_run = C_ASK,
	},
	{
		.name = "notifiers", .args = "PID",
		.summary = "MMU-notifier subscribers of the target mm",
		.help = "Lists the classic and interval MMU-notifier subscribers of PID's mm from "
			"the devexcl debugfs interface: kind, ops and callback symbols, interval, "
			"and the VMAs each one covers.",
		.opts = no_opts, .min_args = 1, .max_args = 1, .run = cmd_notifiers,
		.caps_open = C_READ,
		.caps_run = C_ASK,
	},
	{
		.name = "make-exclusive", .args = "PID RANGE",
		.summary = "convert pages to device-exclusive entries",
		.help = "Converts the pages of RANGE that are mapped writable with "
			"make_device_exclusive(), as a driver would, through the devexcl debugfs "
			"interface (root), and reports each page: ok with its PFN, the PTE it "
			"replaced and the folio's mapcount, or the errno. Pages not present, not "
			"writable (read-only, COW-shared, write-protected for soft-dirty or "
			"uffd-wp), already exclusive or inside a THP (without --split) are left as "
			"they are and reported as skipped with the reason: the target is not "
			"faulted, COW-broken or split. Exits 0 when no page failed, 1 otherwise. "
			"Refuses a range that covers no mapping.",
		.opts = make_exclusive_opts, .min_args = 2, .max_args = 2,
		.run = cmd_make_exclusive,
		.caps_open = C_READ,
		.caps_run = C_ASK,
	},
	{
		.name = "revert", .args = "PID RANGE",
		.summary = "restore device-exclusive entries to normal PTEs",
		.help = "Restores each device-exclusive entry of RANGE through a read fault, so "
			"the kernel's own restore code runs, and reports the PTE as restored "
			"(present, write, dirty, soft-dirty, young, uffd-wp) and its PFN. Exits 0 "
			"only when every entry was restored, 1 otherwise.",
		.opts = exclusive_opts, .min_args = 2, .max_args = 2, .run = cmd_revert,
		.caps_open = C_READ,
		.caps_run = C_ASK,
	},
	{
		.name = "check", .args = "PID [RANGE] [CHECK...] | --self [CHECK...]",
		.summary = "invariant checks for triage",
		.help = "Converts a few present pages of RANGE (default: the whole address space) "
			"with make_exclusive, reverts them, does it once more, and judges what the "
			"kernel interface and the events reported: notify-on-convert, "
			"notify-on-restore, mapcount-unchanged, dirty-preserved, restore-faithful, "
			"scope (all by default). With --watch SECONDS it changes nothing and "
			"judges every conversion, restore (fault, fork) and removal (zap, unmap, "
			"migration) of the target's entries in the window, whoever makes them; on "
			"a stock kernel, through probes, notify-on-convert and notify-on-restore "
			"only (see devexctl(8), KERNELS). Prints what it judged per path, then "
			"pass/fail/skip/missing per check with the evidence. Exit 0 when none "
			"fails, 3 when one fails, 4 when one could not run on this kernel. The "
			"pages end present, as before; root only. With --self it needs no target: "
			"it runs each check over a matrix of conditions in its own scratch "
			"processes, converting through test_hmm, and names the cells that fail "
			"(\"is this kernel sane?\", before looking at the user's process).",
		.opts = check_opts, .min_args = 0, .max_args = 8, .run = cmd_check,
		.caps_open = C_READ | C_EVENTS | C_SYMS,
		.caps_run = C_ASK | C_EVENTS | C_SYMS,
	},
	{
		.name = "snapshot", .args = "PID DIR",
		.summary = "save maps, pagemap and status for offline replay",
		.help = "Writes DIR/PID/maps, DIR/PID/pagemap (sparse, same offsets as the real "
			"file), DIR/PID/status, DIR/sys/kernel/osrelease and "
			"DIR/devexctl-snapshot, so that 'devexctl --proc DIR pages PID' replays it "
			"exactly.",
		.opts = no_opts, .min_args = 2, .max_args = 2, .run = cmd_snapshot,
		.caps_open = C_READ,
		.caps_run = C_ASK | CAPB(CAP_DAC_READ_SEARCH),
	},
	{
		.name = "monitor", .args = "[PID]",
		.summary = "live conversion, restore and notifier events",
		.help = "Reads the devexcl tracepoints (kernel-debugfs/ patches; root) from a "
			"tracefs instance of its own (devexctl-PID, trace clock mono, removed at "
			"the end) and prints each event in time order: set (PFN, owner id, the PTE "
			"replaced), restore (fault or fork, the PTE restored), remove (zap, unmap, "
			"migrate), invalidate range_start/range_end and each subscriber call (id, "
			"callback symbol, result), and lost events when the ring buffer overran. "
			"With PID, only its mm's (filtered in the kernel), and the forks and exits "
			"of PID and its children (proc connector, else sched tracepoints). With "
			"--json, one JSON object per line. Stops on Ctrl-C. On a kernel without "
			"the tracepoints it creates kprobe events instead (BTF; removed at the "
			"end): conversions with the converting task, fault and fork restores, and "
			"the mm's invalidation ranges.",
		.opts = monitor_opts, .min_args = 0, .max_args = 1, .run = cmd_monitor,
		.caps_open = C_EVENTS | C_SYMS | C_CONN | C_ASK | CAPB(CAP_DAC_READ_SEARCH),
		.caps_run = C_EVENTS,
	},
	{
		.name = "record", .args = "PID [RANGE]",
		.summary = "record events and page states into one file for a bug report",
		.help = "Writes FILE (-o, required): gzip JSON Lines, versioned (devexctl(8), "
			"RECORDINGS): a header (devexctl and kernel versions, PID, comm, RANGE, "
			"the event source and why), a snapshot of RANGE's VMAs and non-present "
			"runs (and the entries and notifiers documents where the kernel "
			"interface answers), every event, a snapshot at the end and a trailer "
			"that says why it stopped: --duration, Ctrl-C, --max-size or the "
			"target's exit. Events come from monitor's tracefs instance (tracepoints "
			"or probes; root), else from polling pagemap every --interval ms (the "
			"pages whose state changed between two walks; nothing is faulted in). "
			"The file is readable even when the recorder is killed. 'devexctl report "
			"FILE' sums it up.",
		.opts = record_opts, .min_args = 1, .max_args = 2, .run = cmd_record,
		.caps_open = C_READ | C_EVENTS | C_SYMS | C_ASK,
		.caps_run = C_EVENTS | C_ASK,
	},
	{
		.name = "report", .args = "FILE",
		.summary = "summarise a recording",
		.help = "Reads a recording of 'devexctl record' and prints, per VMA and per "
			"owner, the conversions, restores by reason (fault, fork) and removals, "
			"the notifier deliveries per subscriber, the ten pages that changed "
			"most, the device-exclusive entries alive at the end and for how long, "
			"for a polled recording the page-state changes per state, and the "
			"verdicts 'check --watch' would have given over the recorded events "
			"(findings: the exit status stays 0). A damaged "
			"file is an error that names the line and byte where it broke (exit 1); "
			"a file without its trailer (the recorder was killed) is summarised with "
			"a warning that it is incomplete. --svg and --png also draw the recording "
			"as a heatmap for a bug report (doc/heatmap.md): rows are address "
			"buckets of the VMAs with events, columns are time buckets, the colour "
			"is the kind of event that dominates the bucket (conversion, restore, "
			"removal, other change), its depth how many; a strip above shows the "
			"notifier invalidations.",
		.opts = report_opts, .min_args = 1, .max_args = 1, .run = cmd_report,
		.caps_open = 0,
		.caps_run = 0,
	},
	{
		.name = "tui", .args = "[PID]",
		.summary = "the interactive interface",
		.help = "Shows PID's VMAs with page counts per state, the page map of the selected "
			"VMA (state, PFN, flags and kernel entry of the page under the cursor), "
			"its MMU-notifier subscribers and live devexcl events (tracefs); converts, "
			"reverts and checks pages from the keyboard (root and the kernel-debugfs/ "
			"patches). Without PID, a process picker. Works on a snapshot with --proc "
			"DIR. With --replay FILE, steps through a recording of 'devexctl record' "
			"in time instead (no PID; it cannot act). F1 in the interface lists the "
			"keys.",
		.opts = tui_opts, .min_args = 0, .max_args = 1, .run = cmd_tui,
		.caps_open = C_READ | C_EVENTS | C_SYMS | C_CONN,
		.caps_run = C_READ | C_EVENTS | C_SYMS | C_CONN,
	},
	{
		.name = "help", .args = "[COMMAND|states]",
		.summary = "help for a command, or the page states",
		.help = "Without an argument, lists the commands. With a command, its usage and "
			"options. 'devexctl help states' lists the page states and flags.",
		.opts = no_opts, .min_args = 0, .max_args = 1, .run = cmd_help,
		.caps_open = 0,
		.caps_run = 0,
	},
	{
		.name = "completion", .args = "bash",
		.summary = "print a bash completion script",
		.help = "Prints a bash completion script generated from the command table: eval "
			"\"$(devexctl completion bash)\".",
		.opts = no_opts, .min_args = 1, .max_args = 1, .run = cmd_completion,
		.caps_open = 0,
		.caps_run = 0,
	},
	{ .name = NULL },
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = command_table; c->name; c++)
		if (strcmp(c->name, name) == 0)	/* exact: no prefix matching */
			return c;
	return NULL;
}

static void usage_opts(FILE *out, const struct opt_doc *opts)
{
	for (const struct opt_doc *o = opts; o->lng; o++) {
		char left[48];

		if (o->shrt)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shrt, o->lng,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->lng,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-26s %s\n", left, o->help);
	}
}

/* Documents main.c's global_long[] (by name: nothing indexes it). */
static const struct opt_doc global_opts[] = {
	{ .lng = "json", .shrt = 'j', .help = "JSON output" },
	{ .lng = "pretty", .shrt = 'p', .help = "indent JSON output" },
	{ .lng = "proc", .arg = "DIR",
	  .help = "read DIR instead of /proc (a snapshot directory replays it)" },
	{ .lng = "debugfs", .arg = "DIR", .help = "debugfs mount point (default /sys/kernel/debug)" },
	{ .lng = "no-color", .help = "no colours (also: NO_COLOR in the environment)" },
	{ .lng = "help", .shrt = 'h', .help = "this help" },
	{ .lng = "version", .shrt = 'V', .help = "print the version" },
	{ .lng = NULL },
};

void usage_all(FILE *out)
{
	fprintf(out, "Usage: devexctl [OPTIONS] COMMAND [ARGS]\n\n"
		"Show, check and (with the kernel-debugfs patches) trigger device-exclusive\n"
		"page-table entries of a process.\n\nCommands:\n");
	for (const struct command *c = command_table; c->name; c++) {
		char left[128];

		snprintf(left, sizeof(left), "%s %s", c->name, c->args);
		if (strlen(left) > 26)	/* the summary goes under a long synopsis */
			fprintf(out, "  %s\n  %-26s %s\n", left, "", c->summary);
		else
			fprintf(out, "  %-26s %s\n", left, c->summary);
	}
	fprintf(out, "\nOptions:\n");
	usage_opts(out, global_opts);
	fprintf(out, "\nRANGE: ADDR, START-END, START+LEN (0x hex or decimal, K/M/G suffixes)\n"
		"       or a mapping name as in maps ([heap], /usr/lib/...).\n"
		"Exit status: 0 ok, 1 error, 2 usage, 3 check failed, 4 feature missing,\n"
		"             5 permission, 6 no such process. See devexctl(8).\n");
}

/* FLAG_LEGEND in a help paragraph prints as flag_legend(): the letters, from their table. */
static void help_paragraph(FILE *out, const char *help)
{
	const char *at = strstr(help, FLAG_LEGEND);
	char legend[160];

	if (!at) {
		fprintf(out, "%s\n", help);
		return;
	}
	flag_legend(legend, sizeof(legend));
	fprintf(out, "%.*s%s%s\n", (int)(at - help), help, legend, at + strlen(FLAG_LEGEND));
}

void usage_command(FILE *out, const struct command *c)
{
	fprintf(out, "Usage: devexctl [OPTIONS] %s%s%s%s\n\n", c->name,
		c->opts[0].lng ? " [CMD-OPTIONS]" : "", c->args[0] ? " " : "", c->args);
	help_paragraph(out, c->help);
	if (c->opts[0].lng) {
		fprintf(out, "\nCommand options:\n");
		usage_opts(out, c->opts);
	}
	if (c->caps_open) {
		char open[160], run[160];

		caps_mask_text(c->caps_open, open, sizeof(open));
		caps_mask_text(c->caps_run, run, sizeof(run));
		fprintf(out, "\nCapabilities: uses %s to open the target, then keeps %s\n"
			"(every other capability is dropped; see devexctl(8)).\n", open, run);
	}
	fprintf(out, "\nGlobal options (-j, -p, --proc DIR, ...): see 'devexctl --help'.\n");
}

/* Global output flags are accepted after the command too. */
enum { OPT_G_JSON = 1000, OPT_G_PRETTY, OPT_G_HELP };

int command_run(const struct command *cmd, const struct globals *g0, int argc, char **argv)
{
	struct option lopts[CMD_MAX_OPTS + 4];
	char sopts[CMD_MAX_OPTS * 2 + 8] = "jph";
	struct globals g = *g0;
	struct cmd_ctx c = { .g = &g, .cmd = cmd };
	int n = 0, opt, err;

	for (const struct opt_doc *o = cmd->opts; o->lng; o++, n++) {
		lopts[n] = (struct option){ o->lng, o->arg ? required_argument : no_argument, NULL,
					    o->shrt ? o->shrt : 256 + n };
		if (o->shrt) {
			size_t l = strlen(sopts);

			sopts[l] = o->shrt;
			sopts[l + 1] = o->arg ? ':' : '\0';
			sopts[l + 2] = '\0';
		}
	}
	lopts[n++] = (struct option){ "json", no_argument, NULL, 'j' };
	lopts[n++] = (struct option){ "pretty", no_argument, NULL, 'p' };
	lopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lopts[n] = (struct option){ NULL, 0, NULL, 0 };

	optind = 0;	/* 0: glibc reinitialises, permutation included */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, sopts, lopts, NULL)) != -1) {
		int i = 0;

		switch (opt) {
		case 'j':
			g.json = true;
			continue;
		case 'p':
			g.json = g.pretty = true;
			continue;
		case 'h':
			usage_command(stdout, cmd);
			return 0;
		case '?':
		case ':':
			return err_usage("%s: bad option '%s' (see 'devexctl help %s')",
					 cmd->name, argv[optind - 1], cmd->name);
		}
		for (const struct opt_doc *o = cmd->opts; o->lng; o++, i++)
			if (opt == o->shrt || opt == 256 + i)
				c.opt[i] = optarg ? optarg : "1";
	}
	c.argc = argc - optind;
	c.argv = argv + optind;
	if (c.argc < cmd->min_args || c.argc > cmd->max_args)
		return err_usage("usage: devexctl %s %s (see 'devexctl help %s')",
				 cmd->name, cmd->args, cmd->name);
	out_init(g.json, g.pretty);
	err = caps_enter(cmd->caps_open, cmd->caps_run);
	if (err)
		return err;
	return cmd->run(&c);
}

static void help_states(void)
{
	out_open_object(NULL);
	out_text("Page states:\n");
	out_open_array("states");
	for (int s = 0; s < PS_NR; s++) {
		out_open_object(NULL);
		out_string(OUT_ANY, "name", "  %-18s", state_table[s].name);
		out_string(OUT_JSON, "key", "", state_table[s].key);
		out_string(OUT_ANY, "abbrev", "%-7s", state_table[s].abbrev);
		out_bool(OUT_JSON, "has_pfn", "", state_table[s].has_pfn);
		out_string(OUT_ANY, "description", "%s\n", state_table[s].desc);
		out_close_object();
	}
	out_close_array();
	out_text("\nPage flags (pages FLAGS column):\n");
	out_open_array("flags");
	for (int f = 0; f < PGF_NR; f++) {
		char letter[2] = { flag_table[f].letter, '\0' };

		out_open_object(NULL);
		out_string(OUT_ANY, "letter", "  %s  ", letter);
		out_string(OUT_ANY, "key", "%-12s", flag_table[f].key);
		out_string(OUT_ANY, "description", "%s\n", flag_table[f].desc);
		out_close_object();
	}
	out_close_array();
	out_close_object();
}

int cmd_help(struct cmd_ctx *c)
{
	const struct command *cmd;

	if (c->argc == 0 && out_is_json()) {
		out_open_object(NULL);
		out_open_array("commands");
		for (cmd = command_table; cmd->name; cmd++) {
			out_open_object(NULL);
			out_string(OUT_JSON, "name", "", cmd->name);
			out_string(OUT_JSON, "args", "", cmd->args);
			out_string(OUT_JSON, "summary", "", cmd->summary);
			out_close_object();
		}
		out_close_array();
		out_close_object();
		return out_finish();
	}
	if (c->argc == 0) {
		usage_all(stdout);
		return 0;
	}
	if (strcmp(c->argv[0], "states") == 0) {
		help_states();
		return out_finish();
	}
	cmd = command_find(c->argv[0]);
	if (!cmd)
		return err_usage("no command '%s' (see 'devexctl help')", c->argv[0]);
	usage_command(stdout, cmd);
	return 0;
}

int cmd_completion(struct cmd_ctx *c)
{
	if (strcmp(c->argv[0], "bash") != 0)
		return err_usage("completion: only 'bash' is supported");
	printf("# bash completion for devexctl, generated from its command table\n"
	       "_devexctl() {\n"
	       "\tlocal cur=${COMP_WORDS[COMP_CWORD]} cmd= i\n"
	       "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	       "\t\tcase ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break;; esac\n"
	       "\tdone\n"
	       "\tcase $cmd in\n"
	       "\t'') COMPREPLY=($(compgen -W '");
	for (const struct command *k = command_table; k->name; k++)
		printf("%s ", k->name);
	for (const struct opt_doc *o = global_opts; o->lng; o++)
		printf("--%s ", o->lng);
	printf("' -- \"$cur\"));;\n");
	for (const struct command *k = command_table; k->name; k++) {
		printf("\t%s) COMPREPLY=($(compgen -W '--json --pretty --help ", k->name);
		for (const struct opt_doc *o = k->opts; o->lng; o++) {
			printf("--%s ", o->lng);
			if (strcmp(o->lng, "state") == 0)	/* its values */
				for (int st = 0; st < PS_NR; st++)
					printf("%s ", state_table[st].name);
		}
		if (strcmp(k->name, "help") == 0) {
			for (const struct command *h = command_table; h->name; h++)
				printf("%s ", h->name);
			printf("states ");
		}
		printf("' -- \"$cur\"));;\n");
	}
	printf("\tesac\n}\ncomplete -F _devexctl devexctl\n");
	return 0;
}
