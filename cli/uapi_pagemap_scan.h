/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * PAGEMAP_SCAN, from include/uapi/linux/fs.h (Linux 6.7+).  Carried here
 * because Debian 12's linux-libc-dev (6.1) predates it, as ethtool carries
 * its uapi copies.
 */
#ifndef DEVEXCTL_UAPI_PAGEMAP_SCAN_H
#define DEVEXCTL_UAPI_PAGEMAP_SCAN_H

#include <linux/ioctl.h>
#include <linux/types.h>

#ifndef PAGEMAP_SCAN
#define PAGE_IS_WPALLOWED	(1 << 0)
#define PAGE_IS_WRITTEN		(1 << 1)
#define PAGE_IS_FILE		(1 << 2)
#define PAGE_IS_PRESENT		(1 << 3)
#define PAGE_IS_SWAPPED		(1 << 4)
#define PAGE_IS_PFNZERO		(1 << 5)
#define PAGE_IS_HUGE		(1 << 6)
#define PAGE_IS_SOFT_DIRTY	(1 << 7)

struct page_region {
	__u64 start;
	__u64 end;
	__u64 categories;
};

/* Never set PM_SCAN_WP_MATCHING: it write-protects and notifies (kernel-facts §5.2). */
#define PM_SCAN_WP_MATCHING	(1 << 0)
#define PM_SCAN_CHECK_WPASYNC	(1 << 1)

struct pm_scan_arg {
	__u64 size;
	__u64 flags;
	__u64 start;
	__u64 end;
	__u64 walk_end;
	__u64 vec;
	__u64 vec_len;
	__u64 max_pages;
	__u64 category_inverted;
	__u64 category_mask;
	__u64 category_anyof_mask;
	__u64 return_mask;
};

#define PAGEMAP_SCAN	_IOWR('f', 16, struct pm_scan_arg)
#endif

#ifndef PAGE_IS_GUARD
#define PAGE_IS_GUARD		(1 << 8)
#endif

#endif
