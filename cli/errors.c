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

#define HINT_USAGE	"run 'devexctl help' for usage"
#define HINT_FEATURES	"run 'devexctl features' to see what this kernel offers"

/*
 * Everything devexctl knows about an errno, in one row: its name (used when
 * libc has no strerrorname_np()), its text (NULL: strerror()), the exit
 * status and the hint printed when the call site gave none.  An errno not
 * listed is exit 1 without a hint.  Only EUSAGE is exit 2: every problem
 * of the command line is reported with err_usage(), so EINVAL and ERANGE
 * come from the kernel or a file, and the call site's message says which
 * refused what; "run 'devexctl help'" would send the user the wrong way.
 */
static const struct err_info {
	int err;
	const char *name;
	const char *msg;
	int status;
	const char *hint;
} err_table[] = {
	{ EUSAGE,	"EUSAGE",	"usage error",		EXIT_USAGE,	HINT_USAGE },
	{ ETRUNC,	"ETRUNC",	"file is truncated",	EXIT_ERROR,
	  "the snapshot is incomplete: take it again with 'devexctl snapshot'" },
	{ ENOPATCH,	"ENOPATCH",	"devexcl kernel interface not present", EXIT_MISSING,
	  "this needs the devexcl kernel interface: see kernel-debugfs/README.md "
	  "(scripts/demo boots a kernel with it); on a stock kernel, monitor and "
	  "check --watch work through probes ('devexctl features')" },
	{ ENOTRACEFS,	"ENOTRACEFS",	"tracefs not mounted",	EXIT_MISSING,
	  "mount it: mount -t tracefs nodev /sys/kernel/tracing" },
	{ ENOTUI,	"ENOTUI",
	  "this devexctl was built without the TUI (configure --disable-tui)", EXIT_MISSING, NULL },
	{ ENOCAIRO,	"ENOCAIRO",
	  "this devexctl was built without cairo (configure --without-cairo)", EXIT_MISSING, NULL },
	{ ENOPLOT,	"ENOPLOT",	"the plot helper is missing",	EXIT_MISSING,
	  "reinstall devexctl (report --svg/--png run its devexctl-plot), or point "
	  "DEVEXCTL_PLOT at one" },
	{ EPLOT,	"EPLOT",	"the plot helper failed",	EXIT_ERROR,	NULL },
	{ ESRCH,	"ESRCH",	NULL,	EXIT_NOPROC,	"check the PID with 'ps -p PID'" },
	{ EPERM,	"EPERM",	NULL,	EXIT_PERM,
	  "run as root, or grant CAP_SYS_ADMIN/CAP_SYS_PTRACE" },
	{ EACCES,	"EACCES",	NULL,	EXIT_PERM,
	  "run as root, or as the target's owner with ptrace access" },
	{ EOPNOTSUPP,	"EOPNOTSUPP",	NULL,	EXIT_MISSING,	HINT_FEATURES },
	{ ENOSYS,	"ENOSYS",	NULL,	EXIT_MISSING,	HINT_FEATURES },
	{ ENOTTY,	"ENOTTY",	NULL,	EXIT_MISSING,	HINT_FEATURES },
	/* The kernel or a file refused a value: exit 1, the call site says why. */
	{ EINVAL,	"EINVAL",	NULL,	EXIT_ERROR,	NULL },
	{ ERANGE,	"ERANGE",	NULL,	EXIT_ERROR,	NULL },
	{ EIO,		"EIO",		NULL,	EXIT_ERROR,	NULL },
	{ ENOENT,	"ENOENT",	NULL,	EXIT_ERROR,	NULL },
	/* A recording that does not parse (record_read.c): the message says where. */
	{ EBADMSG,	"EBADMSG",	"not a valid recording",	EXIT_ERROR,	NULL },
};

static const struct err_info *err_lookup(int err)
{
	for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].err == -err)
			return &err_table[i];
	return NULL;
}

const char *err_str(int err)
{
	const struct err_info *e = err_lookup(err);

	return e && e->msg ? e->msg : strerror(-err);
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
	const struct err_info *e = err_lookup(err);

	if (err >= 0)
		return err;
	return e ? e->status : EXIT_ERROR;
}

const char *err_name(int err)
{
	const struct err_info *e = err_lookup(err);
	static char num[16];

	if (e && -err >= EUSAGE)	/* the project's own: libc has no name */
		return e->name;
#ifdef HAVE_STRERRORNAME_NP
	if (strerrorname_np(-err))
		return strerrorname_np(-err);
#endif
	if (e)
		return e->name;
	snprintf(num, sizeof(num), "%d", -err);
	return num;
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
	const struct err_info *e = err_lookup(err);

	return err_hint_msg[0] ? err_hint_msg : (e ? e->hint : NULL);
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
