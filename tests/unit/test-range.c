// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests: RANGE and size parsing, clipping (cli/range.c). */
#include "config.h"

#include <errno.h>

#include "check.h"
#include "errors.h"
#include "range.h"

#define PSZ 4096

static void ok(const char *s, uint64_t start, uint64_t end)
{
	struct range r;
	int err = range_parse(s, PSZ, &r);

	CHECK_INT(err, 0, s);
	if (err)
		return;
	CHECK_U64(r.start, start, s);
	CHECK_U64(r.end, end, s);
	CHECK(r.name == NULL, s);
}

static void bad(const char *s)
{
	struct range r;

	err_clear();
	CHECK_INT(range_parse(s, PSZ, &r), -EUSAGE, s);
}

static void name(const char *s)
{
	struct range r;

	CHECK_INT(range_parse(s, PSZ, &r), 0, s);
	CHECK(r.name == s, s);
	CHECK_U64(r.start, 0, s);
	CHECK_U64(r.end, UINT64_MAX, s);
}

static void size_ok(const char *s, uint64_t want)
{
	uint64_t v = 0;

	CHECK_INT(parse_size(s, &v), 0, s);
	CHECK_U64(v, want, s);
}

static void size_bad(const char *s)
{
	uint64_t v;

	CHECK(parse_size(s, &v) < 0, s);
}

static void clip(const struct range *r, uint64_t vs, uint64_t ve, const char *vname,
		 bool want, uint64_t ws, uint64_t we, const char *what)
{
	struct vma v = { .start = vs, .end = ve, .name = vname };
	uint64_t s = 0, e = 0;
	bool got = range_clip(r, &v, &s, &e);

	CHECK_INT(got, want, what);
	if (got && want) {
		CHECK_U64(s, ws, what);
		CHECK_U64(e, we, what);
	}
}

int main(void)
{
	struct range r;

	/* ADDR: the page holding it. */
	ok("0x1000", 0x1000, 0x2000);
	ok("0x1234", 0x1000, 0x2000);
	ok("0X1fff", 0x1000, 0x2000);
	ok("4096", 0x1000, 0x2000);
	ok("0", 0, 0x1000);
	ok("0x7f0000000abc", 0x7f0000000000, 0x7f0000001000);
	ok("4K", 0x1000, 0x2000);
	/* START-END: start rounded down, end rounded up. */
	ok("0x1000-0x3000", 0x1000, 0x3000);
	ok("0x1001-0x2001", 0x1000, 0x3000);
	ok("4096-12288", 0x1000, 0x3000);
	ok("1M-2M", 0x100000, 0x200000);
	/* START+LEN with suffixes. */
	ok("0x1000+8K", 0x1000, 0x3000);
	ok("0x1000+8k", 0x1000, 0x3000);
	ok("0x1000+1", 0x1000, 0x2000);
	ok("0x1fff+2", 0x1000, 0x3000);
	ok("0+1M", 0, 0x100000);
	ok("0+1m", 0, 0x100000);
	ok("0x40000000+1G", 0x40000000, 0x80000000);
	ok("0+1g", 0, 0x40000000);
	ok("0+2T", 0, 0x20000000000);
	ok("0x10000+0x10", 0x10000, 0x11000);
	/* The last user page and an end that rounds past 2^64. */
	ok("0x7ffffffff000", 0x7ffffffff000, 0x7ffffffff000 + PSZ);
	ok("0x7ffffffff000-0xffffffffffffffff", 0x7ffffffff000, 0xfffffffffffff000);
	ok("0x7fffffffffffe000+4K", 0x7fffffffffffe000, 0x7ffffffffffff000);

	/* Names select VMAs by name over the whole address space. */
	name("[heap]");
	name("[stack]");
	name("[anon:my region]");
	name("/usr/lib/x86_64-linux-gnu/libc.so.6");

	/* Malformed forms. */
	bad("");
	bad("x");
	bad("zz");
	bad("heap");
	bad("0x");
	bad("0xg");
	bad("0x-1");
	bad("-1");
	bad("-0x1000");
	bad("+1");
	bad(" 0x1000");
	bad("0x1000 ");
	bad("0x1000\t");
	bad("1-");
	bad("1+");
	bad("1-2-3");
	bad("1+2+3");
	bad("1..2");
	bad("1,2");
	bad("1- 2");
	bad("1-+2");
	bad("1--2");
	bad("1K1");
	bad("12Q");
	bad("1KK");
	bad("4KB");
	bad("1E");
	bad("0x1000+0x");
	bad("0x0x5");
	bad("1e3");
	/* start >= end, empty. */
	bad("0x1000-0x1000");
	bad("0x2000-0x1000");
	bad("0x1000-0");
	bad("0x1000+0");
	bad("0+0K");
	/* Overflow. */
	bad("18446744073709551616");
	bad("0x10000000000000000");
	bad("0xffffffffffffffffK");
	bad("16777216T");
	bad("0xffffffffffffffff+2");
	bad("0x7fffffffffffffff+0xffffffffffffffff");
	/* Past the user half. */
	bad("0x8000000000000000");
	bad("0xffffffffff600000");
	bad("0x8000000000000000-0x8000000000001000");
	bad("0x8000000000000000+4K");
	bad("0xffffffffffffffff");
	bad("0x8000000000000fff");

	/* The message of a usage error reaches err_report. */
	CHECK_INT(range_parse("bogus", PSZ, &r), -EUSAGE, "bogus");
	CHECK_INT(err_exit_status(-EUSAGE), EXIT_USAGE, "EUSAGE -> 2");

	/* A larger page size rounds to its own pages. */
	CHECK_INT(range_parse("0x12345-0x23456", 0x10000, &r), 0, "64K pages");
	CHECK_U64(r.start, 0x10000, "64K pages start");
	CHECK_U64(r.end, 0x30000, "64K pages end");

	/* parse_size. */
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("0x10", 16);
	size_ok("4K", 4096);
	size_ok("4k", 4096);
	size_ok("2M", 2 << 20);
	size_ok("3G", 3ULL << 30);
	size_ok("1T", 1ULL << 40);
	size_ok("0x10K", 16 << 10);
	size_ok("18446744073709551615", UINT64_MAX);
	size_bad("");
	size_bad("K");
	size_bad("4KB");
	size_bad("4 ");
	size_bad("-4");
	size_bad("0x");
	size_bad("18446744073709551616");
	size_bad("16777216T");

	/* range_clip. */
	range_all(&r);
	clip(&r, 0x1000, 0x5000, "", true, 0x1000, 0x5000, "all covers a VMA");
	CHECK_INT(range_parse("0x2000-0x4000", PSZ, &r), 0, "clip range");
	clip(&r, 0x1000, 0x5000, "", true, 0x2000, 0x4000, "range inside VMA");
	clip(&r, 0x3000, 0x8000, "", true, 0x3000, 0x4000, "VMA starts inside");
	clip(&r, 0x0000, 0x3000, "", true, 0x2000, 0x3000, "VMA ends inside");
	clip(&r, 0x4000, 0x5000, "", false, 0, 0, "VMA just after");
	clip(&r, 0x1000, 0x2000, "", false, 0, 0, "VMA just before");
	CHECK_INT(range_parse("[heap]", PSZ, &r), 0, "clip name");
	clip(&r, 0x1000, 0x5000, "[heap]", true, 0x1000, 0x5000, "name matches");
	clip(&r, 0x1000, 0x5000, "[stack]", false, 0, 0, "name differs");
	clip(&r, 0x1000, 0x5000, "[heap] ", false, 0, 0, "name is not a prefix match");
	clip(&r, 0x1000, 0x5000, "", false, 0, 0, "anonymous is no name");
	CHECK_DONE();
}
