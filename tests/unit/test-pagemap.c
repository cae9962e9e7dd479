// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: swap-type tables, the layout choice, pagemap entry decoding
 * and run continuation (cli/pagemap.c), and the state tables (cli/states.c).
 * Expected numbers are written out from include/linux/swap.h by hand.
 */
#include "config.h"

#include <errno.h>

#include "check.h"
#include "errors.h"
#include "pagemap.h"
#include "states.h"

#define SWP(type, off)	(PM_SWAP | (uint64_t)(type) | ((uint64_t)(off) << 5))
#define PRESENT(pfn)	(PM_PRESENT | (uint64_t)(pfn))

/* The special types from 'first' up to 31, by name, for each build. */
static const char *const t615_mf[] = { "hwpoison", "migration-read", "migration-read-exclusive",
	"migration-write", "device-private-write", "device-private-read", "device-exclusive",
	"pte-marker" };					/* 24..31 */
static const char *const t615_nomf[] = { "migration-read", "migration-read-exclusive",
	"migration-write", "device-private-write", "device-private-read", "device-exclusive",
	"pte-marker" };					/* 25..31 */
static const char *const tpre_mf[] = { "hwpoison", "migration-read", "migration-read-exclusive",
	"migration-write", "device-private-write", "device-private-read",
	"device-exclusive-write", "device-exclusive-read", "pte-marker" };	/* 23..31 */
static const char *const tnodev_mf[] = { "hwpoison", "migration-read",
	"migration-read-exclusive", "migration-write", "pte-marker" };	/* 27..31 */
static const char *const tnodev_nomf[] = { "migration-read", "migration-read-exclusive",
	"migration-write", "pte-marker" };		/* 28..31 */

static enum page_state state_of(const char *name)
{
	if (!strcmp(name, "swap"))
		return PS_SWAP;
	if (!strcmp(name, "hwpoison"))
		return PS_HWPOISON;
	if (!strncmp(name, "migration", 9))
		return PS_MIGRATION;
	if (!strncmp(name, "device-private", 14))
		return PS_DEVICE_PRIVATE;
	if (!strncmp(name, "device-exclusive", 16))
		return PS_DEVICE_EXCLUSIVE;
	return PS_MARKER;
}

static void check_table(enum swap_layout_kind kind, bool mf, unsigned int first,
			const char *const *names, const char *what)
{
	struct swap_layout l;
	char w[160];

	swap_layout_build(&l, kind, mf, "unit test");
	CHECK_INT(l.kind, kind, what);
	CHECK_INT(l.memory_failure, mf, what);
	CHECK_INT(l.first_special, first, what);
	CHECK_STR(l.desc, "unit test", what);
	for (unsigned int t = 0; t < 32; t++) {
		const char *name = t < first ? "swap" : names[t - first];

		snprintf(w, sizeof(w), "%s type %u", what, t);
		CHECK_STR(l.type[t].name, name, w);
		CHECK_INT(l.type[t].state, state_of(name), w);
	}
}

static void decode(uint64_t pme, const struct swap_layout *l, bool vis, enum page_state st,
		   bool pfn_valid, uint64_t pfn, unsigned int type, uint16_t flags, const char *what)
{
	struct page_info pi;

	pagemap_decode(pme, l, vis, &pi);
	CHECK_STR(state_table[pi.state].name, state_table[st].name, what);
	CHECK_INT(pi.pfn_valid, pfn_valid, what);
	if (pfn_valid || st == PS_SWAP)
		CHECK_U64(pi.pfn, pfn, what);
	if (vis && (pme & PM_SWAP) && !(pme & (PM_PRESENT | PM_GUARD)))
		CHECK_INT(pi.swap_type, type, what);
	CHECK_INT(pi.flags, flags, what);
}

#define F(f) (1u << (f))

int main(void)
{
	struct swap_layout l615, l615n, lpre, lpren, lnodev, lnodevn;
	enum swap_layout_kind k;
	struct page_info a, b;
	unsigned int mask;
	char w[64];

	/* The tables. */
	check_table(LAYOUT_615, true, 24, t615_mf, "6.15 mf");
	check_table(LAYOUT_615, false, 25, t615_nomf, "6.15 no-mf");
	check_table(LAYOUT_PRE615, true, 23, tpre_mf, "pre-6.15 mf");
	check_table(LAYOUT_NO_DEVICE, true, 27, tnodev_mf, "no-device mf");
	check_table(LAYOUT_NO_DEVICE, false, 28, tnodev_nomf, "no-device no-mf");
	swap_layout_build(&l615, LAYOUT_615, true, "x");
	swap_layout_build(&l615n, LAYOUT_615, false, "x");
	swap_layout_build(&lpre, LAYOUT_PRE615, true, "x");
	swap_layout_build(&lpren, LAYOUT_PRE615, false, "x");
	swap_layout_build(&lnodev, LAYOUT_NO_DEVICE, true, "x");
	swap_layout_build(&lnodevn, LAYOUT_NO_DEVICE, false, "x");
	/* design.md §3: device-exclusive is 30 on 6.15+, 29/30 before; 28-30 migration without devices. */
	CHECK_INT(l615.type[30].state, PS_DEVICE_EXCLUSIVE, "6.15: 30");
	CHECK_INT(l615.type[29].state, PS_DEVICE_PRIVATE, "6.15: 29");
	CHECK_INT(l615.type[28].state, PS_DEVICE_PRIVATE, "6.15: 28");
	CHECK_INT(lpre.type[29].state, PS_DEVICE_EXCLUSIVE, "pre-6.15: 29");
	CHECK_INT(lpre.type[30].state, PS_DEVICE_EXCLUSIVE, "pre-6.15: 30");
	CHECK_INT(lpre.type[28].state, PS_DEVICE_PRIVATE, "pre-6.15: 28");
	for (int t = 28; t <= 30; t++)
		CHECK_INT(lnodev.type[t].state, PS_MIGRATION, "no-device: 28-30 migration");
	CHECK_INT(lpren.first_special, 24, "pre-6.15 no-mf first");
	CHECK_INT(lpren.type[23].state, PS_SWAP, "pre-6.15 no-mf: 23 is a swap file");

	/* Names round-trip. */
	CHECK_STR(swap_layout_name(LAYOUT_615), "6.15", "name 6.15");
	CHECK_STR(swap_layout_name(LAYOUT_PRE615), "pre-6.15", "name pre");
	CHECK_STR(swap_layout_name(LAYOUT_NO_DEVICE), "no-device-private", "name nodev");
	for (int i = LAYOUT_615; i <= LAYOUT_NO_DEVICE; i++) {
		CHECK_INT(swap_layout_parse_name(swap_layout_name(i), &k), 0, "parse name");
		CHECK_INT(k, i, "parse name value");
	}
	CHECK_INT(swap_layout_parse_name("6.14", &k), -EINVAL, "bad layout name");
	CHECK_INT(swap_layout_parse_name("", &k), -EINVAL, "empty layout name");
	CHECK_INT(swap_layout_parse_name("6.15 ", &k), -EINVAL, "layout name with space");

	/* The layout for a release. */
	CHECK_INT(swap_layout_for("6.15", true), LAYOUT_615, "6.15");
	CHECK_INT(swap_layout_for("6.15.0", true), LAYOUT_615, "6.15.0");
	CHECK_INT(swap_layout_for("6.18.44-fc-v669", true), LAYOUT_615, "6.18.44-fc");
	CHECK_INT(swap_layout_for("7.3.4-amd64", true), LAYOUT_615, "7.3.4-amd64");
	CHECK_INT(swap_layout_for("7.0", true), LAYOUT_615, "7.0");
	CHECK_INT(swap_layout_for("10.1", true), LAYOUT_615, "10.1");
	CHECK_INT(swap_layout_for("6.14.11", true), LAYOUT_PRE615, "6.14.11");
	CHECK_INT(swap_layout_for("6.12.0-1-amd64", true), LAYOUT_PRE615, "6.12 debian");
	CHECK_INT(swap_layout_for("6.1.0", true), LAYOUT_PRE615, "6.1 (not 6.10)");
	CHECK_INT(swap_layout_for("6.2", true), LAYOUT_PRE615, "6.2");
	CHECK_INT(swap_layout_for("5.19.17", true), LAYOUT_PRE615, "5.19");
	CHECK_INT(swap_layout_for("6", true), LAYOUT_PRE615, "6");
	CHECK_INT(swap_layout_for("7.3.4", false), LAYOUT_NO_DEVICE, "no DEVICE_PRIVATE");
	CHECK_INT(swap_layout_for("6.1", false), LAYOUT_NO_DEVICE, "no DEVICE_PRIVATE, old");

	/* none. */
	decode(0, &l615, true, PS_NONE, false, 0, 0, 0, "none");
	decode(0, &l615, false, PS_NONE, false, 0, 0, 0, "none, unprivileged");
	decode(PM_BIT(55), &l615, true, PS_NONE, false, 0, 0, F(PGF_SOFT_DIRTY), "none, soft-dirty VMA");
	/* present, with and without PFN visibility, and flags. */
	decode(PRESENT(0x1234), &l615, true, PS_PRESENT, true, 0x1234, 0, 0, "present");
	decode(PRESENT(PM_PFN_MASK), &l615, true, PS_PRESENT, true, PM_PFN_MASK, 0, 0, "present max pfn");
	decode(PRESENT(0) | PM_BIT(56), &l615, false, PS_PRESENT, false, 0, 0, F(PGF_EXCLUSIVE),
	       "present unprivileged");
	decode(PRESENT(0x10) | PM_BIT(55) | PM_BIT(56) | PM_BIT(57) | PM_BIT(61), &l615, true,
	       PS_PRESENT, true, 0x10, 0,
	       F(PGF_SOFT_DIRTY) | F(PGF_EXCLUSIVE) | F(PGF_UFFD_WP) | F(PGF_FILE), "present all flags");
	decode(PRESENT(0x10) | PM_BIT(59) | PM_BIT(60), &l615, true, PS_PRESENT, true, 0x10, 0, 0,
	       "reserved bits ignored");
	/* Guard markers: the guard bit shows without CAP_SYS_ADMIN too. */
	decode(PM_SWAP | PM_GUARD | 31, &l615, true, PS_MARKER, false, 0, 0, F(PGF_GUARD), "guard");
	decode(PM_SWAP | PM_GUARD, &l615, false, PS_MARKER, false, 0, 0, F(PGF_GUARD), "guard unpriv");
	decode(SWP(31, 0) | PM_BIT(57), &l615, true, PS_MARKER, false, 0, 31,
	       F(PGF_UFFD_WP), "uffd-wp marker");
	decode(PM_SWAP | PM_BIT(57), &l615, false, PS_SWAP_LIKE, false, 0, 0, F(PGF_UFFD_WP),
	       "uffd-wp marker unpriv");
	/* Unprivileged: every swap-format entry is only swap-like. */
	decode(PM_SWAP, &l615, false, PS_SWAP_LIKE, false, 0, 0, 0, "swap-like");
	decode(PM_SWAP | PM_BIT(55), &l615, false, PS_SWAP_LIKE, false, 0, 0, F(PGF_SOFT_DIRTY),
	       "swap-like soft-dirty");
	decode(SWP(30, 0x1234), &l615, false, PS_SWAP_LIKE, false, 0, 0, 0,
	       "type bits ignored when not visible");

	/* 6.15, CONFIG_MEMORY_FAILURE=y: each boundary. */
	decode(SWP(0, 0x55), &l615, true, PS_SWAP, false, 0x55, 0, 0, "swap type 0");
	decode(SWP(23, (1ULL << 50) - 1), &l615, true, PS_SWAP, false, (1ULL << 50) - 1, 23, 0,
	       "swap type 23, max offset");
	decode(SWP(24, 0x777), &l615, true, PS_HWPOISON, true, 0x777, 24, 0, "hwpoison 24");
	decode(SWP(25, 0x1), &l615, true, PS_MIGRATION, true, 0x1, 25, 0, "migration read");
	decode(SWP(26, 0x2), &l615, true, PS_MIGRATION, true, 0x2, 26, 0, "migration read-excl");
	decode(SWP(27, 0x3), &l615, true, PS_MIGRATION, true, 0x3, 27, 0, "migration write");
	decode(SWP(28, 0x4), &l615, true, PS_DEVICE_PRIVATE, true, 0x4, 28, 0, "dp write");
	decode(SWP(29, 0x5), &l615, true, PS_DEVICE_PRIVATE, true, 0x5, 29, 0, "dp read");
	decode(SWP(30, 0x3fe86), &l615, true, PS_DEVICE_EXCLUSIVE, true, 0x3fe86, 30, 0, "dexcl 30");
	/* The raw value measured in kernel-facts.md §5.1. */
	decode(0x40000000007fd0deULL, &l615, true, PS_DEVICE_EXCLUSIVE, true, 0x3fe86, 30, 0,
	       "measured dexcl entry");
	decode(SWP(30, 0x99) | PM_BIT(55), &l615, true, PS_DEVICE_EXCLUSIVE, true, 0x99, 30,
	       F(PGF_SOFT_DIRTY), "dexcl soft-dirty");
	decode(SWP(31, 0), &l615, true, PS_MARKER, false, 0, 31, 0, "marker type 31");
	/* 6.15 without MEMORY_FAILURE: 24 is a swap file. */
	decode(SWP(24, 0x8), &l615n, true, PS_SWAP, false, 0x8, 24, 0, "no-mf: 24 swap");
	decode(SWP(25, 0x8), &l615n, true, PS_MIGRATION, true, 0x8, 25, 0, "no-mf: 25 migration");
	decode(SWP(30, 0x8), &l615n, true, PS_DEVICE_EXCLUSIVE, true, 0x8, 30, 0, "no-mf: 30 dexcl");
	/* Before 6.15. */
	decode(SWP(22, 0x8), &lpre, true, PS_SWAP, false, 0x8, 22, 0, "pre: 22 swap");
	decode(SWP(23, 0x8), &lpre, true, PS_HWPOISON, true, 0x8, 23, 0, "pre: 23 hwpoison");
	decode(SWP(24, 0x8), &lpre, true, PS_MIGRATION, true, 0x8, 24, 0, "pre: 24 migration");
	decode(SWP(27, 0x8), &lpre, true, PS_DEVICE_PRIVATE, true, 0x8, 27, 0, "pre: 27 dp write");
	decode(SWP(28, 0x8), &lpre, true, PS_DEVICE_PRIVATE, true, 0x8, 28, 0, "pre: 28 dp read");
	decode(SWP(29, 0x8), &lpre, true, PS_DEVICE_EXCLUSIVE, true, 0x8, 29, 0, "pre: 29 dexcl write");
	decode(SWP(30, 0x8), &lpre, true, PS_DEVICE_EXCLUSIVE, true, 0x8, 30, 0, "pre: 30 dexcl read");
	decode(SWP(23, 0x8), &lpren, true, PS_SWAP, false, 0x8, 23, 0, "pre no-mf: 23 swap");
	decode(SWP(24, 0x8), &lpren, true, PS_MIGRATION, true, 0x8, 24, 0, "pre no-mf: 24 migration");
	/* CONFIG_DEVICE_PRIVATE=n: 30 is a migration entry, not device-exclusive. */
	decode(SWP(26, 0x8), &lnodev, true, PS_SWAP, false, 0x8, 26, 0, "nodev: 26 swap");
	decode(SWP(27, 0x8), &lnodev, true, PS_HWPOISON, true, 0x8, 27, 0, "nodev: 27 hwpoison");
	decode(SWP(28, 0x8), &lnodev, true, PS_MIGRATION, true, 0x8, 28, 0, "nodev: 28 migration");
	decode(SWP(30, 0x8), &lnodev, true, PS_MIGRATION, true, 0x8, 30, 0, "nodev: 30 migration");
	decode(SWP(27, 0x8), &lnodevn, true, PS_SWAP, false, 0x8, 27, 0, "nodev no-mf: 27 swap");
	decode(SWP(28, 0x8), &lnodevn, true, PS_MIGRATION, true, 0x8, 28, 0, "nodev no-mf: 28 mig");
	decode(SWP(31, 0), &lnodevn, true, PS_MARKER, false, 0, 31, 0, "nodev no-mf: 31 marker");
	/* Every type of every table decodes to its table state. */
	for (int t = 0; t < 32; t++) {
		struct page_info pi;

		snprintf(w, sizeof(w), "table walk type %d", t);
		pagemap_decode(SWP(t, 7), &lpre, true, &pi);
		CHECK_INT(pi.state, lpre.type[t].state, w);
		CHECK_INT(pi.swap_type, t, w);
	}

	/* Run continuation: same state and flags, PFN + 1 (swap: offset + 1). */
	pagemap_decode(PRESENT(0x100), &l615, true, &a);
	pagemap_decode(PRESENT(0x101), &l615, true, &b);
	CHECK(page_info_continues(&a, &b), "present pfn+1");
	pagemap_decode(PRESENT(0x102), &l615, true, &b);
	CHECK(!page_info_continues(&a, &b), "present pfn+2");
	pagemap_decode(PRESENT(0x0ff), &l615, true, &b);
	CHECK(!page_info_continues(&a, &b), "present pfn-1");
	pagemap_decode(PRESENT(0x101) | PM_BIT(55), &l615, true, &b);
	CHECK(!page_info_continues(&a, &b), "flags differ");
	pagemap_decode(SWP(30, 0x101), &l615, true, &b);
	CHECK(!page_info_continues(&a, &b), "state differs");
	pagemap_decode(PRESENT(0), &l615, false, &a);
	pagemap_decode(PRESENT(0), &l615, false, &b);
	CHECK(page_info_continues(&a, &b), "present, PFNs hidden");
	pagemap_decode(SWP(30, 0x200), &l615, true, &a);
	pagemap_decode(SWP(30, 0x201), &l615, true, &b);
	CHECK(page_info_continues(&a, &b), "dexcl pfn+1");
	pagemap_decode(SWP(30, 0x300), &l615, true, &b);
	CHECK(!page_info_continues(&a, &b), "dexcl pfn jump");
	pagemap_decode(SWP(3, 0x55), &l615, true, &a);
	pagemap_decode(SWP(3, 0x56), &l615, true, &b);
	CHECK(page_info_continues(&a, &b), "swap offset+1");
	pagemap_decode(SWP(3, 0x55), &l615, true, &b);
	CHECK(!page_info_continues(&a, &b), "swap same offset");
	pagemap_decode(SWP(4, 0x56), &l615, true, &b);
	CHECK(!page_info_continues(&a, &b), "swap type differs");
	pagemap_decode(PM_SWAP, &l615, false, &a);
	pagemap_decode(PM_SWAP, &l615, false, &b);
	CHECK(page_info_continues(&a, &b), "swap-like");
	pagemap_decode(0, &l615, true, &a);
	pagemap_decode(0, &l615, true, &b);
	CHECK(page_info_continues(&a, &b), "none");
	pagemap_decode(PM_SWAP | PM_GUARD | 31, &l615, true, &a);
	pagemap_decode(PM_SWAP | PM_GUARD | 31, &l615, true, &b);
	CHECK(page_info_continues(&a, &b), "guard markers");

	/* States and --state lists. */
	CHECK_INT(PS_NR, 9, "nine states");
	{
		static const char *const names[] = { "none", "present", "swap", "swap-like",
			"device-exclusive", "device-private", "migration", "hwpoison", "marker" };

		for (int s = 0; s < PS_NR; s++) {
			CHECK_STR(state_table[s].name, names[s], "state name");
			CHECK_INT(state_lookup(names[s]), s, names[s]);
		}
	}
	CHECK_INT(state_lookup("Present"), -1, "lookup is case-sensitive");
	CHECK_INT(state_lookup("dev"), -1, "no prefixes");
	CHECK_INT(state_mask_parse("present", &mask), 0, "mask present");
	CHECK_U64(mask, 1u << PS_PRESENT, "mask present");
	CHECK_INT(state_mask_parse("device-exclusive,none,device-exclusive", &mask), 0, "mask list");
	CHECK_U64(mask, (1u << PS_DEVICE_EXCLUSIVE) | (1u << PS_NONE), "mask list");
	CHECK_INT(state_mask_parse("present,,swap,", &mask), 0, "empty items skipped");
	CHECK_U64(mask, (1u << PS_PRESENT) | (1u << PS_SWAP), "empty items skipped");
	CHECK_INT(state_mask_parse("bogus", &mask), -EUSAGE, "unknown state");
	CHECK_INT(state_mask_parse("present,bogus", &mask), -EUSAGE, "unknown state in list");
	CHECK_INT(state_mask_parse("", &mask), -EUSAGE, "empty list");
	CHECK_INT(state_mask_parse(",", &mask), -EUSAGE, "only commas");
	CHECK_INT(state_mask_parse("present ", &mask), -EUSAGE, "trailing space");
	{
		char longlist[600];

		memset(longlist, 0, sizeof(longlist));
		for (int i = 0; i < 70; i++)
			strcat(longlist, "none,");
		CHECK_INT(state_mask_parse(longlist, &mask), -EUSAGE, "too long");
	}
	/* Flags sit at their documented bits. */
	CHECK_INT(flag_table[PGF_SOFT_DIRTY].bit, 55, "soft-dirty bit");
	CHECK_INT(flag_table[PGF_EXCLUSIVE].bit, 56, "exclusive bit");
	CHECK_INT(flag_table[PGF_UFFD_WP].bit, 57, "uffd-wp bit");
	CHECK_INT(flag_table[PGF_GUARD].bit, 58, "guard bit");
	CHECK_INT(flag_table[PGF_FILE].bit, 61, "file bit");
	CHECK_DONE();
}
