// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * victim: a process with a known page layout for the live tests.
 *
 *   victim [-n PAGES] [-f FILE]
 *
 * Inside one PROT_NONE reservation (so no VMA merges with a neighbour):
 *   anon     PAGES private anonymous pages (default 256, THP off); every
 *            third page is written, then every ninth is MADV_DONTNEED-ed
 *            back to none: populated = i % 3 == 0 && i % 9 != 0
 *   guard    4 PROT_NONE pages (a VMA of its own, never populated)
 *   markers  8 anonymous pages, all written, then MADV_GUARD_INSTALL on
 *            pages 2 and 3 (guard PTE markers; 'none' when unsupported)
 *   file     with -f: FILE made 4 pages long, mapped shared; pages 0 and 2
 *            written (write faults map no neighbours)
 * prints, one line each:
 *   anon ADDR PAGES
 *   populated I...        (indexes into anon)
 *   guard ADDR 4
 *   markers ADDR 8 2 3    (or: markers ADDR 8 none)
 *   gap ADDR 1            (with -f: the reservation page before file)
 *   file ADDR 4 PATH      (with -f) and: file-populated 0 2
 *   ready
 * then reads commands from stdin until EOF, and exits 0:
 *   u        unmap anon; prints "unmapped"
 *   r        map anon again, all pages written, read-only; prints "remapped"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

static void die(const char *what)
{
	fprintf(stderr, "victim: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	size_t psz = (size_t)sysconf(_SC_PAGESIZE), npages = 256, total, i;
	const char *file = NULL;
	char *base, *anon, *guard, *markers, *fmap = NULL, buf[64];
	int opt, have_markers;
	ssize_t n;

	while ((opt = getopt(argc, argv, "n:f:")) != -1) {
		switch (opt) {
		case 'n':
			npages = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			file = optarg;
			break;
		default:
			fprintf(stderr, "usage: victim [-n PAGES] [-f FILE]\n");
			return 2;
		}
	}
	if (npages < 10)
		npages = 10;
	/* gap | anon | guard(4) | markers(8) | gap | file(4) | gap */
	total = 1 + npages + 4 + 8 + 1 + 4 + 1;
	base = mmap(NULL, total * psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		die("reserve");
	anon = base + psz;
	guard = anon + npages * psz;
	markers = guard + 4 * psz;
	if (mmap(anon, npages * psz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		die("mmap anon");
	madvise(anon, npages * psz, MADV_NOHUGEPAGE);
	if (mmap(markers, 8 * psz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		die("mmap markers");
	madvise(markers, 8 * psz, MADV_NOHUGEPAGE);

	for (i = 0; i < npages; i += 3)
		anon[i * psz] = (char)(i | 1);
	for (i = 0; i < npages; i += 9)
		if (madvise(anon + i * psz, psz, MADV_DONTNEED))
			die("MADV_DONTNEED");
	for (i = 0; i < 8; i++)
		markers[i * psz] = 1;
	have_markers = madvise(markers + 2 * psz, 2 * psz, MADV_GUARD_INSTALL) == 0;

	if (file) {
		int fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0)
			die(file);
		if (ftruncate(fd, (off_t)(4 * psz)))
			die("ftruncate");
		fmap = mmap(markers + 9 * psz, 4 * psz, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_FIXED, fd, 0);
		if (fmap == MAP_FAILED)
			die("mmap file");
		close(fd);
		fmap[0] = 'a';
		fmap[2 * psz] = 'c';
	}

	printf("anon %p %zu\npopulated", (void *)anon, npages);
	for (i = 0; i < npages; i++)
		if (i % 3 == 0 && i % 9 != 0)
			printf(" %zu", i);
	printf("\nguard %p 4\n", (void *)guard);
	printf("markers %p 8 %s\n", (void *)markers, have_markers ? "2 3" : "none");
	if (file) {
		printf("gap %p 1\n", (void *)(markers + 8 * psz));
		printf("file %p 4 %s\nfile-populated 0 2\n", (void *)fmap, file);
	}
	printf("ready\n");
	if (fflush(stdout))
		die("stdout");
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (ssize_t k = 0; k < n; k++) {
			if (buf[k] == 'u') {
				if (munmap(anon, npages * psz))
					die("munmap");
				printf("unmapped\n");
			} else if (buf[k] == 'r') {
				if (mmap(anon, npages * psz, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
					die("mmap again");
				memset(anon, 1, npages * psz);
				mprotect(anon, npages * psz, PROT_READ);
				printf("remapped\n");
			}
		}
		if (fflush(stdout))
			die("stdout");
	}
	return 0;
}
