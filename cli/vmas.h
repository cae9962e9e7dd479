/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Iterating the VMAs of a target that overlap a RANGE. */
#ifndef DEVEXCTL_VMAS_H
#define DEVEXCTL_VMAS_H

#include "range.h"
#include "target.h"

/* Called with each VMA and its part [start, end) inside the range. */
typedef int (*vma_fn)(void *ctx, const struct vma *v, uint64_t start, uint64_t end);

/*
 * Call @fn for every VMA of @t overlapping @r, in address order.  Sets
 * *matched to their number.  A range that lies wholly past the end of the
 * user address space is a usage error.
 */
int vmas_foreach(struct target *t, const struct range *r, vma_fn fn, void *ctx,
		 unsigned long *matched);

/*
 * How far a walker (walk.h) serving vmas_foreach() over @r may look ahead
 * with one PAGEMAP_SCAN call: the range's end, within user space.
 */
uint64_t vmas_walk_limit(const struct range *r);

#endif
