// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * racehook.so: an LD_PRELOAD shim for tests/live/races.sh that makes a race
 * happen every time, with no hook in devexctl itself.
 *
 *   DEVEXCTL_RACE_PID=PID DEVEXCTL_RACE_HOOK='shell command'
 *
 * The first time devexctl reads PID's pagemap for a mapping (a pread at a
 * non-zero offset, or a PAGEMAP_SCAN ioctl), after it has read the maps
 * line of that mapping, the shim runs the hook (kill the target, make it
 * unmap) and waits for it, then lets the read go on.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int fired;

static int target_pagemap(int fd)
{
	char link[64], path[256], want[64];
	const char *pid = getenv("DEVEXCTL_RACE_PID");
	ssize_t n;

	if (!pid)
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	snprintf(want, sizeof(want), "/proc/%s/pagemap", pid);
	return strcmp(path, want) == 0;
}

static void maybe_fire(int fd)
{
	const char *hook = getenv("DEVEXCTL_RACE_HOOK");

	if (fired || !hook || !target_pagemap(fd))
		return;
	fired = 1;
	unsetenv("LD_PRELOAD");
	if (system(hook) != 0)
		fprintf(stderr, "racehook: the hook failed: %s\n", hook);
}

ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
	static ssize_t (*real)(int, void *, size_t, off_t);

	if (!real)
		real = (ssize_t (*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread");
	if (off != 0)
		maybe_fire(fd);
	return real(fd, buf, count, off);
}

ssize_t pread64(int fd, void *buf, size_t count, off_t off)
{
	return pread(fd, buf, count, off);
}

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	maybe_fire(fd);
	return real(fd, req, arg);
}
