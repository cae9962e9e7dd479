// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: errno -> name, text, exit status and hint (cli/errors.c).
 * Built twice: against the library, and (ERRORS_NO_STRERRORNAME) with
 * errors.c compiled in here without strerrorname_np(), as on a libc that
 * lacks it: the names must not change.
 */
#include "config.h"

#ifdef ERRORS_NO_STRERRORNAME
#include <string.h>
/* A libc that names no errno: errors.c must fall back to its table. */
#define strerrorname_np(err) ((const char *)NULL)
#include "errors.c"	/* instead of the library's errors.o */
#endif

#include <errno.h>
#include <stdio.h>

#include "check.h"
#include "errors.h"

static void row(int err, const char *name, int status)
{
	CHECK_STR(err_name(-err), name, name);
	CHECK_INT(err_exit_status(-err), status, name);
}

int main(void)
{
	char text[600];

	/* Only the command line is exit 2. */
	row(EUSAGE, "EUSAGE", EXIT_USAGE);
	/* The kernel or a file refusing a value is an error, not usage. */
	row(EINVAL, "EINVAL", EXIT_ERROR);
	row(ERANGE, "ERANGE", EXIT_ERROR);
	row(EIO, "EIO", EXIT_ERROR);
	row(ENOENT, "ENOENT", EXIT_ERROR);
	row(ETRUNC, "ETRUNC", EXIT_ERROR);
	row(ESRCH, "ESRCH", EXIT_NOPROC);
	row(EPERM, "EPERM", EXIT_PERM);
	row(EACCES, "EACCES", EXIT_PERM);
	row(EOPNOTSUPP, "EOPNOTSUPP", EXIT_MISSING);
	row(ENOSYS, "ENOSYS", EXIT_MISSING);
	row(ENOTTY, "ENOTTY", EXIT_MISSING);
	row(ENOPATCH, "ENOPATCH", EXIT_MISSING);
	row(ENOTRACEFS, "ENOTRACEFS", EXIT_MISSING);
	/* Not in the table: exit 1; a number no one names is its number. */
	CHECK_INT(err_exit_status(-EBUSY), EXIT_ERROR, "EBUSY");
	CHECK_STR(err_name(-4242), "4242", "unknown errno");
#if defined(ERRORS_NO_STRERRORNAME)
	CHECK_STR(err_name(-EBUSY), "16", "EBUSY: in no table, and libc names nothing");
#elif defined(HAVE_STRERRORNAME_NP)
	CHECK_STR(err_name(-EBUSY), "EBUSY", "EBUSY: libc's name");
#endif
	CHECK_INT(err_exit_status(0), 0, "success");
	CHECK_INT(err_exit_status(3), 3, "a status passes through");

	/* Texts: the project's own, else strerror(). */
	CHECK_STR(err_str(-EUSAGE), "usage error", "EUSAGE text");
	CHECK_STR(err_str(-ETRUNC), "file is truncated", "ETRUNC text");
	CHECK_STR(err_str(-ENOTRACEFS), "tracefs not mounted", "ENOTRACEFS text");
	CHECK_STR(err_str(-EINVAL), strerror(EINVAL), "EINVAL text");

	/* Hints: usage points at help; a kernel refusal does not. */
	err_clear();
	CHECK_STR(err_hint_text(-EUSAGE), "run 'devexctl help' for usage", "usage hint");
	CHECK(err_hint_text(-EINVAL) == NULL, "EINVAL: no usage hint");
	CHECK(err_hint_text(-ERANGE) == NULL, "ERANGE: no usage hint");
	CHECK(err_hint_text(-ESRCH) != NULL, "ESRCH hint");

	/* The message a call site set, then the errno's text. */
	err_set(-EINVAL, "the kernel refused '%s'", "make_exclusive 1,0x1000,0x2000");
	CHECK_STR(err_text(-EINVAL, text, sizeof(text)),
		  "the kernel refused 'make_exclusive 1,0x1000,0x2000': Invalid argument",
		  "refusal text");
	err_hint("try again");
	CHECK_STR(err_hint_text(-EINVAL), "try again", "the call site's hint");
	CHECK_INT(err_usage("bad range '%s'", "zz"), -EUSAGE, "err_usage");
	CHECK_STR(err_text(-EUSAGE, text, sizeof(text)), "bad range 'zz'", "usage text");
	CHECK_DONE();
}
