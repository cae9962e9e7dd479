// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: /proc/PID/maps lines (cli/maps.c maps_parse_line, the reader). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "maps.h"

struct want {
	uint64_t start, end, offset, inode;
	const char *perms;
	unsigned int maj, min;
	const char *name;
	bool deleted, in_pagemap;
};

static void ok(const char *line, const struct want *w)
{
	char buf[512];
	struct vma v;
	int err;

	snprintf(buf, sizeof(buf), "%s", line);
	err = maps_parse_line(buf, &v);
	CHECK_INT(err, 0, line);
	if (err)
		return;
	CHECK_U64(v.start, w->start, line);
	CHECK_U64(v.end, w->end, line);
	CHECK_U64(v.offset, w->offset, line);
	CHECK_U64(v.inode, w->inode, line);
	CHECK_STR(v.perms, w->perms, line);
	CHECK_INT(v.dev_major, w->maj, line);
	CHECK_INT(v.dev_minor, w->min, line);
	CHECK_STR(v.name, w->name, line);
	CHECK_INT(v.deleted, w->deleted, line);
	CHECK_INT(vma_in_pagemap(&v), w->in_pagemap, line);
}

static void bad(const char *line)
{
	char buf[512];
	struct vma v;

	snprintf(buf, sizeof(buf), "%s", line);
	CHECK_INT(maps_parse_line(buf, &v), -EINVAL, line);
}

#define OK(line, ...) ok(line, &(struct want){ __VA_ARGS__ })

int main(void)
{
	/* Anonymous: no name at all, with or without trailing space/newline. */
	OK("7f0000000000-7f0000010000 rw-p 00000000 00:00 0",
	   0x7f0000000000, 0x7f0000010000, 0, 0, "rw-p", 0, 0, "", false, true);
	OK("7f0000000000-7f0000010000 rw-p 00000000 00:00 0 \n",
	   0x7f0000000000, 0x7f0000010000, 0, 0, "rw-p", 0, 0, "", false, true);
	OK("7f0000000000-7f0000010000 rw-p 00000000 00:00 0                          \n",
	   0x7f0000000000, 0x7f0000010000, 0, 0, "rw-p", 0, 0, "", false, true);
	/* A file mapping as the kernel pads it. */
	OK("55e38c55e000-55e38c560000 r--p 00002000 fd:01 1234567                    /usr/bin/sleep\n",
	   0x55e38c55e000, 0x55e38c560000, 0x2000, 1234567, "r--p", 0xfd, 1, "/usr/bin/sleep",
	   false, true);
	/* Big device numbers, shared, executable. */
	OK("1000-2000 rwxs 7fff000 103:1f 18446744073709551615 /dev/shm/x\n",
	   0x1000, 0x2000, 0x7fff000, UINT64_MAX, "rwxs", 0x103, 0x1f, "/dev/shm/x", false, true);
	/* Upper-case hex reads as lower-case (the kernel prints lower). */
	OK("ABC000-ABD000 r--p 0000F000 FD:0A 3 /x\n",
	   0xabc000, 0xabd000, 0xf000, 3, "r--p", 0xfd, 0xa, "/x", false, true);
	/* Names with spaces, kept as they are (inner runs of spaces too). */
	OK("1000-2000 rw-s 00000000 00:05 42   /tmp/my file  with spaces\n",
	   0x1000, 0x2000, 0, 42, "rw-s", 0, 5, "/tmp/my file  with spaces", false, true);
	OK("1000-2000 rw-p 00000000 00:00 0 [anon:my region name]\n",
	   0x1000, 0x2000, 0, 0, "rw-p", 0, 0, "[anon:my region name]", false, true);
	OK("1000-2000 rw-p 00000000 00:00 0 name ending in space \n",
	   0x1000, 0x2000, 0, 0, "rw-p", 0, 0, "name ending in space ", false, true);
	/* " (deleted)". */
	OK("1000-3000 rw-s 00000000 00:01 99 /memfd:pool (deleted)\n",
	   0x1000, 0x3000, 0, 99, "rw-s", 0, 1, "/memfd:pool (deleted)", true, true);
	OK("1000-3000 r--p 00000000 08:01 7 /tmp/a (deleted) b\n",
	   0x1000, 0x3000, 0, 7, "r--p", 8, 1, "/tmp/a (deleted) b", false, true);
	OK("1000-3000 r--p 00000000 08:01 7 (deleted)\n",
	   0x1000, 0x3000, 0, 7, "r--p", 8, 1, "(deleted)", false, true);
	/* Special mappings. */
	OK("55e38d000000-55e38d021000 rw-p 00000000 00:00 0                          [heap]\n",
	   0x55e38d000000, 0x55e38d021000, 0, 0, "rw-p", 0, 0, "[heap]", false, true);
	OK("7ffc0a000000-7ffc0a021000 rw-p 00000000 00:00 0                          [stack]\n",
	   0x7ffc0a000000, 0x7ffc0a021000, 0, 0, "rw-p", 0, 0, "[stack]", false, true);
	OK("7ffc0a1f0000-7ffc0a1f2000 r-xp 00000000 00:00 0                          [vdso]\n",
	   0x7ffc0a1f0000, 0x7ffc0a1f2000, 0, 0, "r-xp", 0, 0, "[vdso]", false, true);
	OK("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n",
	   0xffffffffff600000, 0xffffffffff601000, 0, 0, "--xp", 0, 0, "[vsyscall]", false, false);
	OK("1000-2000 ---p 00000000 00:00 0 \n",
	   0x1000, 0x2000, 0, 0, "---p", 0, 0, "", false, true);
	/* UTF-8 and other bytes pass through untouched. */
	OK("1000-2000 r--p 00000000 08:01 5 /tmp/\xc3\xa9t\xc3\xa9 \xff\n",
	   0x1000, 0x2000, 0, 5, "r--p", 8, 1, "/tmp/\xc3\xa9t\xc3\xa9 \xff", false, true);

	/* Malformed. */
	bad("");
	bad("\n");
	bad("garbage");
	bad("1000");
	bad("1000-");
	bad("1000-2000");
	bad("1000-2000 ");
	bad("1000 2000 rw-p 00000000 00:00 0");
	bad("-2000 rw-p 00000000 00:00 0");
	bad("1000-2000 rw-p");
	bad("1000-2000 rw-p ");
	bad("1000-2000 rw-pp 00000000 00:00 0");
	bad("1000-2000 rw- 00000000 00:00 0");
	bad("1000-2000 rwzp 00000000 00:00 0");
	bad("1000-2000 rw-p zz 00:00 0");
	bad("1000-2000 rw-p 00000000 0000 0");
	bad("1000-2000 rw-p 00000000 00: 0");
	bad("1000-2000 rw-p 00000000 :00 0");
	bad("1000-2000 rw-p 00000000 00:00");
	bad("1000-2000 rw-p 00000000 00:00 ");
	bad("1000-2000 rw-p 00000000 00:00 x");
	bad("1000-2000 rw-p 00000000 00:00 12x /a");
	bad("1000-2000 rw-p 00000000 00:00 99999999999999999999 /a");
	bad("1000-2000 rw-p 00000000 00:00 18446744073709551616 /a");	/* UINT64_MAX + 1 */
	bad("1000-2000 rw-p 00000000 100000000:00 0");	/* a device number above 32 bits */
	bad("1000-2000 rw-p 00000000 00:100000000 0");
	bad("1000-2000 rw-p 00000000 00:00 -1");
	bad("1000-2000 rw-p 00000000 +0:00 0");
	bad("2000-1000 rw-p 00000000 00:00 0");
	bad("1000-1000 rw-p 00000000 00:00 0");
	bad("10000000000000000-10000000000001000 rw-p 00000000 00:00 0");
	bad("g000-2000 rw-p 00000000 00:00 0");
	bad("1000-2000\trw-p 00000000 00:00 0");

	/* The reader: line numbers, a malformed line stops it. */
	{
		char path[] = "/tmp/devexctl-test-maps.XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
		struct maps_reader mr;
		struct vma v;

		CHECK(f != NULL, "temp file");
		if (f) {
			fputs("1000-2000 rw-p 00000000 00:00 0 \n"
			      "2000-4000 r--p 00001000 08:01 7 /a b\n"
			      "broken line\n"
			      "5000-6000 r--p 00000000 00:00 0\n", f);
			fclose(f);
			CHECK_INT(maps_reader_open(&mr, path), 0, "reader open");
			CHECK_INT(maps_reader_next(&mr, &v), 1, "line 1");
			CHECK_U64(v.start, 0x1000, "line 1 start");
			CHECK_INT(maps_reader_next(&mr, &v), 1, "line 2");
			CHECK_STR(v.name, "/a b", "line 2 name");
			CHECK_INT(maps_reader_next(&mr, &v), -EINVAL, "line 3 malformed");
			CHECK_INT(mr.lineno, 3, "line number of the bad line");
			maps_reader_close(&mr);
			unlink(path);
		}
		CHECK_INT(maps_reader_open(&mr, "/nonexistent/maps"), -ENOENT, "missing file");
		maps_reader_close(&mr);
	}
	CHECK_DONE();
}
