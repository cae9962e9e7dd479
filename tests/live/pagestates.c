// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pagestates: a target whose page states change on command, for
 * tests/cmd/record.sh.
 *
 *   pagestates [PAGES]
 *
 * Maps PAGES (default 16) private anonymous pages inside a PROT_NONE
 * reservation (no VMA merges with a neighbour; THP off, so one touch maps
 * one page), prints "anon ADDR PAGES" and "ready", then reads commands
 * from stdin, one per line, and answers each with one line, "ok" or
 * "err ERRNO-TEXT":
 *   t A B   touch (write) pages A..B: they become present
 *   d A B   MADV_DONTNEED pages A..B: they become none
 *   g A B   MADV_GUARD_INSTALL (102) on pages A..B: guard markers
 *   r A B   MADV_GUARD_REMOVE (103) on pages A..B: none again
 *   c       churn: page 0 present for 2 ms, none for 2 ms, and again, until
 *           the next command arrives (answers "ok" at once)
 * It exits at the end of stdin; tests kill it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE 103
#endif

static char *anon;
static size_t psz, npages;

static int apply(char cmd, size_t a, size_t b)
{
	size_t len = (b - a + 1) * psz;

	switch (cmd) {
	case 't':
		for (size_t i = a; i <= b; i++)
			anon[i * psz] = 1;
		return 0;
	case 'd':
		return madvise(anon + a * psz, len, MADV_DONTNEED);
	case 'g':
		return madvise(anon + a * psz, len, MADV_GUARD_INSTALL);
	case 'r':
		return madvise(anon + a * psz, len, MADV_GUARD_REMOVE);
	}
	errno = EINVAL;
	return -1;
}

/* Until stdin has a line: page 0 present for 2 ms, then none for 2 ms. */
static void churn(void)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	bool present = false;

	while (poll(&pfd, 1, 2) == 0) {
		present = !present;
		if (present)
			anon[0] = 1;
		else
			madvise(anon, psz, MADV_DONTNEED);
	}
}

int main(int argc, char **argv)
{
	char line[128], *base;
	size_t a, b;
	char cmd;

	psz = (size_t)sysconf(_SC_PAGESIZE);
	npages = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	if (npages == 0 || npages > 1 << 20)
		return 2;
	base = mmap(NULL, (npages + 2) * psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return 1;
	anon = mmap(base + psz, npages * psz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (anon == MAP_FAILED)
		return 1;
	madvise(anon, npages * psz, MADV_NOHUGEPAGE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("anon %p %zu\nready\n", (void *)anon, npages);
	/* read(), not stdio: churn() polls fd 0 and must see every line. */
	for (;;) {
		size_t n = 0;
		ssize_t r = 1;

		while (n + 1 < sizeof(line) && (r = read(0, line + n, 1)) == 1 && line[n] != '\n')
			n++;
		if (r != 1)
			return 0;	/* end of stdin */
		line[n] = '\0';
		if (strcmp(line, "c") == 0) {
			printf("ok\n");
			churn();
			continue;
		}
		if (sscanf(line, "%c %zu %zu", &cmd, &a, &b) != 3 || a > b || b >= npages) {
			printf("err bad command '%s'\n", line);
			continue;
		}
		if (apply(cmd, a, b))
			printf("err %s\n", strerror(errno));
		else
			printf("ok\n");
	}
}
