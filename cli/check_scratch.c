// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scratch process of 'devexctl check --self': a child of devexctl
 * that maps a page of its own, fills it, puts it in the cell's condition,
 * has test_hmm convert it (HMM_DMIRROR_EXCLUSIVE: make_device_exclusive()
 * as a driver calls it) and restores it by the cell's path. It changes
 * nothing outside itself, and reads only its own pagemap and the page's
 * /proc/kpagecount entry.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "check_self.h"
#include "pagemap.h"
#include "uapi_test_hmm.h"

#define HUGE_SIZE (2UL << 20)

struct scratch {
	const struct self_cell *c;
	struct scratch_result *res;
	long psize;
	char *page;
	int mirror, uffd;
};

static int fail(struct scratch *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the failed step with errno; the cell fails (or is skipped, see can_skip()). */
static int fail(struct scratch *s, const char *fmt, ...)
{
	int err = errno ? -errno : -EIO;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->res->msg, sizeof(s->res->msg), fmt, ap);
	va_end(ap);
	n = strlen(s->res->msg);
	snprintf(s->res->msg + n, sizeof(s->res->msg) - n, ": %s", strerror(-err));
	s->res->err = err;
	return err;
}

static int skip(struct scratch *s, const char *why)
{
	s->res->skip = true;
	snprintf(s->res->msg, sizeof(s->res->msg), "%s", why);
	return -EOPNOTSUPP;
}

static uint64_t pagemap_of(const void *addr, long psize)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (pread(fd, &e, sizeof(e), (off_t)((uintptr_t)addr / (uintptr_t)psize * 8)) != 8)
			e = 0;
		close(fd);
	}
	return e;
}

static int64_t kpagecount_of(uint64_t pm)
{
	uint64_t n;
	int fd;

	if (!(pm & PM_PRESENT) || !(pm & PM_PFN_MASK))
		return -1;	/* PFNs hidden (not CAP_SYS_ADMIN) */
	fd = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (pread(fd, &n, sizeof(n), (off_t)((pm & PM_PFN_MASK) * 8)) != 8)
		n = (uint64_t)-1;
	close(fd);
	return (int64_t)n;
}

static int clear_refs(struct scratch *s)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
	int ok = fd >= 0 && write(fd, "4", 1) == 1;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : fail(s, "clear_refs 4 (soft-dirty tracking)");
}

/* Is the THP at @thp really one (AnonHugePages of its VMA)? Through smaps, of ourselves. */
static bool thp_backed(const char *thp)
{
	char line[256];
	bool in = false, yes = false;
	FILE *f = fopen("/proc/self/smaps", "re");

	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, kb;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = (uintptr_t)thp >= lo && (uintptr_t)thp < hi;
		else if (in && sscanf(line, "AnonHugePages: %lu", &kb) == 1)
			yes = kb >= HUGE_SIZE >> 10;
	}
	if (f)
		fclose(f);
	return yes;
}

static int map_page(struct scratch *s)
{
	const struct self_cell *c = s->c;
	size_t len = c->flags & CELL_THP ? 2 * HUGE_SIZE : 3 * (size_t)s->psize;
	char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (base == MAP_FAILED)
		return fail(s, "mmap");
	if (c->flags & CELL_THP) {
		char *thp = (char *)(((uintptr_t)base + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1));

		if (madvise(thp, HUGE_SIZE, MADV_HUGEPAGE))
			return skip(s, "no transparent huge pages (MADV_HUGEPAGE failed)");
		memset(thp, 0x3c, HUGE_SIZE);
		if (!thp_backed(thp))
			return skip(s, "the kernel gave no THP (transparent_hugepage disabled?)");
		s->page = thp + s->psize;
	} else {
		s->page = base + s->psize;	/* a guard page on each side */
		if (mprotect(base, (size_t)s->psize, PROT_NONE) ||
		    mprotect(s->page + s->psize, (size_t)s->psize, PROT_NONE))
			return fail(s, "mprotect (guards)");
	}
	memset(s->page, 0x5a, (size_t)s->psize);
	return 0;
}

static int uffd_register(struct scratch *s)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {
		.range = { (uintptr_t)s->page, (uint64_t)s->psize },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};

	s->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (s->uffd < 0 && (errno == ENOSYS || errno == EPERM))
		return skip(s, errno == ENOSYS ? "no userfaultfd (CONFIG_USERFAULTFD)" :
			    "userfaultfd refused (vm.unprivileged_userfaultfd)");
	if (s->uffd < 0 || ioctl(s->uffd, UFFDIO_API, &api))
		return fail(s, "userfaultfd");
	if (ioctl(s->uffd, UFFDIO_REGISTER, &reg))
		return errno == EINVAL ? skip(s, "no uffd-wp for anonymous memory here "
					      "(CONFIG_HAVE_ARCH_USERFAULTFD_WP)") :
			fail(s, "UFFDIO_REGISTER (write-protect mode)");
	return 0;
}

static int uffd_protect(struct scratch *s)
{
	struct uffdio_writeprotect wp = {
		.range = { (uintptr_t)s->page, (uint64_t)s->psize },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	return ioctl(s->uffd, UFFDIO_WRITEPROTECT, &wp) ? fail(s, "UFFDIO_WRITEPROTECT") : 0;
}

static int convert(struct scratch *s)
{
	static char bounce[1 << 16] __attribute__((aligned(4096)));
	struct hmm_dmirror_cmd cmd = {
		.addr = (uintptr_t)s->page, .ptr = (uintptr_t)bounce, .npages = 1,
	};

	if ((size_t)s->psize > sizeof(bounce))
		return skip(s, "page size larger than 64 KiB");
	if (ioctl(s->mirror, HMM_DMIRROR_EXCLUSIVE, &cmd)) {
		if (s->c->flags & CELL_RO_BEFORE) {	/* as it must */
			s->res->refused = -errno;
			return 0;
		}
		return fail(s, "HMM_DMIRROR_EXCLUSIVE");
	}
	if (cmd.cpages != 1) {
		errno = EIO;
		return fail(s, "HMM_DMIRROR_EXCLUSIVE converted %llu pages",
			    (unsigned long long)cmd.cpages);
	}
	s->res->converted = true;
	return 0;
}

static int restore(struct scratch *s)
{
	volatile char sink;
	int status;
	pid_t pid;

	if (!(s->c->flags & CELL_FORK)) {
		sink = *(volatile char *)s->page;	/* a read fault restores it */
		(void)sink;
		return 0;
	}
	pid = fork();	/* copy_page_range() restores it first */
	if (pid < 0)
		return fail(s, "fork");
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid)
		return fail(s, "waitpid");
	return 0;
}

static uint32_t crc_of(const struct scratch *s)
{
	return (uint32_t)crc32(0, (const Bytef *)s->page, (uInt)s->psize);
}

/* Up to the point where the parent starts watching. */
static int prepare(struct scratch *s, const char *dev)
{
	const struct self_cell *c = s->c;
	int err = map_page(s);

	if (err)
		return err;
	s->mirror = open(dev, O_RDWR | O_CLOEXEC);
	if (s->mirror < 0)
		return errno == ENOENT ? skip(s, "no test_hmm device (CONFIG_TEST_HMM)") :
			fail(s, "%s", dev);
	s->res->mirrors = 1;
	if (c->flags & CELL_TWO_SUBS) {
		if (open(dev, O_RDWR | O_CLOEXEC) < 0)	/* kept open: a second subscriber */
			return fail(s, "%s (second mirror)", dev);
		s->res->mirrors = 2;
	}
	if ((c->flags & CELL_UFFD_WP) && (err = uffd_register(s)))
		return err;
	if ((c->flags & CELL_CLEAN) && madvise(s->page, (size_t)s->psize, MADV_FREE))
		return fail(s, "madvise(MADV_FREE)");
	if ((c->flags & CELL_RO_BEFORE) && mprotect(s->page, (size_t)s->psize, PROT_READ))
		return fail(s, "mprotect(PROT_READ)");
	if (c->flags & CELL_SD_BEFORE) {
		if ((err = clear_refs(s)))
			return err;
		memset(s->page, 0xa5, (size_t)s->psize);	/* written while tracked */
	}
	s->res->addr = (uintptr_t)s->page;
	s->res->crc_before = crc_of(s);
	s->res->pm_before = pagemap_of(s->page, s->psize);
	s->res->kpagecount = kpagecount_of(s->res->pm_before);
	return 0;
}

/* What the parent watches: conversion, the cell's condition, restore. */
static int run(struct scratch *s)
{
	const struct self_cell *c = s->c;
	int err = convert(s);

	if (!err && !s->res->converted)
		return 0;	/* refused, as a read-only page must be */
	if (!err && (c->flags & CELL_SD_AFTER))
		err = clear_refs(s);
	if (!err && (c->flags & CELL_UFFD_WP))
		err = uffd_protect(s);
	if (!err && (c->flags & CELL_MPROTECT_RO) &&
	    mprotect(s->page, (size_t)s->psize, PROT_READ))
		err = fail(s, "mprotect(PROT_READ)");
	if (!err)
		err = restore(s);
	if (!err) {
		s->res->crc_after = crc_of(s);
		s->res->pm_after = pagemap_of(s->page, s->psize);
	}
	return err;
}

static void put(int fd, const void *buf, size_t len)
{
	if (write(fd, buf, len) != (ssize_t)len)
		_exit(1);
}

void scratch_main(const struct self_cell *c, const char *dev, int go_fd, int res_fd)
{
	struct scratch_result res = { 0 };
	struct scratch s = { .c = c, .res = &res, .psize = sysconf(_SC_PAGESIZE),
			     .mirror = -1, .uffd = -1 };
	char b;
	int err = prepare(&s, dev);

	put(res_fd, err ? "x" : "r", 1);
	if (!err) {
		if (read(go_fd, &b, 1) != 1)
			_exit(1);	/* the parent went away */
		run(&s);
	}
	put(res_fd, &res, sizeof(res));
	while (read(go_fd, &b, 1) > 0)	/* until the parent has read what it needs */
		;
	_exit(0);
}
