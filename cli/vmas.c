// SPDX-License-Identifier: GPL-2.0-or-later
/* Iterating the VMAs of a target that overlap a RANGE. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "errors.h"
#include "vmas.h"
#include "walk.h"

/* TASK_SIZE of x86_64 with 4-level paging; 5-level tasks map above it. */
#define USER_END_4LEVEL 0x7ffffffff000ULL

int vmas_foreach(struct target *t, const struct range *r, vma_fn fn, void *ctx,
		 unsigned long *matched)
{
	struct maps_reader mr;
	char path[PATH_MAX];
	uint64_t user_end = USER_END_4LEVEL;
	struct vma v;
	int err;

	*matched = 0;
	target_path(t, path, sizeof(path), "maps");
	err = maps_reader_open(&mr, path);
	if (err == -ENOENT && !target_alive(t))
		return err_set(-ESRCH, "process %d exited", (int)t->pid);
	if (err == -EACCES || err == -EPERM) {
		err_set(-EACCES, "cannot open %s", path);
		err_hint("reading another process's maps needs ptrace access: run as its owner, or as root");
		return -EACCES;
	}
	if (err)
		return err_set(err, "cannot open %s", path);
	/* PAGEMAP_SCAN looks ahead up to the range's end, within user space. */
	walk_begin(t, r->name ? 0 : r->end < USER_END_4LEVEL ? r->end : USER_END_4LEVEL);
	while ((err = maps_reader_next(&mr, &v)) > 0) {
		uint64_t s, e;

		if (vma_in_pagemap(&v) && v.end > user_end)
			user_end = v.end;
		/* VMAs come in address order: none after this one can overlap. */
		if (!r->name && v.start >= r->end)
			break;
		if (!range_clip(r, &v, &s, &e))
			continue;
		(*matched)++;
		err = fn(ctx, &v, s, e);
		if (err)
			break;
	}
	walk_finish();
	maps_reader_close(&mr);
	if (err < 0)
		return err == -EINVAL ? err_set(-EIO, "%s: malformed", path) : err;
	if (*matched == 0 && !r->name && r->start >= user_end)
		return err_usage("range 0x%llx-0x%llx lies past the end of the user address space (0x%llx)",
				 (unsigned long long)r->start, (unsigned long long)r->end,
				 (unsigned long long)user_end);
	if (*matched == 0 && !target_alive(t))
		return err_set(-ESRCH, "process %d exited", (int)t->pid);
	return 0;
}
