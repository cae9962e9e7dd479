/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsing /proc/PID/maps, one VMA at a time (memory stays flat). */
#ifndef DEVEXCTL_MAPS_H
#define DEVEXCTL_MAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The kernel half of the address space: pagemap has no entries there. */
#define KERNEL_HALF_START 0x8000000000000000ULL

struct vma {
	uint64_t start, end;	/* [start, end) */
	uint64_t offset;
	char perms[5];		/* "rw-p" */
	unsigned int dev_major, dev_minor;
	uint64_t inode;
	const char *name;	/* "" for anonymous; points into the reader's line */
	bool deleted;		/* name ends in " (deleted)" */
};

/* Parse one line (without or with its newline); -EINVAL when malformed. */
int maps_parse_line(char *line, struct vma *v);

struct maps_reader {
	FILE *f;
	char *line;
	size_t cap;
	unsigned long lineno;
};

int maps_reader_open(struct maps_reader *r, const char *path);
/* Read the maps file open on @fd again from its start (the fd stays open). */
int maps_reader_open_fd(struct maps_reader *r, int fd);
/* 1 with *v filled, 0 at the end, negative errno on error. */
int maps_reader_next(struct maps_reader *r, struct vma *v);
void maps_reader_close(struct maps_reader *r);

/* VMAs that pagemap covers (below the kernel half). */
static inline bool vma_in_pagemap(const struct vma *v)
{
	return v->start < KERNEL_HALF_START;
}

#endif
