// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-target: the benchmark's workload processes.
 *
 *   bench-target WORKLOAD [SCALE]
 *
 * WORKLOAD (SCALE divides the sizes, for the quick mode; default 1):
 *   dense   1 GiB of private anonymous memory, every page written (THP off:
 *           4 KiB pages, the default of a process on a "madvise" host)
 *   dense-thp  the same with MADV_HUGEPAGE: 2 MiB pages where the kernel
 *           has them, so that PFNs run on and `pages` prints few lines
 *   sparse  a 64 GiB MAP_NORESERVE mapping (THP off); in each of 1024 slots
 *           of 64 MiB: 4 pages written at the slot's start (16 MiB in all)
 *           and 1 page that reads as swap-like at its middle.  The
 *           swap-like page is a guard marker (MADV_GUARD_INSTALL, 6.13+):
 *           a non-present swap-format PTE like swap, device-exclusive or
 *           migration entries, made without swap or a driver
 *   needle  8 GiB of private anonymous memory, every page written (THP
 *           off), then 64 guard markers (MADV_GUARD_INSTALL, 6.13+) spread
 *           over it: the needles `pages --state marker` must find.  Without
 *           guard markers it prints "skip REASON" and nothing is measured
 *   dense16, sparse1t, needle16  the sizes GPU processes reach: dense
 *           with 16 GiB, sparse over 1 TiB with 4096 slots of 256 MiB,
 *           needle with 16 GiB (each needs that much memory, sparse1t 64
 *           MiB and its page tables)
 *   vmas    20,000 mappings of 2 pages, the first written; protections
 *           alternate so that no two merge
 *   excl    (the patched guest, root) 100,000 pages written, then made
 *           device-exclusive through /dev/hmm_dmirror0 (lib/test_hmm.c)
 *
 * Prints "range 0xSTART 0xEND" (the workload's region), one
 * "expect STATE PAGES" line per state in the range, "ready", and waits
 * until stdin reaches EOF.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

/* lib/test_hmm_uapi.h */
struct hmm_dmirror_cmd {
	uint64_t addr, ptr, npages, cpages, faults;
};
#define HMM_DMIRROR_EXCLUSIVE _IOWR('H', 0x05, struct hmm_dmirror_cmd)

#define KiB (1024UL)
#define MiB (1024 * KiB)
#define GiB (1024 * MiB)

static size_t psz;
static unsigned long scale = 1;

static void die(const char *what)
{
	fprintf(stderr, "bench-target: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char *map_anon(size_t len, int prot, char *at)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (at ? MAP_FIXED : 0);
	char *p = mmap(at, len, prot, flags, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += psz)
		p[off] = 1;
}

static void report(const char *base, size_t len)
{
	printf("range %p %p\n", (void *)base, (void *)(base + len));
}

/* Whether @len bytes fit in MemAvailable with room to spare; else print the skip line. */
static int fits(size_t len)
{
	unsigned long long kib = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	if (!kib || len / KiB + 512 * 1024 < kib)
		return 1;
	printf("skip %zu MiB do not fit in MemAvailable (%llu MiB) with 512 MiB to spare\n",
	       len / MiB, kib / 1024);
	return 0;
}

static void dense_with(size_t len, int advice)
{
	size_t align = 2 * MiB;
	char *raw, *p;

	if (!fits(len))
		return;
	raw = map_anon(len + align, PROT_READ | PROT_WRITE, NULL);
	p = (char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
	madvise(p, len, advice);
	touch(p, len);
	report(p, len);
	printf("expect present %zu\n", len / psz);
}

static void dense(void)
{
	dense_with(1 * GiB / scale, MADV_NOHUGEPAGE);
}

static void dense_thp(void)
{
	dense_with(1 * GiB / scale, MADV_HUGEPAGE);
}

static void dense16(void)
{
	dense_with(16 * GiB / scale, MADV_NOHUGEPAGE);
}

/* @slots slots over @len: 4 pages written at each start, a guard marker in each middle. */
static void sparse_with(size_t len, size_t slots)
{
	size_t slot = len / slots, special = 0;
	char *p = map_anon(len, PROT_READ | PROT_WRITE, NULL);

	madvise(p, len, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < slots; i++) {
		touch(p + i * slot, 4 * psz);
		if (madvise(p + i * slot + slot / 2, psz, MADV_GUARD_INSTALL) == 0)
			special++;
	}
	report(p, len);
	printf("expect present %zu\n", slots * 4);
	if (special)
		printf("expect marker %zu\n", special);
	printf("expect none %zu\n", len / psz - slots * 4 - special);
}

static void sparse(void)
{
	sparse_with(64 * GiB / scale, 1024 / scale);
}

static void sparse1t(void)
{
	sparse_with(1024 * GiB / scale, 4096 / scale);
}

static void needle_with(size_t len)
{
	size_t needles = 64, gap = len / needles;
	char *p;

	if (!fits(len))
		return;
	p = map_anon(len, PROT_READ | PROT_WRITE, NULL);
	madvise(p, len, MADV_NOHUGEPAGE);
	touch(p, len);
	report(p, len);
	/* Halfway through each slot: never next to another needle or an edge. */
	for (size_t i = 0; i < needles; i++) {
		if (madvise(p + i * gap + gap / 2, psz, MADV_GUARD_INSTALL) == 0)
			continue;
		printf("skip no guard markers (MADV_GUARD_INSTALL: %s; Linux 6.13+)\n",
		       strerror(errno));
		return;
	}
	printf("expect present %zu\nexpect marker %zu\n", len / psz - needles, needles);
}

static void needle(void)
{
	needle_with(8 * GiB / scale);
}

static void needle16(void)
{
	needle_with(16 * GiB / scale);
}

static void vmas(void)
{
	size_t n = 20000 / scale, len = n * 2 * psz;
	char *p = map_anon(len, PROT_NONE, NULL);

	for (size_t i = 0; i < n; i++) {
		char *m = map_anon(2 * psz, PROT_READ | PROT_WRITE, p + i * 2 * psz);

		m[0] = 1;
		if (i % 2 && mprotect(m, 2 * psz, PROT_READ))
			die("mprotect");
	}
	report(p, len);
	printf("expect present %zu\nexpect none %zu\nexpect vmas %zu\n", n, n, n);
}

static void excl(void)
{
	size_t n = 100000 / scale, chunk = 500, len = n * psz;
	char *p = map_anon(len, PROT_READ | PROT_WRITE, NULL);
	char *bounce = malloc(chunk * psz);
	int fd = open("/dev/hmm_dmirror0", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("/dev/hmm_dmirror0");
	if (!bounce)
		die("malloc");
	madvise(p, len, MADV_NOHUGEPAGE);
	touch(p, len);
	for (size_t i = 0; i < n; i += chunk) {
		struct hmm_dmirror_cmd cmd = {
			.addr = (uintptr_t)(p + i * psz),
			.ptr = (uintptr_t)bounce,
			.npages = n - i < chunk ? n - i : chunk,
		};

		if (ioctl(fd, HMM_DMIRROR_EXCLUSIVE, &cmd))
			die("HMM_DMIRROR_EXCLUSIVE");
	}
	report(p, len);
	printf("expect device-exclusive %zu\n", n);
	/* fd stays open: closing it would release the device's mirror. */
}

static const struct {
	const char *name;
	void (*make)(void);
} workloads[] = {
	{ "dense", dense },
	{ "dense-thp", dense_thp },
	{ "sparse", sparse },
	{ "needle", needle },
	{ "dense16", dense16 },
	{ "sparse1t", sparse1t },
	{ "needle16", needle16 },
	{ "vmas", vmas },
	{ "excl", excl },
};

int main(int argc, char **argv)
{
	char buf[64];

	psz = (size_t)sysconf(_SC_PAGESIZE);
	if (argc > 2)
		scale = strtoul(argv[2], NULL, 0);
	if (argc < 2 || scale == 0)
		goto usage;
	for (size_t i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		if (strcmp(argv[1], workloads[i].name))
			continue;
		workloads[i].make();
		printf("ready\n");
		fflush(stdout);
		while (read(0, buf, sizeof(buf)) > 0)
			;
		return 0;
	}
usage:
	fprintf(stderr, "usage: bench-target dense|dense-thp|sparse|needle|dense16|sparse1t|"
		"needle16|vmas|excl [SCALE]\n");
	return 2;
}
