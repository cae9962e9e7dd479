// SPDX-License-Identifier: GPL-2.0-or-later
/* The page-state and page-flag tables, and --state parsing. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "states.h"
#include "uapi_pagemap_scan.h"

/*
 * The scan masks: PAGE_IS_PRESENT holds the present pages, PAGE_IS_SWAPPED
 * every non-present entry (the kernel's is_swap_pte(): swap, the device
 * and migration entries, hwpoison and PTE markers of both kinds); none is
 * what lies between the regions of both.
 */
const struct state_info state_table[PS_NR] = {
	[PS_NONE] = { .name = "none", .key = "none",
		.abbrev = "none", .has_pfn = false,
		.scan_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
		.desc = "no page-table entry: never touched, or unmapped" },
	[PS_PRESENT] = { .name = "present", .key = "present",
		.abbrev = "pres", .has_pfn = true,
		.scan_mask = PAGE_IS_PRESENT,
		.desc = "present in the page tables (PFN needs CAP_SYS_ADMIN)" },
	[PS_SWAP] = { .name = "swap", .key = "swap",
		.abbrev = "swap", .has_pfn = false,
		.scan_mask = PAGE_IS_SWAPPED,
		.desc = "swapped out to a swap device (swap type below the special types)" },
	[PS_SWAP_LIKE] = { .name = "swap-like", .key = "swap_like",
		.abbrev = "swlk", .has_pfn = false,
		.scan_mask = PAGE_IS_SWAPPED,
		.desc = "non-present entry whose type the kernel hid: needs CAP_SYS_ADMIN to "
			"decode" },
	[PS_DEVICE_EXCLUSIVE] = { .name = "device-exclusive", .key = "device_exclusive",
		.abbrev = "dexcl", .has_pfn = true,
		.scan_mask = PAGE_IS_SWAPPED,
		.desc = "device-exclusive entry made by make_device_exclusive(); a CPU fault "
			"restores it" },
	[PS_DEVICE_PRIVATE] = { .name = "device-private", .key = "device_private",
		.abbrev = "dpriv", .has_pfn = true,
		.scan_mask = PAGE_IS_SWAPPED,
		.desc = "page migrated to device-private memory (HMM)" },
	[PS_MIGRATION] = { .name = "migration", .key = "migration",
		.abbrev = "migr", .has_pfn = true,
		.scan_mask = PAGE_IS_SWAPPED,
		.desc = "migration entry: the page is being migrated" },
	[PS_HWPOISON] = { .name = "hwpoison", .key = "hwpoison",
		.abbrev = "hwpsn", .has_pfn = true,
		.scan_mask = PAGE_IS_SWAPPED,
		.desc = "hardware-poisoned page" },
	[PS_MARKER] = { .name = "marker", .key = "marker",
		.abbrev = "mark", .has_pfn = false,
		.scan_mask = PAGE_IS_SWAPPED,
		.desc = "PTE marker: guard region or userfaultfd marker" },
};

/*
 * The one place the letters are written: the FLAGS column of pages and the
 * tui, 'devexctl help states' and the legend in 'devexctl help pages' come
 * from here (man/devexctl.8.in, PAGE FLAGS, is checked against it by
 * tests/cmd/help.sh).
 */
const struct flag_info flag_table[PGF_NR] = {
	[PGF_SOFT_DIRTY] = { .bit = 55, .letter = 'd', .key = "soft_dirty", .name = "soft-dirty",
		.desc = "soft-dirty (pagemap bit 55)" },
	[PGF_EXCLUSIVE] = { .bit = 56, .letter = 'x', .key = "exclusive",
		.name = "exclusively mapped",
		.desc = "exclusively mapped by this process (bit 56)" },
	[PGF_UFFD_WP] = { .bit = 57, .letter = 'w', .key = "uffd_wp", .name = "uffd-wp",
		.desc = "userfaultfd write-protected (bit 57)" },
	[PGF_GUARD] = { .bit = 58, .letter = 'g', .key = "guard", .name = "guard",
		.desc = "guard region (bit 58)" },
	[PGF_FILE] = { .bit = 61, .letter = 'f', .key = "file", .name = "file/shared",
		.desc = "file page or shared anonymous (bit 61)" },
};

void flag_letters(unsigned int flags, char unset, char out[PGF_NR + 1])
{
	for (int f = 0; f < PGF_NR; f++)
		out[f] = flags & (1u << f) ? flag_table[f].letter : unset;
	out[PGF_NR] = '\0';
}

void flag_legend(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int f = 0; f < PGF_NR && n < len; f++)
		n += (size_t)snprintf(buf + n, len - n, "%s%c %s", f ? ", " : "",
				      flag_table[f].letter, flag_table[f].name);
}

int state_lookup(const char *name)
{
	for (int i = 0; i < PS_NR; i++)
		if (strcmp(state_table[i].name, name) == 0)
			return i;
	return -1;
}

int state_mask_parse(const char *list, unsigned int *mask)
{
	char buf[256];
	char *save = NULL;

	if (strlen(list) >= sizeof(buf))
		return err_usage("--state list too long");
	strcpy(buf, list);
	*mask = 0;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int s = state_lookup(tok);

		if (s < 0)
			return err_usage("unknown state '%s' (see 'devexctl help states')", tok);
		*mask |= 1u << s;
	}
	if (*mask == 0)
		return err_usage("--state needs at least one state name");
	return 0;
}
