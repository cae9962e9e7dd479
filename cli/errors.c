// SPDX-License-Identifier: GPL-2.0-or-later
/* The one place that turns a negative errno into a message and an exit status. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"

static char err_msg[512];
static char err_hint_msg[512];

/* errno → exit status and the default hint when the call site gave none. */
static const struct err_map {
	int err;
	int status;
	const char *hint;
} err_table[] = {
	{ EUSAGE,	EXIT_USAGE,	"run 'devexctl help' for usage" },
	{ EINVAL,	EXIT_USAGE,	"run 'devexctl help' for usage" },
	{ ERANGE,	EXIT_USAGE,	"run 'devexctl help' for usage" },
	{ ESRCH,	EXIT_NOPROC,	"check the PID with 'ps -p PID'" },
	{ EPERM,	EXIT_PERM,	"run as root, or grant CAP_SYS_ADMIN/CAP_SYS_PTRACE" },
	{ EACCES,	EXIT_PERM,	"run as root, or as the target's owner with ptrace access" },
	{ EOPNOTSUPP,	EXIT_MISSING,	"run 'devexctl features' to see what this kernel offers" },
	{ ENOSYS,	EXIT_MISSING,	"run 'devexctl features' to see what this kernel offers" },
	{ ENOTTY,	EXIT_MISSING,	"run 'devexctl features' to see what this kernel offers" },
	{ ENOPATCH,	EXIT_MISSING,	"this needs the devexcl kernel interface: see kernel-debugfs/README.md (scripts/demo boots a kernel with it); on a stock kernel, monitor and check --watch work through probes ('devexctl features')" },
	{ ENOTRACEFS,	EXIT_MISSING,	"mount it: mount -t tracefs nodev /sys/kernel/tracing" },
	{ ENOTUI,	EXIT_MISSING,	NULL },
	{ ETRUNC,	EXIT_ERROR,	"the snapshot is incomplete: take it again with 'devexctl snapshot'" },
};

static const struct err_map *err_lookup(int err)
{
	for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].err == -err)
			return &err_table[i];
	return NULL;
}

const char *err_str(int err)
{
	switch (-err) {
	case EUSAGE:
		return "usage error";
	case ETRUNC:
		return "file is truncated";
	case ENOPATCH:
		return "devexcl kernel interface not present";
	case ENOTRACEFS:
		return "tracefs not mounted";
	case ENOTUI:
		return "this devexctl was built without the TUI (configure --disable-tui)";
	default:
		return strerror(-err);
	}
}

int err_set(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_msg, sizeof(err_msg), fmt, ap);
	va_end(ap);
	err_hint_msg[0] = '\0';
	return err;
}

void err_hint(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_hint_msg, sizeof(err_hint_msg), fmt, ap);
	va_end(ap);
}

int err_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_msg, sizeof(err_msg), fmt, ap);
	va_end(ap);
	err_hint_msg[0] = '\0';
	return -EUSAGE;
}

void err_clear(void)
{
	err_msg[0] = '\0';
	err_hint_msg[0] = '\0';
}

int err_exit_status(int err)
{
	const struct err_map *m = err_lookup(err);

	if (err >= 0)
		return err;
	return m ? m->status : EXIT_ERROR;
}

const char *err_name(int err)
{
	const char *name;

	switch (-err) {
	case EUSAGE:
		return "EUSAGE";
	case ETRUNC:
		return "ETRUNC";
	case ENOPATCH:
		return "ENOPATCH";
	case ENOTRACEFS:
		return "ENOTRACEFS";
	case ENOTUI:
		return "ENOTUI";
	default:
#ifdef HAVE_STRERRORNAME_NP
		name = strerrorname_np(-err);
#else
		name = NULL;	/* glibc before 2.32, musl */
#endif
		return name ? name : "EUNKNOWN";
	}
}

const char *err_text(int err, char *buf, size_t len)
{
	if (-err == EUSAGE)
		snprintf(buf, len, "%s", err_msg[0] ? err_msg : "bad usage");
	else if (err_msg[0])
		snprintf(buf, len, "%s: %s", err_msg, err_str(err));
	else
		snprintf(buf, len, "%s", err_str(err));
	return buf;
}

const char *err_hint_text(int err)
{
	const struct err_map *m = err_lookup(err);

	return err_hint_msg[0] ? err_hint_msg : (m ? m->hint : NULL);
}

int err_report(int err)
{
	char text[sizeof(err_msg) + 64];
	const char *hint = err_hint_text(err);

	if (err >= 0)
		return err;
	fprintf(stderr, "devexctl: %s\n", err_text(err, text, sizeof(text)));
	if (hint)
		fprintf(stderr, "devexctl: hint: %s\n", hint);
	return err_exit_status(err);
}
