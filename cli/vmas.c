// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Iterating the VMAs of a target that overlap a RANGE, and making sure a
 * live target's answer is not garbage when it changes under us: the
 * process may exit, or map and unmap, between the maps read and the
 * pagemap reads (devexctl(8), RACES).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "vmas.h"

/* TASK_SIZE of x86_64 with 4-level paging; 5-level tasks map above it. */
#define USER_END_4LEVEL 0x7ffffffff000ULL

/* A mapping as it was first read, to check again once its pages are read. */
struct vma_key {
	uint64_t start, end, offset, inode;
	char perms[5];
};

struct vma_keys {
	struct vma_key *k;
	size_t n, cap;
};

static int keys_add(struct vma_keys *ks, const struct vma *v)
{
	struct vma_key *k;

	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 64;

		k = realloc(ks->k, cap * sizeof(*k));
		if (!k)
			return -ENOMEM;
		ks->k = k;
		ks->cap = cap;
	}
	k = &ks->k[ks->n++];
	k->start = v->start;
	k->end = v->end;
	k->offset = v->offset;
	k->inode = v->inode;
	memcpy(k->perms, v->perms, sizeof(k->perms));
	return 0;
}

static bool key_same(const struct vma_key *k, const struct vma *v)
{
	return k->start == v->start && k->end == v->end && k->offset == v->offset &&
	       k->inode == v->inode && strcmp(k->perms, v->perms) == 0;
}

static int maps_open(struct target *t, struct maps_reader *mr, char *path, size_t len)
{
	int err;

	target_path(t, path, len, "maps");
	if (t->maps_fd >= 0)
		return maps_reader_open_fd(mr, t->maps_fd);
	err = maps_reader_open(mr, path);
	if (err == -ENOENT && !target_alive(t))
		return err_set(-ESRCH, "process %d exited", (int)t->pid);
	if (err == -EACCES || err == -EPERM) {
		err_set(-EACCES, "cannot open %s", path);
		err_hint("reading another process's maps needs ptrace access: run as its owner, or as root");
		return -EACCES;
	}
	return err ? err_set(err, "cannot open %s", path) : 0;
}

/*
 * The next mapping; a line that does not parse is the file's fault (exit 1),
 * named here, where the path is known.  Only the reader's EINVAL: one from
 * a callback is the kernel's answer to a request, with its own message.
 */
static int maps_next(struct maps_reader *mr, const char *path, struct vma *v)
{
	int err = maps_reader_next(mr, v);

	return err == -EINVAL ? err_set(err, "%s: malformed line %lu", path, mr->lineno) : err;
}

/*
 * Read maps again: each mapping reported must still be there as it was,
 * else its page counts may describe what replaced it (or nothing).  Both
 * lists are in address order.  Counts the changed ones in t->changed.
 */
static int vmas_verify(struct target *t, const struct vma_keys *ks)
{
	struct maps_reader mr;
	char path[PATH_MAX];
	size_t i = 0;
	struct vma v;
	int err;

	err = maps_open(t, &mr, path, sizeof(path));
	if (err)
		return err;
	while (i < ks->n && (err = maps_next(&mr, path, &v)) > 0) {
		for (; i < ks->n && ks->k[i].start < v.start; i++)
			t->changed++;	/* gone */
		if (i < ks->n && ks->k[i].start == v.start)
			t->changed += !key_same(&ks->k[i++], &v);
	}
	maps_reader_close(&mr);
	if (err < 0)
		return err;
	/* An early end of maps is an exit, not an unmap (see below). */
	if (!target_alive(t))
		return err_set(-ESRCH, "process %d exited while it was read", (int)t->pid);
	t->changed += ks->n - i;
	return 0;
}

uint64_t vmas_walk_limit(const struct range *r)
{
	/* A name matches VMAs anywhere: no end to look ahead to. */
	if (r->name)
		return 0;
	return r->end < USER_END_4LEVEL ? r->end : USER_END_4LEVEL;
}

int vmas_foreach(struct target *t, const struct range *r, vma_fn fn, void *ctx,
		 unsigned long *matched)
{
	struct vma_keys ks = { 0 };
	struct maps_reader mr;
	char path[PATH_MAX];
	uint64_t user_end = USER_END_4LEVEL, prev_end = 0;
	struct vma v;
	int err;

	*matched = 0;
	err = maps_open(t, &mr, path, sizeof(path));
	if (err)
		return err;
	while ((err = maps_next(&mr, path, &v)) > 0) {
		uint64_t s, e;

		if (vma_in_pagemap(&v) && v.end > user_end)
			user_end = v.end;
		/* VMAs come in address order: none after this one can overlap. */
		if (!r->name && v.start >= r->end) {
			err = 0;
			break;
		}
		if (!range_clip(r, &v, &s, &e))
			continue;
		/*
		 * maps is read in chunks; a mapping that grew or moved between
		 * two chunks can show up twice.  Never count pages twice.
		 */
		if (v.start < prev_end) {
			t->changed++;
			continue;
		}
		prev_end = v.end;
		(*matched)++;
		if (t->live_mm && (err = keys_add(&ks, &v)))
			break;
		err = fn(ctx, &v, s, e);
		if (err)
			break;
	}
	maps_reader_close(&mr);
	/*
	 * maps ends early when the process exits (its mm is gone): a live
	 * target must still be alive now, or the list may be cut short.
	 */
	if (err == 0 && t->live_mm)
		err = vmas_verify(t, &ks);
	free(ks.k);
	if (err < 0)
		return err;
	if (*matched == 0 && !r->name && r->start >= user_end)
		return err_usage("range 0x%llx-0x%llx lies past the end of the user address space (0x%llx)",
				 (unsigned long long)r->start, (unsigned long long)r->end,
				 (unsigned long long)user_end);
	if (*matched == 0 && !target_alive(t))
		return err_set(-ESRCH, "process %d exited", (int)t->pid);
	if (*matched == 0 && r->name) {
		err_set(-ENOENT, "process %d maps nothing named '%s'", (int)t->pid, r->name);
		err_hint("'devexctl maps %d' lists its mappings by name", (int)t->pid);
		return -ENOENT;
	}
	return 0;
}
