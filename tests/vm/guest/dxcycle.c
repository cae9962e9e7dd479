// SPDX-License-Identifier: GPL-2.0
/*
 * dxcycle: convert/revert round trips through /sys/kernel/debug/devexcl on
 * pages of this process with known contents, checking at every step.
 *
 *   dxcycle [-n CYCLES] [-p PAGES] [-e]
 *
 * Each cycle writes a new pattern (cycle number, page, word) into PAGES
 * pages (default 4) of a guarded anonymous region, then
 *   1. make_exclusive: every page "ok", PFN as pagemap had it;
 *   2. entries: every page listed with that PFN and the crc32 this program
 *      computed from the pattern (the kernel reads the page, we do not);
 *   3. restore: odd cycles through the revert file (PTE present, writable,
 *      dirty, same PFN), even cycles through a CPU read of the page;
 *   4. entries again: none left; then every byte compared with the pattern.
 * Prints one summary line and exits 0 only when nothing went wrong:
 *   dxcycle: cycles N pages P page_round_trips R bytes_verified B
 *            bytes_lost L crc_mismatches C errors E ms T
 * -e: flip the expected crc of one page in cycle 1 (proves the check fails).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define D "/sys/kernel/debug/devexcl/"
#define MAXPAGES 64

static long psize;
static char *region;
static int npages = 4;
static uint32_t crc_table[256];
static unsigned long errors, crc_bad, lost;
static char answer[1 << 16];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* The kernel's crc32_le(~0, buf, len): reflected, no final inversion. */
static uint32_t crc32_le(const unsigned char *p, size_t len)
{
	uint32_t c = ~0U;

	while (len--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c;
}

static uint64_t pattern(unsigned long cycle, int page, size_t word)
{
	return (cycle + 1) * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)page << 48) ^
	       word * 0xC2B2AE3D27D4EB4FULL;
}

static void fill(unsigned long cycle, char *want)
{
	for (int pg = 0; pg < npages; pg++) {
		uint64_t *w = (uint64_t *)(want + pg * psize);

		for (size_t i = 0; i < psize / 8; i++)
			w[i] = pattern(cycle, pg, i);
	}
	memcpy(region, want, npages * psize);
}

static void err(unsigned long cycle, const char *what, const char *detail)
{
	errors++;
	if (errors <= 20)
		fprintf(stderr, "dxcycle: cycle %lu: %s%s%s\n", cycle, what,
			detail ? ": " : "", detail ? detail : "");
}

/* Write REQ to FILE, read the answer into answer[]; -errno on failure. */
static int ask(const char *file, const char *req)
{
	int fd = open(file, O_RDWR);
	ssize_t n, len = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, req, strlen(req)) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	while ((n = read(fd, answer + len, sizeof(answer) - 1 - len)) > 0)
		len += n;
	answer[len] = '\0';
	close(fd);
	return n < 0 ? -EIO : 0;
}

static uint64_t pfn_of(int pg)
{
	static int fd = -1;
	uint64_t e = 0;
	uintptr_t a = (uintptr_t)region + pg * psize;

	if (fd < 0)
		fd = open("/proc/self/pagemap", O_RDONLY);
	if (pread(fd, &e, 8, a / psize * 8) != 8 || !(e & (1ULL << 63)))
		return 0;
	return e & ((1ULL << 55) - 1);
}

/* Find the answer line for page PG (starts with its address). */
static const char *line_of(int pg)
{
	char key[32];
	const char *p = answer;
	size_t kl;

	kl = snprintf(key, sizeof(key), "0x%lx ", (unsigned long)region + pg * psize);
	while (p && *p) {
		if (!strncmp(p, key, kl))
			return p + kl;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static unsigned long field(const char *line, const char *name)
{
	const char *f = strstr(line, name);

	return f ? strtoul(f + strlen(name), NULL, 0) : ~0UL;
}

static void cycle_once(unsigned long c, const char *range, char *want,
		       int flip)
{
	uint64_t pfn[MAXPAGES];
	char sum[64];
	int r;

	fill(c, want);
	for (int pg = 0; pg < npages; pg++)
		pfn[pg] = pfn_of(pg);

	r = ask(D "make_exclusive", range);
	snprintf(sum, sizeof(sum), "# ok=%d failed=0 skipped=0\n", npages);
	if (r || !strstr(answer, sum)) {
		err(c, "make_exclusive", r ? strerror(-r) : answer);
		return;
	}
	for (int pg = 0; pg < npages; pg++) {
		const char *l = line_of(pg);

		if (!l || strncmp(l, "ok ", 3) || field(l, "pfn=") != pfn[pg])
			err(c, "make_exclusive: page answer", l);
	}

	r = ask(D "entries", range);
	snprintf(sum, sizeof(sum), "# %d entries", npages);
	if (r || !strstr(answer, sum))
		err(c, "entries after convert", r ? strerror(-r) : answer);
	for (int pg = 0; !r && pg < npages; pg++) {
		const char *l = line_of(pg);
		uint32_t crc = crc32_le((unsigned char *)want + pg * psize, psize);

		if (flip && pg == 0)
			crc ^= 1;
		if (!l || field(l, "pfn=") != pfn[pg]) {
			err(c, "entries: page missing or PFN changed", l);
		} else if (field(l, "crc32=") != crc) {
			crc_bad++;
			err(c, "entries: crc32 differs from the pattern", l);
		}
	}

	if (c & 1) {
		r = ask(D "revert", range);
		snprintf(sum, sizeof(sum), "# ok=%d failed=0 skipped=0\n", npages);
		if (r || !strstr(answer, sum))
			err(c, "revert", r ? strerror(-r) : answer);
		for (int pg = 0; !r && pg < npages; pg++) {
			const char *l = line_of(pg);

			if (!l || field(l, "pfn=") != pfn[pg] ||
			    !strstr(l, " present=1 write=1 dirty=1 "))
				err(c, "revert: restored PTE", l);
		}
	} else {
		for (int pg = 0; pg < npages; pg++)
			(void)*(volatile char *)(region + pg * psize + 8 * pg);
	}

	r = ask(D "entries", range);
	if (r || !strstr(answer, "# 0 entries"))
		err(c, "entries after restore", r ? strerror(-r) : answer);
	for (int pg = 0; pg < npages; pg++)
		if (pfn_of(pg) != pfn[pg])
			err(c, "PFN after restore", NULL);
	if (memcmp(region, want, npages * psize)) {
		for (long i = 0; i < npages * psize; i++)
			lost += region[i] != want[i];
		err(c, "contents differ from the pattern", NULL);
	}
}

int main(int argc, char **argv)
{
	unsigned long cycles = 10000, c;
	struct timespec t0, t1;
	char range[96], *raw, *want;
	int opt, flip = 0;

	while ((opt = getopt(argc, argv, "n:p:e")) != -1) {
		switch (opt) {
		case 'n': cycles = strtoul(optarg, NULL, 0); break;
		case 'p': npages = atoi(optarg); break;
		case 'e': flip = 1; break;
		default:
			fprintf(stderr, "usage: dxcycle [-n CYCLES] [-p PAGES] [-e]\n");
			return 2;
		}
	}
	if (npages < 1 || npages > MAXPAGES)
		return 2;
	psize = sysconf(_SC_PAGESIZE);
	crc_init();
	/* PROT_NONE guard pages on both sides; no THP (a split would change PFNs). */
	raw = mmap(NULL, (npages + 2) * psize, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	want = malloc(npages * psize);
	if (raw == MAP_FAILED || !want)
		return 2;
	region = raw + psize;
	if (mprotect(region, npages * psize, PROT_READ | PROT_WRITE))
		return 2;
	madvise(region, npages * psize, MADV_NOHUGEPAGE);
	snprintf(range, sizeof(range), "%d,0x%lx,0x%lx", getpid(),
		 (unsigned long)region, (unsigned long)region + npages * psize);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (c = 0; c < cycles && errors < 100; c++)
		cycle_once(c, range, want, flip && c == 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("dxcycle: cycles %lu pages %d page_round_trips %lu bytes_verified %lu bytes_lost %lu crc_mismatches %lu errors %lu ms %ld\n",
	       c, npages, c * npages, c * npages * psize, lost, crc_bad, errors,
	       (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return errors || c != cycles ? 1 : 0;
}
