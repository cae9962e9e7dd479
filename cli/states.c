// SPDX-License-Identifier: GPL-2.0-or-later
/* The page-state and page-flag tables, and --state parsing. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "errors.h"
#include "states.h"

const struct state_info state_table[PS_NR] = {
	[PS_NONE] = { "none", "none", "none", false,
		"no page-table entry: never touched, or unmapped" },
	[PS_PRESENT] = { "present", "present", "pres", true,
		"present in the page tables (PFN needs CAP_SYS_ADMIN)" },
	[PS_SWAP] = { "swap", "swap", "swap", false,
		"swapped out to a swap device (swap type below the special types)" },
	[PS_SWAP_LIKE] = { "swap-like", "swap_like", "swlk", false,
		"non-present entry whose type the kernel hid: needs CAP_SYS_ADMIN to decode" },
	[PS_DEVICE_EXCLUSIVE] = { "device-exclusive", "device_exclusive", "dexcl", true,
		"device-exclusive entry made by make_device_exclusive(); a CPU fault restores it" },
	[PS_DEVICE_PRIVATE] = { "device-private", "device_private", "dpriv", true,
		"page migrated to device-private memory (HMM)" },
	[PS_MIGRATION] = { "migration", "migration", "migr", true,
		"migration entry: the page is being migrated" },
	[PS_HWPOISON] = { "hwpoison", "hwpoison", "hwpsn", true,
		"hardware-poisoned page" },
	[PS_MARKER] = { "marker", "marker", "mark", false,
		"PTE marker: guard region or userfaultfd marker" },
};

const struct flag_info flag_table[PGF_NR] = {
	[PGF_SOFT_DIRTY] = { 55, 'd', "soft_dirty", "soft-dirty (pagemap bit 55)" },
	[PGF_EXCLUSIVE] = { 56, 'x', "exclusive", "exclusively mapped by this process (bit 56)" },
	[PGF_UFFD_WP] = { 57, 'w', "uffd_wp", "userfaultfd write-protected (bit 57)" },
	[PGF_GUARD] = { 58, 'g', "guard", "guard region (bit 58)" },
	[PGF_FILE] = { 61, 'f', "file", "file page or shared anonymous (bit 61)" },
};

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
