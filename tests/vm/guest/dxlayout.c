// SPDX-License-Identifier: GPL-2.0
/*
 * dxlayout: a target with a known address-space layout for the hostile-input
 * corpus (t-devexcl-corpus). Maps, then writes PREFIX.layout and waits:
 *
 *   one 16-page area:  page 0 guard (PROT_NONE) | 1-4 "a" (rw, filled) |
 *                      5 guard | 6-9 hole (unmapped) | 10-13 "b" (rw, filled)
 *                      | 14-15 guard
 *   "ro": 2 pages PROT_READ private anonymous (read, so mapped)
 *   "sh": 2 pages MAP_SHARED anonymous rw (filled)
 *
 * PREFIX.layout lines: "NAME 0xSTART 0xEND" for area guard0 a guard5 hole b
 * ro sh, then "pid N" and "ready". SIGUSR1 reads every filled page and
 * writes "verify ok|FAIL N" to PREFIX.verify; SIGTERM exits (0 when every
 * verify passed).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static long ps;
static char *area, *ro, *sh;

static uint64_t pat(const void *page, size_t i)
{
	return (uintptr_t)page * 0x9E3779B97F4A7C15ULL ^ i;
}

static void fill(char *p, int pages)
{
	for (int pg = 0; pg < pages; pg++)
		for (size_t i = 0; i < ps / 8; i++)
			((uint64_t *)(p + pg * ps))[i] = pat(p + pg * ps, i);
}

static int bad(char *p, int pages)
{
	int n = 0;

	for (int pg = 0; pg < pages; pg++)
		for (size_t i = 0; i < ps / 8; i++)
			n += ((volatile uint64_t *)(p + pg * ps))[i] != pat(p + pg * ps, i);
	return n;
}

static void put(FILE *f, const char *name, char *s, int pages)
{
	fprintf(f, "%s 0x%lx 0x%lx\n", name, (unsigned long)s,
		(unsigned long)(s + pages * ps));
}

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "/tmp/dxlayout";
	char path[256], tmp[270];
	int failed = 0, sig;
	sigset_t set;
	FILE *f;

	ps = sysconf(_SC_PAGESIZE);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);

	area = mmap(NULL, 16 * ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro = mmap(NULL, 2 * ps, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sh = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || ro == MAP_FAILED || sh == MAP_FAILED ||
	    mprotect(area + ps, 4 * ps, PROT_READ | PROT_WRITE) ||
	    munmap(area + 6 * ps, 4 * ps) ||
	    mprotect(area + 10 * ps, 4 * ps, PROT_READ | PROT_WRITE)) {
		perror("dxlayout");
		return 2;
	}
	madvise(area, 16 * ps, MADV_NOHUGEPAGE);
	fill(area + ps, 4);
	fill(area + 10 * ps, 4);
	fill(sh, 2);
	(void)*(volatile char *)ro;
	(void)*(volatile char *)(ro + ps);

	snprintf(path, sizeof(path), "%s.layout", prefix);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return 2;
	put(f, "area", area, 16);
	put(f, "guard0", area, 1);
	put(f, "a", area + ps, 4);
	put(f, "guard5", area + 5 * ps, 1);
	put(f, "hole", area + 6 * ps, 4);
	put(f, "b", area + 10 * ps, 4);
	put(f, "ro", ro, 2);
	put(f, "sh", sh, 2);
	fprintf(f, "pid %d\nready\n", getpid());
	if (fclose(f) || rename(tmp, path))
		return 2;

	while ((sig = sigwaitinfo(&set, NULL)) != SIGTERM) {
		int n = bad(area + ps, 4) + bad(area + 10 * ps, 4) + bad(sh, 2);

		failed |= n != 0;
		snprintf(path, sizeof(path), "%s.verify", prefix);
		f = fopen(path, "w");
		if (f) {
			fprintf(f, "verify %s %d\n", n ? "FAIL" : "ok", n);
			fclose(f);
		}
	}
	return failed;
}
