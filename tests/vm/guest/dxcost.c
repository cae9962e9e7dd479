// SPDX-License-Identifier: GPL-2.0
/*
 * dxcost: the cost of one conversion and one restore, for bench/tracepoints.
 *
 *   dxcost [-p PAGES] [-r ROUNDS]
 *
 * Converts PAGES pages (default 256) of a guarded anonymous region one
 * HMM_DMIRROR_EXCLUSIVE ioctl at a time, then restores them all with CPU
 * reads, ROUNDS times (default 20), and prints the median over rounds of
 * the time per page of each half:
 *   dxcost: pages P rounds R convert_ns N restore_ns M
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
#include <time.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long psize = sysconf(_SC_PAGESIZE);
	int pages = 256, rounds = 20, opt, fd;
	uint64_t *conv, *rest;
	volatile char sink;
	char *base, *region;
	void *bounce;

	while ((opt = getopt(argc, argv, "p:r:")) != -1) {
		switch (opt) {
		case 'p': pages = atoi(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: dxcost [-p PAGES] [-r ROUNDS]\n");
			return 2;
		}
	}
	if (pages < 1 || rounds < 1) {
		fprintf(stderr, "dxcost: PAGES and ROUNDS must be positive\n");
		return 2;
	}
	conv = calloc(rounds, sizeof(*conv));
	rest = calloc(rounds, sizeof(*rest));
	bounce = aligned_alloc(psize, psize);
	base = mmap(NULL, (pages + 2) * psize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!conv || !rest || !bounce || base == MAP_FAILED) {
		perror("dxcost: memory");
		return 1;
	}
	region = base + psize;
	if (mprotect(region, pages * psize, PROT_READ | PROT_WRITE) ||
	    madvise(region, pages * psize, MADV_NOHUGEPAGE)) {
		perror("dxcost: mprotect/madvise");
		return 1;
	}
	memset(region, 0x5a, pages * psize);
	fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (fd < 0) {
		perror("dxcost: /dev/hmm_dmirror0");
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		uint64_t t0 = now_ns(), t1;

		for (int i = 0; i < pages; i++) {
			struct hmm_dmirror_cmd cmd = {
				.addr = (uintptr_t)(region + i * psize),
				.ptr = (uintptr_t)bounce,
				.npages = 1,
			};

			if (ioctl(fd, HMM_DMIRROR_EXCLUSIVE, &cmd) || cmd.cpages != 1) {
				perror("dxcost: HMM_DMIRROR_EXCLUSIVE");
				return 1;
			}
		}
		t1 = now_ns();
		for (int i = 0; i < pages; i++)
			sink = region[i * psize];
		conv[r] = (t1 - t0) / pages;
		rest[r] = (now_ns() - t1) / pages;
	}
	(void)sink;
	qsort(conv, rounds, sizeof(*conv), cmp_u64);
	qsort(rest, rounds, sizeof(*rest), cmp_u64);
	printf("dxcost: pages %d rounds %d convert_ns %llu restore_ns %llu\n", pages, rounds,
	       (unsigned long long)conv[rounds / 2], (unsigned long long)rest[rounds / 2]);
	return 0;
}
