// SPDX-License-Identifier: GPL-2.0
/*
 * dxpaths: drive device-exclusive entries of this process down each path
 * by which they end, for the tracepoint tests (t-devexcl-trace).
 *
 *   dxpaths [-d DEVICE] [-n MIRRORS] [-p PAGES] [-w FILE] STEP...
 *
 * Maps a guarded anonymous region of PAGES pages (default 8), fills it, opens DEVICE
 * (default /dev/hmm_dmirror0: test_hmm subscribes an interval notifier to
 * this mm per open) MIRRORS times (default 1; conversions go through the
 * first) and runs each STEP in order:
 *   convert N   HMM_DMIRROR_EXCLUSIVE on page N (one ioctl, one page)
 *   touch N     read page N (a CPU fault restores its entry)
 *   fork        fork(); the child exits at once (the parent's entries are
 *               restored while the page tables are copied)
 *   dontneed N  MADV_DONTNEED page N (zaps its entry)
 *   unmap       munmap the whole region (zaps every entry left)
 *   clearrefs   write 4 to /proc/self/clear_refs: soft-dirty tracking on,
 *               every PTE and entry of the mm loses its soft-dirty bit
 *   protnone N  mprotect(PROT_NONE) page N (its entry stays)
 *   thpmap      map a 2 MiB-aligned MADV_HUGEPAGE region and populate it;
 *               prints "thpmap 0xADDR 1" (0 when no THP was allocated)
 *   pause       write "ready" to FILE (-w) and wait for SIGUSR1
 *   thpsplit    map a 2 MiB-aligned MADV_HUGEPAGE region, populate it,
 *               convert its second page (make_device_exclusive() PTE-maps
 *               the THP), then split the folio through the split_huge_pages
 *               debugfs file (the split migrates the entry away); prints
 *               "thp 0xADDR 1" or, when no THP was allocated, "thp 0xADDR 0"
 * Prints "page N 0xADDR" for each of the first 8 pages first, "region 0xADDR
 * PAGES", "done" at the end; exits 0
 * when every step succeeded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>

static long npages = 8;	/* -p */

static long psize;
static char *region;
static int fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "dxpaths: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int page_arg(const char *s)
{
	char *end;
	long n = strtol(s ? s : "", &end, 10);

	if (!s || *end || n < 0 || n >= npages) {
		fprintf(stderr, "dxpaths: bad page number '%s' (0-%ld)\n", s ? s : "", npages - 1);
		exit(2);
	}
	return (int)n;
}

static void convert(int n)
{
	struct hmm_dmirror_cmd cmd = { 0 };
	void *bounce = aligned_alloc(psize, psize);

	if (!bounce)
		die("aligned_alloc");
	cmd.addr = (uintptr_t)(region + n * psize);
	cmd.ptr = (uintptr_t)bounce;
	cmd.npages = 1;
	if (ioctl(fd, HMM_DMIRROR_EXCLUSIVE, &cmd))
		die("HMM_DMIRROR_EXCLUSIVE");
	if (cmd.cpages != 1) {
		fprintf(stderr, "dxpaths: HMM_DMIRROR_EXCLUSIVE: cpages %llu\n",
			(unsigned long long)cmd.cpages);
		exit(1);
	}
	free(bounce);
}

/* AnonHugePages of the VMA that starts at @start, in kB; -1 if not found. */
static long anon_huge_kb(uintptr_t start)
{
	char line[256], want[32];
	long kb = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		die("/proc/self/smaps");
	snprintf(want, sizeof(want), "%" PRIxPTR "-", start);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)	/* a VMA's header */
			in = !strncmp(line, want, strlen(want));
		else if (in && sscanf(line, "AnonHugePages: %ld", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/* A populated 2 MiB-aligned MADV_HUGEPAGE region; prints "WHAT 0xADDR 0|1". */
static char *thp_map(const char *what)
{
	const size_t huge = 2UL << 20;
	char *base, *thp;

	base = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		die("mmap");
	thp = (char *)(((uintptr_t)base + huge - 1) & ~(huge - 1));
	if (madvise(thp, huge, MADV_HUGEPAGE))
		die("madvise(MADV_HUGEPAGE)");
	memset(thp, 0x3c, huge);
	printf("%s 0x%" PRIxPTR " %d\n", what, (uintptr_t)thp,
	       anon_huge_kb((uintptr_t)base) >= 2048);
	fflush(stdout);
	return thp;
}

static void thp_split(void)
{
	const size_t huge = 2UL << 20;
	char *thp = thp_map("thp"), req[96];
	int dfd, n;

	region = thp;
	convert(1);
	n = snprintf(req, sizeof(req), "%d,0x%" PRIxPTR ",0x%" PRIxPTR, (int)getpid(),
		     (uintptr_t)thp, (uintptr_t)thp + huge);
	dfd = open("/sys/kernel/debug/split_huge_pages", O_WRONLY);
	if (dfd < 0 || write(dfd, req, n) != n)
		die("split_huge_pages");
	close(dfd);
}

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

static void pause_step(const char *file)
{
	sigset_t block, old;
	FILE *f;

	if (!file) {
		fprintf(stderr, "dxpaths: pause needs -w FILE\n");
		exit(2);
	}
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	f = fopen(file, "w");
	if (!f || fprintf(f, "ready\n") < 0 || fclose(f))
		die(file);
	while (!go)
		sigsuspend(&old);
	go = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/hmm_dmirror0", *file = NULL;
	int mirrors = 1;
	struct sigaction sa = { .sa_handler = on_usr1 };
	volatile char sink;
	char *base;
	int opt, i;

	while ((opt = getopt(argc, argv, "d:n:p:w:")) != -1) {
		switch (opt) {
		case 'd': dev = optarg; break;
		case 'n': mirrors = atoi(optarg); break;
		case 'p': npages = atol(optarg) > 0 ? atol(optarg) : 8; break;
		case 'w': file = optarg; break;
		default:
			fprintf(stderr, "usage: dxpaths [-d DEVICE] [-n MIRRORS] [-p PAGES] [-w FILE] STEP...\n");
			return 2;
		}
	}
	sigaction(SIGUSR1, &sa, NULL);
	psize = sysconf(_SC_PAGESIZE);
	/* Guard pages on both sides keep the region one VMA of its own. */
	base = mmap(NULL, (npages + 2) * psize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		die("mmap");
	region = base + psize;
	if (mprotect(region, npages * psize, PROT_READ | PROT_WRITE))
		die("mprotect");
	memset(region, 0x5a, npages * psize);
	fd = open(dev, O_RDWR);
	if (fd < 0)
		die(dev);
	for (i = 1; i < mirrors; i++)	/* kept open: each is a subscriber */
		if (open(dev, O_RDWR) < 0)
			die(dev);
	printf("region 0x%" PRIxPTR " %ld\n", (uintptr_t)region, npages);
	for (i = 0; i < npages && i < 8; i++)	/* the first 8 */
		printf("page %d 0x%" PRIxPTR "\n", i, (uintptr_t)(region + i * psize));
	fflush(stdout);
	for (i = optind; i < argc; i++) {
		const char *step = argv[i];

		if (!strcmp(step, "convert")) {
			convert(page_arg(argv[++i]));
		} else if (!strcmp(step, "touch")) {
			sink = region[page_arg(argv[++i]) * psize];
		} else if (!strcmp(step, "fork")) {
			pid_t pid = fork();
			int status;

			if (pid < 0)
				die("fork");
			if (pid == 0)
				_exit(0);
			if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
				die("waitpid");
		} else if (!strcmp(step, "dontneed")) {
			if (madvise(region + page_arg(argv[++i]) * psize, psize, MADV_DONTNEED))
				die("madvise");
		} else if (!strcmp(step, "unmap")) {
			if (munmap(region, npages * psize))
				die("munmap");
		} else if (!strcmp(step, "protnone")) {
			if (mprotect(region + page_arg(argv[++i]) * psize, psize, PROT_NONE))
				die("mprotect(PROT_NONE)");
		} else if (!strcmp(step, "thpmap")) {
			thp_map("thpmap");
		} else if (!strcmp(step, "clearrefs")) {
			int cfd = open("/proc/self/clear_refs", O_WRONLY);

			if (cfd < 0 || write(cfd, "4", 1) != 1)
				die("/proc/self/clear_refs");
			close(cfd);
		} else if (!strcmp(step, "pause")) {
			pause_step(file);
		} else if (!strcmp(step, "thpsplit")) {
			thp_split();
		} else {
			fprintf(stderr, "dxpaths: unknown step '%s'\n", step);
			return 2;
		}
	}
	(void)sink;
	printf("done\n");
	return 0;
}
