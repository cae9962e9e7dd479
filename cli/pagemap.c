// SPDX-License-Identifier: GPL-2.0-or-later
/* pagemap entry decoding and the per-kernel swap-type tables. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "pagemap.h"

static const char *const layout_names[] = {
	[LAYOUT_615] = "6.15",
	[LAYOUT_PRE615] = "pre-6.15",
	[LAYOUT_NO_DEVICE] = "no-device-private",
};

const char *swap_layout_name(enum swap_layout_kind kind)
{
	return layout_names[kind];
}

int swap_layout_parse_name(const char *name, enum swap_layout_kind *kind)
{
	for (size_t i = 0; i < sizeof(layout_names) / sizeof(layout_names[0]); i++) {
		if (strcmp(layout_names[i], name) == 0) {
			*kind = (enum swap_layout_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

static void set_type(struct swap_layout *l, unsigned int t, enum page_state s, const char *name)
{
	l->type[t].state = (uint8_t)s;
	l->type[t].name = name;
}

/*
 * include/linux/swap.h carves the special types from the top of the 5-bit
 * space: MAX_SWAPFILES = 32 - D - M - H - 1, then HWPOISON at MAX, the M
 * migration types, the D device types, and the PTE marker at 31.
 */
void swap_layout_build(struct swap_layout *l, enum swap_layout_kind kind,
		       bool memory_failure, const char *desc)
{
	unsigned int ndev = kind == LAYOUT_615 ? 3 : kind == LAYOUT_PRE615 ? 4 : 0;
	unsigned int nmig = 3, nhw = memory_failure ? 1 : 0;
	unsigned int max = 32 - ndev - nmig - nhw - 1, t;

	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->memory_failure = memory_failure;
	l->first_special = max;
	snprintf(l->desc, sizeof(l->desc), "%s", desc);
	for (t = 0; t < max; t++)
		set_type(l, t, PS_SWAP, "swap");
	t = max;
	if (nhw)
		set_type(l, t++, PS_HWPOISON, "hwpoison");
	set_type(l, t++, PS_MIGRATION, "migration-read");
	set_type(l, t++, PS_MIGRATION, "migration-read-exclusive");
	set_type(l, t++, PS_MIGRATION, "migration-write");
	if (ndev) {
		set_type(l, t++, PS_DEVICE_PRIVATE, "device-private-write");
		set_type(l, t++, PS_DEVICE_PRIVATE, "device-private-read");
		if (ndev == 4) {
			set_type(l, t++, PS_DEVICE_EXCLUSIVE, "device-exclusive-write");
			set_type(l, t++, PS_DEVICE_EXCLUSIVE, "device-exclusive-read");
		} else {
			set_type(l, t++, PS_DEVICE_EXCLUSIVE, "device-exclusive");
		}
	}
	set_type(l, t, PS_MARKER, "pte-marker");
}

enum swap_layout_kind swap_layout_for(const char *release, bool device_private)
{
	unsigned long major = 0, minor = 0;
	char *end;

	if (!device_private)
		return LAYOUT_NO_DEVICE;
	major = strtoul(release, &end, 10);
	if (*end == '.')
		minor = strtoul(end + 1, NULL, 10);
	if (major > 6 || (major == 6 && minor >= 15))
		return LAYOUT_615;
	return LAYOUT_PRE615;
}

void pagemap_decode(uint64_t pme, const struct swap_layout *l, bool pfn_visible,
		    struct page_info *pi)
{
	uint64_t frame = pme & PM_PFN_MASK;

	memset(pi, 0, sizeof(*pi));
	for (int f = 0; f < PGF_NR; f++)
		if (pme & PM_BIT(flag_table[f].bit))
			pi->flags |= 1u << f;

	if (pme & PM_PRESENT) {
		pi->state = PS_PRESENT;
		pi->pfn = frame;
		pi->pfn_valid = pfn_visible;
	} else if (pme & PM_GUARD) {
		/* Guard markers are flagged even for unprivileged readers. */
		pi->state = PS_MARKER;
	} else if (pme & PM_SWAP) {
		if (!pfn_visible) {
			pi->state = PS_SWAP_LIKE;
			return;
		}
		pi->swap_type = frame & ((1u << PM_SWAP_TYPE_BITS) - 1);
		pi->state = l->type[pi->swap_type].state;
		pi->pfn = frame >> PM_SWAP_TYPE_BITS;
		pi->pfn_valid = state_table[pi->state].has_pfn;
	} else {
		pi->state = PS_NONE;
	}
}

bool page_info_continues(const struct page_info *prev, const struct page_info *next)
{
	if (prev->state != next->state || prev->flags != next->flags ||
	    prev->pfn_valid != next->pfn_valid)
		return false;
	if (prev->pfn_valid && next->pfn != prev->pfn + 1)
		return false;
	/* One entry type per run (-L and entry_type show the first page's). */
	if (prev->swap_type != next->swap_type)
		return false;
	/* Swap offsets count up within a run, like PFNs. */
	if (prev->state == PS_SWAP && next->pfn != prev->pfn + 1)
		return false;
	return true;
}
