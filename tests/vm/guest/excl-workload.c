// SPDX-License-Identifier: GPL-2.0
/*
 * excl-workload: a target process for the devexctl VM tests.
 *
 * Opens /dev/hmm_dmirror0 (test_hmm), maps two anonymous regions with
 * PROT_NONE guard pages around them (so each is one VMA of its own):
 *   "small": SMALL_PAGES ordinary pages,
 *   "thp":   one 2 MiB-aligned MADV_HUGEPAGE region, populated as a THP
 *            when the kernel gives one, then MADV_NOHUGEPAGE (unless -k) so
 *            khugepaged leaves it alone,
 * fills both with a pattern derived from the address, reads each page's PFN
 * from /proc/self/pagemap (root only; "-" otherwise), then makes a fixed set
 * of pages (with gaps between them) device-exclusive with
 * HMM_DMIRROR_EXCLUSIVE, one ioctl per page.
 *
 * It then writes PREFIX.state (atomically) and waits for signals:
 *   SIGUSR1  read every page of both regions (this faults the
 *            device-exclusive entries back), verify the pattern, re-read
 *            pagemap, write PREFIX.touched;
 *   SIGUSR2  fork a child that exits at once (the fork restores the
 *            device-exclusive entries: copy_page_range()), wait for it,
 *            write PREFIX.forked ("forked PID" and "done");
 *   SIGTERM/SIGINT  exit: 0 when every step so far succeeded, 1 otherwise.
 *
 * PREFIX.state lines:  pid N | thp 0|1 | region NAME 0xSTART 0xEND |
 *                      page 0xADDR PFN RAW_PAGEMAP_AFTER | ready
 * PREFIX.touched:      after 0xADDR PFN RAW | verify ok|FAIL N | done
 * PFN is 0x... (present PTE before the conversion) or "-" when unreadable.
 * When PFNs are readable (root), it also checks that each converted page's
 * pagemap entry is swap type SWAPTYPE (-t, default 30) with offset == PFN.
 * -T: a kernel before 6.15 (make_device_exclusive_range()). Converting one
 * page of a THP there converts every PTE of the folio, and the next page
 * asked for is faulted back and refused with EBUSY: which pages end up
 * exclusive is the kernel's choice, so the thp region and its pages are
 * left out of PREFIX.state, and EBUSY there is no failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>

#define SMALL_PAGES 32
#define THP_SIZE (2UL << 20)
#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_PFN_MASK ((1ULL << 55) - 1)

static const unsigned int small_sel[] = { 1, 4, 9, 17, 30 };
static const unsigned int thp_sel[] = { 0, 3, 200, 511 };

struct sel {
	uintptr_t addr;
	uint64_t pfn_before;	/* 0: unknown */
	uint64_t raw_after;
};

static long psize;
static int failures;
static const char *prefix = "/tmp/excl-workload";
static int keep_khugepaged;
static int thp_busy_ok;		/* -T */
static int expect_type = 30;	/* SWP_DEVICE_EXCLUSIVE with DEVICE_PRIVATE=y, 6.15+ */
static char *small, *thp;
static size_t thp_len;
static struct sel sels[sizeof(small_sel) / sizeof(small_sel[0]) +
		       sizeof(thp_sel) / sizeof(thp_sel[0])];
static unsigned int nsel;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "excl-workload: FAIL: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static void die(const char *what)
{
	fprintf(stderr, "excl-workload: %s: %s\n", what, strerror(errno));
	exit(2);
}

static uint64_t pattern(uintptr_t addr, size_t word)
{
	return (uint64_t)addr * 0x9E3779B97F4A7C15ULL ^ (word * 0xC2B2AE3D27D4EB4FULL) ^ 0xdeadbeefULL;
}

static void fill(char *base, size_t len)
{
	for (size_t off = 0; off < len; off += psize) {
		uint64_t *w = (uint64_t *)(base + off);

		for (size_t i = 0; i < psize / sizeof(*w); i++)
			w[i] = pattern((uintptr_t)(base + off), i);
	}
}

static int check_page(const uint64_t *w, uintptr_t addr)
{
	for (size_t i = 0; i < psize / sizeof(*w); i++)
		if (w[i] != pattern(addr, i))
			return -1;
	return 0;
}

static uint64_t pagemap(uintptr_t addr)
{
	static int fd = -2;
	uint64_t e = 0;

	if (fd == -2)
		fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, &e, sizeof(e), (addr / psize) * sizeof(e)) != sizeof(e))
		return 0;
	return e;
}

/* Map len bytes (aligned to align) with a PROT_NONE guard page on each side. */
static char *map_guarded(size_t len, size_t align)
{
	size_t total = len + align + 2 * psize;
	char *raw = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t p;

	if (raw == MAP_FAILED)
		die("mmap");
	p = ((uintptr_t)raw + psize + align - 1) & ~(align - 1);
	if (mprotect((void *)p, len, PROT_READ | PROT_WRITE))
		die("mprotect");
	return (char *)p;
}

static int smaps_thp_kb(uintptr_t start)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	int in = 0, kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = (s == start);
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %d kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static void write_atomic(const char *suffix, const char *text)
{
	char path[512], tmp[520];
	FILE *f;

	snprintf(path, sizeof(path), "%s.%s", prefix, suffix);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || rename(tmp, path))
		die(path);
}

static void make_exclusive(int fd, uintptr_t addr)
{
	struct hmm_dmirror_cmd cmd = { 0 };
	uint64_t *bounce = aligned_alloc(psize, psize);
	uint64_t before = pagemap(addr);
	struct sel *s = &sels[nsel++];
	int rc;

	if (!bounce)
		die("aligned_alloc");
	s->addr = addr;
	s->pfn_before = (before & PM_PRESENT) ? before & PM_PFN_MASK : 0;
	cmd.addr = addr;
	cmd.ptr = (uintptr_t)bounce;
	cmd.npages = 1;
	rc = ioctl(fd, HMM_DMIRROR_EXCLUSIVE, &cmd) ? errno : 0;
	if (rc == EBUSY && thp_busy_ok && addr >= (uintptr_t)thp && addr < (uintptr_t)thp + thp_len) {
		fprintf(stderr, "excl-workload: 0x%" PRIxPTR ": EBUSY (a page of a THP, before "
			"6.15)\n", addr);
		nsel--;
		free(bounce);
		return;
	}
	if (rc)
		fail("HMM_DMIRROR_EXCLUSIVE 0x%" PRIxPTR ": %s", addr, strerror(rc));
	else if (cmd.cpages != 1)
		fail("HMM_DMIRROR_EXCLUSIVE 0x%" PRIxPTR ": cpages %llu", addr,
		     (unsigned long long)cmd.cpages);
	else if (check_page(bounce, addr))
		fail("device copy of 0x%" PRIxPTR " differs from the pattern", addr);
	/* Compare with the pattern, never with the page: reading it reverts it. */
	s->raw_after = pagemap(addr);
	/* With PFNs visible, the entry must now be a device-exclusive swap entry
	 * (type expect_type) whose offset is the PFN the present PTE had. */
	if (s->pfn_before &&
	    (!(s->raw_after & PM_SWAP) || (s->raw_after & PM_PRESENT) ||
	     (s->raw_after & 0x1f) != (uint64_t)expect_type ||
	     ((s->raw_after & PM_PFN_MASK) >> 5) != s->pfn_before))
		fail("0x%" PRIxPTR ": pagemap 0x%016" PRIx64 " is not a type-%d entry for PFN 0x%" PRIx64,
		     addr, s->raw_after, expect_type, s->pfn_before);
	free(bounce);
}

static void fmt_pfn(char *buf, size_t n, uint64_t pfn)
{
	if (pfn)
		snprintf(buf, n, "0x%" PRIx64, pfn);
	else
		snprintf(buf, n, "-");
}

static void report_ready(int have_thp)
{
	char buf[8192], pfn[32];
	size_t n = 0;

	n += snprintf(buf + n, sizeof(buf) - n, "pid %d\nthp %d\n", getpid(), have_thp);
	n += snprintf(buf + n, sizeof(buf) - n, "region small 0x%" PRIxPTR " 0x%" PRIxPTR "\n",
		      (uintptr_t)small, (uintptr_t)small + SMALL_PAGES * psize);
	if (!thp_busy_ok)
		n += snprintf(buf + n, sizeof(buf) - n, "region thp 0x%" PRIxPTR " 0x%" PRIxPTR "\n",
			      (uintptr_t)thp, (uintptr_t)thp + thp_len);
	for (unsigned int i = 0; i < nsel; i++) {
		if (thp_busy_ok && sels[i].addr >= (uintptr_t)thp &&
		    sels[i].addr < (uintptr_t)thp + thp_len)
			continue;
		fmt_pfn(pfn, sizeof(pfn), sels[i].pfn_before);
		n += snprintf(buf + n, sizeof(buf) - n, "page 0x%" PRIxPTR " %s 0x%016" PRIx64 "\n",
			      sels[i].addr, pfn, sels[i].raw_after);
	}
	snprintf(buf + n, sizeof(buf) - n, "failures %d\nready\n", failures);
	write_atomic("state", buf);
}

static int verify_region(char *base, size_t len)
{
	int bad = 0;

	for (size_t off = 0; off < len; off += psize)
		if (check_page((uint64_t *)(base + off), (uintptr_t)(base + off))) {
			fail("contents of 0x%" PRIxPTR " changed", (uintptr_t)(base + off));
			bad++;
		}
	return bad;
}

static void touch_and_verify(void)
{
	char buf[8192], pfn[32];
	size_t n = 0;
	int bad;

	/* Read-only touch: each read of a device-exclusive page faults it back. */
	bad = verify_region(small, SMALL_PAGES * psize) + verify_region(thp, thp_len);
	for (unsigned int i = 0; i < nsel; i++) {
		uint64_t e = pagemap(sels[i].addr);
		uint64_t now = (e & PM_PRESENT) ? e & PM_PFN_MASK : 0;

		if (!(e & PM_PRESENT))
			fail("0x%" PRIxPTR " not present after touch (pagemap 0x%016" PRIx64 ")",
			     sels[i].addr, e);
		else if (sels[i].pfn_before && now != sels[i].pfn_before)
			fail("0x%" PRIxPTR " PFN changed 0x%" PRIx64 " -> 0x%" PRIx64,
			     sels[i].addr, sels[i].pfn_before, now);
		fmt_pfn(pfn, sizeof(pfn), now);
		n += snprintf(buf + n, sizeof(buf) - n, "after 0x%" PRIxPTR " %s 0x%016" PRIx64 "\n",
			      sels[i].addr, pfn, e);
	}
	n += snprintf(buf + n, sizeof(buf) - n, "verify %s %d\n", bad ? "FAIL" : "ok", bad);
	snprintf(buf + n, sizeof(buf) - n, "failures %d\ndone\n", failures);
	write_atomic("touched", buf);
}

static void usage(void)
{
	fprintf(stderr, "usage: excl-workload [-d DEVICE] [-k] [-T] [-o PREFIX] [-t SWAPTYPE]\n"
		"  -T: a kernel before 6.15: the THP region is left out of PREFIX.state\n"
		"  -k: leave the THP region MADV_HUGEPAGE after conversion (khugepaged may\n"
		"      collapse it and fault the device-exclusive entries back in)\n"
		"  writes PREFIX.state when ready; SIGUSR1: touch+verify -> PREFIX.touched;\n"
		"  SIGTERM: exit (status 0 when all checks passed)\n");
	exit(2);
}

/* SIGUSR2: one fork; the child exits at once. PREFIX.forked says so. */
static void fork_once(void)
{
	char text[64];
	pid_t child = fork();

	if (child == 0)
		_exit(0);
	if (child < 0 || waitpid(child, NULL, 0) != child) {
		fprintf(stderr, "excl-workload: fork: %s\n", strerror(errno));
		failures++;
		return;
	}
	snprintf(text, sizeof(text), "forked %d\ndone\n", (int)child);
	write_atomic("forked", text);
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/hmm_dmirror0";
	sigset_t set;
	int fd, opt, kb;

	while ((opt = getopt(argc, argv, "d:ko:t:Th")) != -1) {
		switch (opt) {
		case 'k': keep_khugepaged = 1; break;
		case 'T': thp_busy_ok = 1; break;
		case 'd': dev = optarg; break;
		case 't': expect_type = atoi(optarg); break;
		case 'o': prefix = optarg; break;
		default: usage();
		}
	}
	psize = sysconf(_SC_PAGESIZE);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	fd = open(dev, O_RDWR);
	if (fd < 0)
		die(dev);

	small = map_guarded(SMALL_PAGES * psize, psize);
	thp_len = THP_SIZE;
	thp = map_guarded(thp_len, THP_SIZE);
	if (madvise(thp, thp_len, MADV_HUGEPAGE))
		fprintf(stderr, "excl-workload: MADV_HUGEPAGE: %s\n", strerror(errno));
	fill(small, SMALL_PAGES * psize);
	fill(thp, thp_len);
	kb = smaps_thp_kb((uintptr_t)thp);
	/*
	 * khugepaged collapses a PTE-mapped THP range back into a new huge page
	 * and, on the way, faults the device-exclusive entries back in (seen on
	 * 7.3.4: all four entries gone and new PFNs ~10 s after conversion).
	 * Keep it away unless asked (-k): VM_NOHUGEPAGE keeps the THP we have.
	 */
	if (!keep_khugepaged && madvise(thp, thp_len, MADV_NOHUGEPAGE))
		fprintf(stderr, "excl-workload: MADV_NOHUGEPAGE: %s\n", strerror(errno));

	for (unsigned int i = 0; i < sizeof(small_sel) / sizeof(small_sel[0]); i++)
		make_exclusive(fd, (uintptr_t)small + small_sel[i] * psize);
	for (unsigned int i = 0; i < sizeof(thp_sel) / sizeof(thp_sel[0]); i++)
		make_exclusive(fd, (uintptr_t)thp + thp_sel[i] * psize);
	report_ready(kb >= 2048);

	for (;;) {
		int sig = sigwaitinfo(&set, NULL);

		if (sig == SIGUSR1)
			touch_and_verify();
		else if (sig == SIGUSR2)
			fork_once();
		else if (sig == SIGTERM || sig == SIGINT)
			break;
	}
	close(fd);
	return failures ? 1 : 0;
}
