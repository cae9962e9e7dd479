/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The part of lib/test_hmm_uapi.h (the kernel's HMM test driver,
 * /dev/hmm_dmirror*) that 'devexctl check --self' uses. The header is not
 * exported to userspace (no linux-libc-dev carries it): carried here as
 * ethtool carries its uapi copies.
 */
#ifndef DEVEXCTL_UAPI_TEST_HMM_H
#define DEVEXCTL_UAPI_TEST_HMM_H

#include <linux/ioctl.h>
#include <linux/types.h>

struct hmm_dmirror_cmd {
	__u64 addr;	/* (in) user address the device will read/write */
	__u64 ptr;	/* (in) user address where device data is copied to/from */
	__u64 npages;	/* (in) number of pages to read/write */
	__u64 cpages;	/* (out) number of pages copied */
	__u64 faults;	/* (out) number of device page faults seen */
};

/* make_device_exclusive() on each page, as a driver's atomic access does. */
#define HMM_DMIRROR_EXCLUSIVE	_IOWR('H', 0x05, struct hmm_dmirror_cmd)

#endif
