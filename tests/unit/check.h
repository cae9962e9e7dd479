/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny assertion kit for the unit tests: no framework.  Each CHECK
 * counts, prints what failed with file and line, and CHECK_DONE() makes
 * the exit status (0 all passed, 1 something failed) for Automake.
 */
#ifndef DEVEXCTL_TEST_CHECK_H
#define DEVEXCTL_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static unsigned int check_total, check_failed;

#define CHECK_FAIL_(fmt, ...) do {						\
	check_failed++;								\
	fprintf(stderr, "FAIL %s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__); \
} while (0)

/* A condition; @what says which case (printed on failure). */
#define CHECK(cond, what) do {							\
	check_total++;								\
	if (!(cond))								\
		CHECK_FAIL_("%s: %s", (what), #cond);				\
} while (0)

#define CHECK_U64(got, want, what) do {						\
	uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want);		\
	check_total++;								\
	if (got_ != want_)							\
		CHECK_FAIL_("%s: %s = 0x%" PRIx64 " (%" PRIu64 "), want 0x%" PRIx64 " (%" PRIu64 ")", \
			    (what), #got, got_, got_, want_, want_);		\
} while (0)

#define CHECK_INT(got, want, what) do {						\
	long long got_ = (long long)(got), want_ = (long long)(want);		\
	check_total++;								\
	if (got_ != want_)							\
		CHECK_FAIL_("%s: %s = %lld, want %lld", (what), #got, got_, want_); \
} while (0)

#define CHECK_STR(got, want, what) do {						\
	const char *got_ = (got), *want_ = (want);				\
	check_total++;								\
	if (!got_ || strcmp(got_, want_) != 0)					\
		CHECK_FAIL_("%s: %s = \"%s\", want \"%s\"", (what), #got,	\
			    got_ ? got_ : "(null)", want_);			\
} while (0)

#define CHECK_DONE() do {							\
	printf("%s: %u checks, %u failed\n", __FILE__, check_total, check_failed); \
	return check_failed ? 1 : 0;						\
} while (0)

#endif
