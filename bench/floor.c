// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-floor: the least a page-state reader can do, to measure against.
 *
 *   bench-floor pread   PID START END|all   pagemap in 64K-entry preads
 *   bench-floor scan    PID START END|all   one PAGEMAP_SCAN pass
 *   bench-floor scan-swapped PID START END  one PAGEMAP_SCAN pass asking for
 *                                           PAGE_IS_SWAPPED only (a needle
 *                                           query's mask): prints "swapped N"
 *   bench-floor maps    PID                 read /proc/PID/maps, nothing else
 *   bench-floor entries PID START END       the patched kernel's debugfs
 *                                           devexcl/entries, lines counted
 *
 * "all" walks every VMA of /proc/PID/maps (pread) or the whole user address
 * space (scan).  Prints "present N", "swapped N" (every non-present entry
 * that is not none: swap, device-exclusive, markers ...) and "none N";
 * maps prints "bytes N", entries "entries N".  No decoding, no output
 * formatting: nothing that reads page states can be faster than the better
 * of pread and scan.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../cli/uapi_pagemap_scan.h"

#define BATCH 65536		/* entries per pread, as page-types */
#define VEC 4096		/* regions per PAGEMAP_SCAN call */
#define USER_END 0x7ffffffff000ULL

static uint64_t psz, present, swapped;
static uint64_t scan_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
static int fd;

static void die(const char *what)
{
	fprintf(stderr, "bench-floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void do_pread(uint64_t start, uint64_t end)
{
	static uint64_t buf[BATCH];

	for (uint64_t a = start; a < end;) {
		uint64_t want = (end - a) / psz;
		ssize_t n;

		if (want > BATCH)
			want = BATCH;
		n = pread(fd, buf, want * 8, (off_t)(a / psz * 8));
		if (n <= 0)
			die("pread");
		for (ssize_t i = 0; i < n / 8; i++) {
			present += buf[i] >> 63;
			swapped += (buf[i] >> 62) & 1;
		}
		a += (uint64_t)n / 8 * psz;
	}
}

static void do_scan(uint64_t start, uint64_t end)
{
	static struct page_region vec[VEC];

	while (start < end) {
		struct pm_scan_arg a = {
			.size = sizeof(a),
			.start = start,
			.end = end,
			.vec = (uintptr_t)vec,
			.vec_len = VEC,
			.category_anyof_mask = scan_mask,
			.return_mask = scan_mask,
		};
		int n = ioctl(fd, PAGEMAP_SCAN, &a);

		if (n < 0)
			die("PAGEMAP_SCAN");
		for (int i = 0; i < n; i++) {
			uint64_t pages = (vec[i].end - vec[i].start) / psz;

			if (vec[i].categories & PAGE_IS_PRESENT)
				present += pages;
			else
				swapped += pages;
		}
		/*
		 * The kernel leaves walk_end where its last internal flush of a
		 * full 512-region bounce buffer stopped, even when it went on to
		 * finish the range (Linux 6.7 to at least 7.3): a walk_end before
		 * the last region's end means the whole range was walked.
		 */
		if (n > 0 && a.walk_end < vec[n - 1].end)
			a.walk_end = end;
		start = a.walk_end;
	}
}

/* Each VMA of /proc/PID/maps, or [start, end) clipped to the VMAs. */
static void walk_vmas(const char *pid, void (*fn)(uint64_t, uint64_t), uint64_t *total)
{
	char path[64], line[4096];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	f = fopen(path, "re");
	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f)) {
		uint64_t s, e;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64, &s, &e) != 2 || e > USER_END)
			continue;
		if (fn)
			fn(s, e);
		*total += (e - s) / psz;
	}
	fclose(f);
}

static void read_maps(const char *pid)
{
	static char buf[65536];
	char path[64];
	uint64_t bytes = 0;
	ssize_t n;
	int mfd;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	mfd = open(path, O_RDONLY | O_CLOEXEC);
	if (mfd < 0)
		die(path);
	while ((n = read(mfd, buf, sizeof(buf))) > 0)
		bytes += (uint64_t)n;
	if (n < 0)
		die(path);
	printf("bytes %" PRIu64 "\n", bytes);
}

static void read_entries(const char *pid, const char *start, const char *end)
{
	static char buf[65536];
	char req[128];
	uint64_t lines = 0;
	bool bol = true;
	ssize_t n;
	int dfd = open("/sys/kernel/debug/devexcl/entries", O_RDWR | O_CLOEXEC);

	if (dfd < 0)
		die("/sys/kernel/debug/devexcl/entries");
	n = snprintf(req, sizeof(req), "%s,%s,%s", pid, start, end);
	if (write(dfd, req, (size_t)n) != n)
		die("write entries");
	/* One line per entry, "0x..."; and a "# N entries" line. */
	while ((n = read(dfd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			lines += bol && buf[i] == '0';
			bol = buf[i] == '\n';
		}
	}
	if (n < 0)
		die("read entries");
	printf("entries %" PRIu64 "\n", lines);
}

int main(int argc, char **argv)
{
	char path[64];
	uint64_t start, end, total = 0;
	void (*fn)(uint64_t, uint64_t);

	psz = (uint64_t)sysconf(_SC_PAGESIZE);
	/* What starting a C program costs here: the floors' own fixed cost. */
	if (argc == 2 && strcmp(argv[1], "start") == 0)
		return 0;
	if (argc == 3 && strcmp(argv[1], "maps") == 0) {
		read_maps(argv[2]);
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "entries") == 0) {
		read_entries(argv[2], argv[3], argv[4]);
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "scan-swapped") == 0)
		scan_mask = PAGE_IS_SWAPPED;
	else if (argc < 4 || (strcmp(argv[1], "pread") && strcmp(argv[1], "scan")))
		goto usage;
	fn = argv[1][0] == 'p' ? do_pread : do_scan;
	snprintf(path, sizeof(path), "/proc/%s/pagemap", argv[2]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	if (argc == 4 && strcmp(argv[3], "all") == 0) {
		if (fn == do_scan) {
			do_scan(0, USER_END);
			walk_vmas(argv[2], NULL, &total);
		} else {
			walk_vmas(argv[2], fn, &total);
		}
	} else if (argc == 5) {
		start = strtoull(argv[3], NULL, 0);
		end = strtoull(argv[4], NULL, 0);
		fn(start, end);
		total = (end - start) / psz;
		if (scan_mask == PAGE_IS_SWAPPED) {
			printf("swapped %" PRIu64 "\n", swapped);
			return 0;
		}
	} else {
		goto usage;
	}
	printf("present %" PRIu64 "\nswapped %" PRIu64 "\nnone %" PRIu64 "\n",
	       present, swapped, total - present - swapped);
	return 0;
usage:
	fprintf(stderr, "usage: bench-floor pread|scan PID START END|all\n"
		"       bench-floor scan-swapped PID START END\n"
		"       bench-floor maps PID\n       bench-floor entries PID START END\n"
		"       bench-floor start\n");
	return 2;
}
