// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the /proc/PID/maps parser (cli/maps.c), one line at a
 * time through maps_parse_line() and as a whole file through the streaming
 * reader, with the invariants every caller relies on.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps.h"
#include "range.h"

#define BUG_ON(cond) do { if (cond) { fprintf(stderr, "invariant: %s\n", #cond); abort(); } } while (0)

static void check_vma(const struct vma *v, const char *line, size_t len)
{
	BUG_ON(v->end <= v->start);
	BUG_ON(strlen(v->perms) != 4 || strspn(v->perms, "rwxsp-") != 4);
	/* The name points into the caller's line and is NUL-terminated there. */
	BUG_ON(v->name < line || v->name > line + len);
	BUG_ON(v->name + strlen(v->name) > line + len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct maps_reader r = { 0 };
	struct range all;
	struct vma v;
	char *line = malloc(size + 1);
	FILE *f;
	int n;

	if (!line)
		return 0;
	/* 1. The whole input as one line (embedded NULs end it early). */
	memcpy(line, data, size);
	line[size] = '\0';
	if (maps_parse_line(line, &v) == 0)
		check_vma(&v, line, strlen(line));
	free(line);

	/* 2. As a file, through the reader every command uses. */
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	r.f = f;
	range_all(&all);
	while ((n = maps_reader_next(&r, &v)) > 0) {
		uint64_t s, e;

		check_vma(&v, r.line, r.cap);
		if (range_clip(&all, &v, &s, &e))
			BUG_ON(s != v.start || e != v.end);
	}
	maps_reader_close(&r);	/* closes f, frees the line */
	return 0;
}
