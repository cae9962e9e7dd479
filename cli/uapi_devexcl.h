/* Copied from include/uapi/linux/devexcl.h of the kernel-debugfs/ patches; keep in step. */
/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Generic netlink events of the device-exclusive debug interface
 * (CONFIG_DEVEXCL_DEBUG). See Documentation/mm/devexcl.rst.
 */
#ifndef _UAPI_LINUX_DEVEXCL_H
#define _UAPI_LINUX_DEVEXCL_H

#define DEVEXCL_GENL_NAME		"devexcl"
#define DEVEXCL_GENL_VERSION		1
#define DEVEXCL_GENL_MCGRP_EVENTS	"events"

/* Message types, all multicast to the "events" group. */
enum devexcl_cmd {
	DEVEXCL_CMD_UNSPEC,
	DEVEXCL_CMD_CONVERT,	/* a make_device_exclusive() outcome */
	DEVEXCL_CMD_RESTORE,	/* a device-exclusive entry restored by a fault */
	DEVEXCL_CMD_NOTIFY,	/* an invalidation delivered to one subscriber */

	__DEVEXCL_CMD_MAX,
	DEVEXCL_CMD_MAX = __DEVEXCL_CMD_MAX - 1
};

/* Operations that DEVEXCL_A_OP names. */
enum devexcl_op_type {
	DEVEXCL_OP_TYPE_CONVERT,
	DEVEXCL_OP_TYPE_RESTORE,
};

/* Subscriber kinds that DEVEXCL_A_SUB_KIND names. */
enum devexcl_sub_kind {
	DEVEXCL_SUB_CLASSIC,	/* struct mmu_notifier */
	DEVEXCL_SUB_INTERVAL,	/* struct mmu_interval_notifier */
};

/* Bits of DEVEXCL_A_PTE: a PTE as the page table held it. */
#define DEVEXCL_PTE_PRESENT	(1U << 0)
#define DEVEXCL_PTE_WRITE	(1U << 1)
#define DEVEXCL_PTE_DIRTY	(1U << 2)
#define DEVEXCL_PTE_SOFT_DIRTY	(1U << 3)
#define DEVEXCL_PTE_YOUNG	(1U << 4)
#define DEVEXCL_PTE_UFFD_WP	(1U << 5)

enum devexcl_attr {
	DEVEXCL_A_UNSPEC,
	DEVEXCL_A_PAD,
	DEVEXCL_A_TIMESTAMP,	/* u64: ktime_get_ns() */
	DEVEXCL_A_OP_ID,	/* u64: ties the events of one operation */
	DEVEXCL_A_OP,		/* u8: enum devexcl_op_type */
	DEVEXCL_A_PID,		/* u32: target process (tgid), 0 if unknown */
	DEVEXCL_A_CALLER_PID,	/* u32: the task that acted (tgid) */
	DEVEXCL_A_MM_ID,	/* u64: the target mm, hashed like %p */
	DEVEXCL_A_ADDR,		/* u64: user virtual address of the page */
	DEVEXCL_A_PFN,		/* u64 */
	DEVEXCL_A_OWNER,	/* u64: the conversion's owner, hashed; 0 NULL */
	DEVEXCL_A_ERRNO,	/* s32: 0, or the negative errno of a failure */
	DEVEXCL_A_PTE,		/* u32: DEVEXCL_PTE_* (convert: before; restore: after) */
	DEVEXCL_A_MAPCOUNT,	/* s32: folio mapcount at conversion */
	DEVEXCL_A_EVENT,	/* u32: enum mmu_notifier_event of the range */
	DEVEXCL_A_RANGE_START,	/* u64: invalidated range */
	DEVEXCL_A_RANGE_END,	/* u64: exclusive */
	DEVEXCL_A_SUB_KIND,	/* u8: enum devexcl_sub_kind */
	DEVEXCL_A_SUB_OPS,	/* string: the subscriber's callback symbol */
	DEVEXCL_A_SUB_START,	/* u64: first address the subscriber covers */
	DEVEXCL_A_SUB_LAST,	/* u64: last address it covers, inclusive */

	__DEVEXCL_A_MAX,
	DEVEXCL_A_MAX = __DEVEXCL_A_MAX - 1
};

#endif /* _UAPI_LINUX_DEVEXCL_H */
