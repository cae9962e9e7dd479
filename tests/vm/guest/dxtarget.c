// SPDX-License-Identifier: GPL-2.0
/*
 * dxtarget: a stress target that keeps writing and verifying its own data
 * while others convert and revert its pages (t-devexcl-stress).
 *
 *   dxtarget [-t SECONDS] [-m] [-s SEED]
 *
 * Keeps REGIONS guarded anonymous regions of PAGES pages; every page holds a
 * pattern of (address, generation). Until SECONDS pass it does, at random:
 * rewrite a page with a new generation; verify every page; fork a child
 * that verifies its copy and exits; munmap a region and map a new one;
 * with -m, open /dev/hmm_dmirror0 (a test_hmm mirror subscribed to this mm)
 * and make pages device-exclusive through it, checking the device's copy.
 * Exits 0 when every check passed; prints one summary line either way.
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>

#define REGIONS 4
#define PAGES 32

static long ps;
static char *region[REGIONS];
static unsigned int gen[REGIONS][PAGES];
static unsigned long bad, checked, forks, remaps, hmm_ok, hmm_err;

static uint64_t pat(const char *page, unsigned int g, size_t i)
{
	return ((uintptr_t)page + g) * 0x9E3779B97F4A7C15ULL ^ i;
}

static void write_page(int r, int pg)
{
	char *p = region[r] + pg * ps;
	unsigned int g = ++gen[r][pg];

	for (size_t i = 0; i < ps / 8; i++)
		((uint64_t *)p)[i] = pat(p, g, i);
}

static unsigned long verify_page(const char *p, unsigned int g)
{
	unsigned long n = 0;

	for (size_t i = 0; i < ps / 8; i++)
		n += ((const volatile uint64_t *)p)[i] != pat(p, g, i);
	return n;
}

static unsigned long verify_all(void)
{
	unsigned long n = 0;

	for (int r = 0; r < REGIONS; r++)
		for (int pg = 0; pg < PAGES; pg++) {
			n += verify_page(region[r] + pg * ps, gen[r][pg]);
			checked++;
		}
	return n;
}

static void map_region(int r)
{
	char *raw = mmap(NULL, (PAGES + 2) * ps, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (raw == MAP_FAILED ||
	    mprotect(raw + ps, PAGES * ps, PROT_READ | PROT_WRITE)) {
		perror("dxtarget: mmap");
		exit(2);
	}
	region[r] = raw + ps;
	for (int pg = 0; pg < PAGES; pg++)
		write_page(r, pg);
}

static void hmm_exclusive(int fd, int r, int pg, int n)
{
	struct hmm_dmirror_cmd cmd = { 0 };
	char *bounce = malloc(n * ps);

	if (!bounce)
		return;
	cmd.addr = (uintptr_t)(region[r] + pg * ps);
	cmd.ptr = (uintptr_t)bounce;
	cmd.npages = n;
	if (ioctl(fd, HMM_DMIRROR_EXCLUSIVE, &cmd) || cmd.cpages != (uint64_t)n) {
		hmm_err++;	/* a racing conversion or revert: not a data error */
	} else {
		hmm_ok++;
		for (int i = 0; i < n; i++) {
			const char *p = region[r] + (pg + i) * ps;
			const uint64_t *w = (uint64_t *)(bounce + i * ps);
			unsigned long m = 0;

			for (size_t k = 0; k < ps / 8; k++)
				m += w[k] != pat(p, gen[r][pg + i], k);
			if (m)
				fprintf(stderr, "dxtarget %d: device copy of %p differs\n",
					getpid(), (void *)p);
			bad += m;
		}
	}
	free(bounce);
}

int main(int argc, char **argv)
{
	int opt, mirror = 0, fd = -1;
	unsigned int seed = getpid();
	time_t end = time(NULL) + 5;
	unsigned long b;

	while ((opt = getopt(argc, argv, "t:ms:")) != -1) {
		switch (opt) {
		case 't': end = time(NULL) + atoi(optarg); break;
		case 'm': mirror = 1; break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: dxtarget [-t SECONDS] [-m] [-s SEED]\n");
			return 2;
		}
	}
	ps = sysconf(_SC_PAGESIZE);
	srand(seed);
	for (int r = 0; r < REGIONS; r++)
		map_region(r);
	if (mirror) {
		fd = open("/dev/hmm_dmirror0", O_RDWR);
		if (fd < 0)
			perror("dxtarget: /dev/hmm_dmirror0");
	}

	while (time(NULL) < end) {
		int r = rand() % REGIONS, pg = rand() % PAGES, what = rand() % 100;

		if (what < 50) {
			b = verify_page(region[r] + pg * ps, gen[r][pg]);
			checked++;
			bad += b;
			write_page(r, pg);
		} else if (what < 70) {
			bad += verify_all();
		} else if (what < 78) {
			pid_t c = fork();
			int st;

			if (c == 0)
				_exit(verify_all() ? 1 : 0);
			if (c > 0 && waitpid(c, &st, 0) == c) {
				forks++;
				if (!WIFEXITED(st) || WEXITSTATUS(st))
					bad++;
			}
		} else if (what < 85) {
			bad += verify_all();
			munmap(region[r] - ps, (PAGES + 2) * ps);
			memset(gen[r], 0, sizeof(gen[r]));
			map_region(r);
			remaps++;
		} else if (fd >= 0 && what < 95) {
			int n = 1 + rand() % 4;

			hmm_exclusive(fd, r, pg > PAGES - n ? PAGES - n : pg, n);
		} else {
			usleep(1000 + rand() % 5000);
		}
		if (bad) {
			fprintf(stderr, "dxtarget %d: %lu words differ\n", getpid(), bad);
			break;
		}
	}
	bad += verify_all();
	printf("dxtarget %d: checked %lu pages, bad %lu, forks %lu, remaps %lu, hmm %lu ok %lu busy\n",
	       getpid(), checked, bad, forks, remaps, hmm_ok, hmm_err);
	return bad ? 1 : 0;
}
