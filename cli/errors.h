/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Errors travel up the stack as negative errno values.  The place that
 * first sees a failure records what it was doing (err_set), and main()
 * maps the errno to one message and one exit status (err_report).
 */
#ifndef DEVEXCTL_ERRORS_H
#define DEVEXCTL_ERRORS_H

#include <stddef.h>

/* Exit statuses: the contract of design.md §5 and devexctl(8). */
enum exit_status {
	EXIT_OK = 0,
	EXIT_ERROR = 1,		/* I/O error, kernel refused, bad file (EINVAL too) */
	EXIT_USAGE = 2,		/* bad command line: EUSAGE only */
	EXIT_CHECK_FAILED = 3,	/* an invariant check failed */
	EXIT_MISSING = 4,	/* interface or feature missing */
	EXIT_PERM = 5,		/* missing capability or permission */
	EXIT_NOPROC = 6,	/* no such process, or it exited */
};

/*
 * Project-specific error numbers, above the kernel's errno range, for the
 * few failures no errno names.  They travel like errno values.
 */
#define EUSAGE		4096	/* bad command line: exit 2 */
#define ETRUNC		4097	/* a file ended early (truncated pagemap) */
#define ENOPATCH	4098	/* the devexcl kernel interface is absent */
#define ENOTRACEFS	4099	/* tracefs is not mounted */
#define ENOTUI		4100	/* built with configure --disable-tui */
#define ENOCAIRO	4101	/* built with configure --without-cairo: no report --svg/--png */
#define ENOPLOT		4102	/* the plot helper (devexctl-plot) is not there */
#define EPLOT		4103	/* the plot helper failed */

/* Record context for @err (negative); returns @err for "return err_set(...)". */
int err_set(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Add a one-line hint ("what to do") to the recorded error. */
void err_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shorthand for a usage error: message, then exit 2. */
int err_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the recorded message for @err (negative) and return the exit status. */
int err_report(int err);
/* Exit status for a negative errno, without printing. */
int err_exit_status(int err);
/* The message err_report() prints for @err, without "devexctl: ", in @buf. */
const char *err_text(int err, char *buf, size_t len);
/* The hint err_report() prints for @err, or NULL. */
const char *err_hint_text(int err);
/* The errno's symbolic name ("ESRCH", "ENOPATCH"), or its number ("4242") when unknown. */
const char *err_name(int err);
/* Text for an errno value, including the project-specific ones. */
const char *err_str(int err);
/* Forget any recorded context (tests). */
void err_clear(void);

#endif
