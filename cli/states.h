/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page states and page flags: one table each drives decoding, the --state
 * filter, text and JSON names and the documentation (devexctl help states).
 */
#ifndef DEVEXCTL_STATES_H
#define DEVEXCTL_STATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum page_state {
	PS_NONE,		/* no entry: never touched, or zapped */
	PS_PRESENT,		/* present PTE or huge mapping */
	PS_SWAP,		/* a real swap entry (swapfile type) */
	PS_SWAP_LIKE,		/* non-present, type hidden (no CAP_SYS_ADMIN) */
	PS_DEVICE_EXCLUSIVE,	/* device-exclusive entry (make_device_exclusive) */
	PS_DEVICE_PRIVATE,	/* page migrated to device-private memory */
	PS_MIGRATION,		/* migration entry (transient) */
	PS_HWPOISON,		/* hardware-poisoned page */
	PS_MARKER,		/* PTE marker: guard region, uffd-wp marker */
	PS_NR
};

struct state_info {
	const char *name;	/* the name in text, JSON values and --state */
	const char *key;	/* the JSON key (maps counts): snake_case, like every key */
	const char *abbrev;	/* short label in the maps text table */
	bool has_pfn;		/* the entry carries a PFN (when visible) */
	/*
	 * The PAGEMAP_SCAN categories whose regions hold every page in this
	 * state (PAGE_IS_*), so a walk for some states asks for these only
	 * and reads pagemap inside the regions found to decide.  Exact
	 * categories only: PAGE_IS_GUARD finds guard markers but not
	 * userfaultfd ones, so it is no mask for the marker state.
	 */
	uint64_t scan_mask;
	const char *desc;
};

extern const struct state_info state_table[PS_NR];

/* Index of the state called @name, or -1. */
int state_lookup(const char *name);
/* Parse "a,b,c" into a bit mask of (1 << state); negative errno on error. */
int state_mask_parse(const char *list, unsigned int *mask);

/* Per-page flags decoded from pagemap bits 55-61. */
enum page_flag {
	PGF_SOFT_DIRTY,
	PGF_EXCLUSIVE,
	PGF_UFFD_WP,
	PGF_GUARD,
	PGF_FILE,
	PGF_NR
};

struct flag_info {
	int bit;		/* pagemap bit */
	char letter;		/* text column letter */
	const char *key;	/* JSON key */
	const char *name;	/* a word or two after the letter in legends */
	const char *desc;
};

extern const struct flag_info flag_table[PGF_NR];

/* @flags (1 << PGF_*) as the FLAGS column shows them: a letter or @unset each. */
void flag_letters(unsigned int flags, char unset, char out[PGF_NR + 1]);
/* "d soft-dirty, x exclusively mapped, ...": the letters' legend, from the table. */
void flag_legend(char *buf, size_t len);

#endif
