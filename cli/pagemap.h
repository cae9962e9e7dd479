/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decoding /proc/PID/pagemap entries (Documentation/admin-guide/mm/pagemap.rst)
 * and the table of swap-type numbers, which depends on the kernel version
 * and configuration (design.md §3, kernel-facts.md §5.3).
 */
#ifndef DEVEXCTL_PAGEMAP_H
#define DEVEXCTL_PAGEMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "states.h"

#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_SWAP_TYPE_BITS 5
#define PM_BIT(n)	(1ULL << (n))
#define PM_GUARD	PM_BIT(58)
#define PM_SWAP		PM_BIT(62)
#define PM_PRESENT	PM_BIT(63)

/* Which kernel layout of swap types applies. */
enum swap_layout_kind {
	LAYOUT_615,		/* 6.15+: device-private w/r, device-exclusive */
	LAYOUT_PRE615,		/* before 6.15: device-exclusive had write/read types */
	LAYOUT_NO_DEVICE,	/* CONFIG_DEVICE_PRIVATE=n: no device types */
};

/* Sub-kind of a special type, for display (-L, JSON). */
struct swap_type_info {
	uint8_t state;		/* enum page_state */
	const char *name;	/* e.g. "device-private-write" */
};

struct swap_layout {
	enum swap_layout_kind kind;
	bool memory_failure;		/* CONFIG_MEMORY_FAILURE: a hwpoison type exists */
	struct swap_type_info type[32];
	unsigned int first_special;	/* types below are real swap files */
	char desc[160];			/* what the table is and where it came from */
};

/* Build the table for @kind; @desc says where the facts came from. */
void swap_layout_build(struct swap_layout *l, enum swap_layout_kind kind,
		       bool memory_failure, const char *desc);
/* The layout kind for a release string "MAJOR.MINOR..." and DEVICE_PRIVATE. */
enum swap_layout_kind swap_layout_for(const char *release, bool device_private);
const char *swap_layout_name(enum swap_layout_kind kind);
int swap_layout_parse_name(const char *name, enum swap_layout_kind *kind);

/* One decoded pagemap entry. */
struct page_info {
	uint8_t state;		/* enum page_state */
	uint8_t swap_type;	/* swap-format entries with visible type */
	uint16_t flags;		/* bit (1 << enum page_flag) */
	bool pfn_valid;		/* pfn holds a PFN (present or PFN-carrying type) */
	uint64_t pfn;		/* PFN, or the swap offset of a PS_SWAP entry */
};

/*
 * Decode @pme.  @pfn_visible: the pagemap fd was opened with CAP_SYS_ADMIN,
 * so PFNs and swap types are filled in; otherwise swap-format entries are
 * only swap-like.
 */
void pagemap_decode(uint64_t pme, const struct swap_layout *l, bool pfn_visible,
		    struct page_info *pi);
/* Whether two pages' infos continue one run (same state/flags, PFN + 1). */
bool page_info_continues(const struct page_info *prev, const struct page_info *next);

#endif
