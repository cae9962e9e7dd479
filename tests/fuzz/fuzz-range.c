// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the RANGE and size parsers (cli/range.c) and the
 * --state list parser (cli/states.c).  The first input byte picks the page
 * size; the rest is the argument as typed on the command line.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"
#include "states.h"

#define BUG_ON(cond) do { if (cond) { fprintf(stderr, "invariant: %s\n", #cond); abort(); } } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t page_sizes[] = { 4096, 16384, 65536, 2 << 20 };
	struct range r;
	unsigned int mask;
	uint64_t psz, v;
	char *s;

	if (size < 1)
		return 0;
	psz = page_sizes[data[0] % 4];
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	if (range_parse(s, psz, &r) == 0) {
		if (r.name) {
			BUG_ON(r.name != s);
			BUG_ON(r.start != 0 || r.end != UINT64_MAX);
		} else {
			BUG_ON(r.start >= r.end);
			BUG_ON(r.start % psz || r.end % psz);
			BUG_ON(r.start >= KERNEL_HALF_START);
		}
	}
	parse_size(s, &v);
	if (state_mask_parse(s, &mask) == 0)
		BUG_ON(mask == 0 || mask >= (1u << PS_NR));
	free(s);
	return 0;
}
