// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the pagemap decoder (cli/pagemap.c).  The first byte
 * picks the swap layout (bits 0-1), CONFIG_MEMORY_FAILURE (bit 2) and PFN
 * visibility (bit 3); with bit 4 the rest is a kernel release string for
 * swap_layout_for(), otherwise 64-bit pagemap entries, decoded and merged
 * into runs as the walker does.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagemap.h"

#define BUG_ON(cond) do { if (cond) { fprintf(stderr, "invariant: %s\n", #cond); abort(); } } while (0)

static void check_layout(const struct swap_layout *l)
{
	for (int t = 0; t < 32; t++) {
		BUG_ON(l->type[t].state >= PS_NR);
		BUG_ON(!l->type[t].name);
	}
	BUG_ON(l->type[31].state != PS_MARKER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct swap_layout l;
	struct page_info prev, pi;
	enum swap_layout_kind kind;
	bool visible;
	size_t n;

	if (size < 1)
		return 0;
	kind = (enum swap_layout_kind)(data[0] & 3);
	if (kind > LAYOUT_NO_DEVICE)
		kind = LAYOUT_615;
	visible = data[0] & 8;
	if (data[0] & 16) {
		char *rel = malloc(size);

		if (!rel)
			return 0;
		memcpy(rel, data + 1, size - 1);
		rel[size - 1] = '\0';
		kind = swap_layout_for(rel, data[0] & 32);
		BUG_ON(kind > LAYOUT_NO_DEVICE);
		BUG_ON(swap_layout_parse_name(swap_layout_name(kind), &kind) != 0);
		free(rel);
	}
	swap_layout_build(&l, kind, data[0] & 4, "fuzz");
	check_layout(&l);

	n = (size - 1) / 8;
	for (size_t i = 0; i < n; i++) {
		uint64_t pme;

		memcpy(&pme, data + 1 + i * 8, 8);
		pagemap_decode(pme, &l, visible, &pi);
		BUG_ON(pi.state >= PS_NR);
		BUG_ON(pi.flags >> PGF_NR);
		BUG_ON(pi.pfn_valid && !visible);
		BUG_ON(pi.pfn_valid && !state_table[pi.state].has_pfn);
		BUG_ON(pi.pfn > PM_PFN_MASK);
		BUG_ON(!visible && pi.state != PS_NONE && pi.state != PS_PRESENT &&
		       pi.state != PS_MARKER && pi.state != PS_SWAP_LIKE);
		if (i && page_info_continues(&prev, &pi))
			BUG_ON(prev.state != pi.state || prev.flags != pi.flags);
		prev = pi;
	}
	return 0;
}
