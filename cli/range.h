/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RANGE arguments: ADDR, START-END, START+LEN, or a mapping name. */
#ifndef DEVEXCTL_RANGE_H
#define DEVEXCTL_RANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "maps.h"

struct range {
	uint64_t start, end;	/* page-aligned, [start, end) */
	const char *name;	/* non-NULL: VMAs with exactly this name */
};

/* Parse a number: decimal or 0x-hex, with an optional K/M/G/T suffix. */
int parse_size(const char *s, uint64_t *v);
/* Parse @s (kept by reference for names) into @r; page size @psz. */
int range_parse(const char *s, uint64_t psz, struct range *r);
/* The whole address space. */
void range_all(struct range *r);
/* Clip @v to @r; false when they do not overlap or the name differs. */
bool range_clip(const struct range *r, const struct vma *v, uint64_t *start, uint64_t *end);

#endif
