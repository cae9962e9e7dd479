/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one clock of devexctl's loops: CLOCK_MONOTONIC, which the tracefs
 * instances also use (trace_clock mono), so deadlines and event times
 * agree.
 */
#ifndef DEVEXCTL_CLOCK_H
#define DEVEXCTL_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds since an arbitrary start (boot). */
static inline int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The same clock in seconds, for rates and the TUI's refresh times. */
static inline double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
