// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * records.c against the answer lines of Documentation/mm/devexcl.rst
 * (kernel-debugfs/patches/0003), and against lines it must refuse.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "errors.h"
#include "records.h"

static void entries(void)
{
	struct dx_entry e;
	static const char *const bad[] = {
		"7f3c5a200000 pfn=0x1 order=0 mapcount=1 refcount=2 flags=anon owner=null crc32=0x1",
		"0x7f3c5a200000 pfn=0x1 order=0 mapcount=1 refcount=2 owner=null crc32=0x1",
		"0x7f3c5a200000 pfn=0x1 order=0 mapcount=x refcount=2 flags=anon owner=null crc32=0x1",
		"0x7f3c5a200000 pfn=0x1 order=0 mapcount=1 refcount=2 flags=anon owner=null crc32=0x1ffffffff",
		"0x7f3c5a200000",
		"0x",
		"",
	};

	CHECK_INT(rec_entry_parse("# 2 entries in 0x0-0x7ffffffff000", &e), 0, "comment");
	CHECK_INT(rec_entry_parse("0x7f3c5a200000 pfn=0x3fe85 order=0 mapcount=1 refcount=2 "
				  "flags=anon,dirty,uptodate,swapbacked,anon_exclusive owner=devexcl "
				  "crc32=0x9ae0daaf", &e), 1, "entry");
	CHECK_U64(e.addr, 0x7f3c5a200000, "addr");
	CHECK_U64(e.pfn, 0x3fe85, "pfn");
	CHECK_U64(e.order, 0, "order");
	CHECK_INT(e.mapcount, 1, "mapcount");
	CHECK_INT(e.refcount, 2, "refcount");
	CHECK_STR(e.flags, "anon,dirty,uptodate,swapbacked,anon_exclusive", "flags");
	CHECK_STR(e.owner, "devexcl", "owner");
	CHECK_U64(e.crc, 0x9ae0daaf, "crc");
	CHECK_INT(rec_entry_parse("0x1000 pfn=0x1 order=9 mapcount=-1 refcount=0 flags=anon "
				  "owner=null crc32=0x0", &e), 1, "negative mapcount");
	CHECK_INT(e.mapcount, -1, "mapcount -1");
	CHECK(e.has_crc, "crc given");
	/* A reader without PTRACE_MODE_ATTACH on the target gets no crc32. */
	CHECK_INT(rec_entry_parse("0x1000 pfn=0x1 order=0 mapcount=1 refcount=2 flags=anon", &e),
		  1, "entry without crc32");
	CHECK(!e.has_crc, "no crc");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(rec_entry_parse(bad[i], &e), -EIO, bad[i]);
		err_clear();
	}
}

static void subscribers(void)
{
	struct dx_sub s;

	CHECK_INT(rec_sub_parse("# 2 subscribers", &s), 0, "comment");
	CHECK_INT(rec_sub_parse("classic ops=kvm_mmu_notifier_ops "
				"callback=kvm_mmu_notifier_invalidate_range_start", &s), 1, "classic");
	CHECK(!s.interval, "classic is not an interval");
	CHECK_STR(s.ops, "kvm_mmu_notifier_ops", "classic ops");
	CHECK_U64(s.start, 0, "classic start");
	CHECK_U64(s.last, UINT64_MAX, "classic covers everything");
	CHECK(rec_sub_covers(&s, 0xffffffffffff0000), "classic covers a high address");
	CHECK_INT(rec_sub_parse("interval ops=dmirror_min_ops callback=dmirror_interval_invalidate "
				"start=0x1000 last=0x1fff seq=2", &s), 1, "interval");
	CHECK(s.interval, "interval");
	CHECK_STR(s.callback, "dmirror_interval_invalidate", "interval callback");
	CHECK_U64(s.seq, 2, "seq");
	CHECK(rec_sub_covers(&s, 0x1000) && rec_sub_covers(&s, 0x1fff), "inclusive bounds");
	CHECK(!rec_sub_covers(&s, 0xfff) && !rec_sub_covers(&s, 0x2000), "outside");
	CHECK_INT(rec_sub_parse("interval ops=a callback=b start=0x1000 seq=2", &s), -EIO,
		  "interval without last");
	err_clear();
	CHECK_INT(rec_sub_parse("linear ops=a callback=b", &s), -EIO, "unknown kind");
	err_clear();
	CHECK_INT(rec_sub_parse("classic ops=a", &s), -EIO, "no callback");
	err_clear();
}

static void outcomes(void)
{
	struct dx_outcome o;

	CHECK_INT(rec_outcome_parse("# ok=2 failed=0", &o), 0, "comment");
	CHECK_U64(rec_skipped("# ok=0 failed=0 skipped=5"), 5, "skipped");
	CHECK_U64(rec_skipped("0x1000 ok skipped=5"), 0, "skipped only on comments");
	CHECK_INT(rec_outcome_parse("0x7f3c5a201000 ok pfn=0x3fe86 mapcount_before=1 mapcount=1 "
				    "folio_dirty=1 pte_before=present=1 write=1 dirty=1 "
				    "soft_dirty=0 young=1 uffd_wp=0", &o), 1, "convert");
	CHECK_U64(o.addr, 0x7f3c5a201000, "addr");
	CHECK_INT(o.err, 0, "no error");
	CHECK(o.has_pfn && o.pfn == 0x3fe86, "pfn");
	CHECK(o.has_mapcount && o.mapcount_before == 1 && o.mapcount == 1, "mapcounts");
	CHECK_INT(o.folio_dirty, 1, "folio_dirty");
	CHECK(o.has_pte_before, "pte_before");
	CHECK_U64(o.pte_before, 1u << PTE_PRESENT | 1u << PTE_WRITE | 1u << PTE_DIRTY |
		  1u << PTE_YOUNG, "pte_before bits");
	CHECK_STR(o.rest, "ok pfn=0x3fe86 mapcount_before=1 mapcount=1 folio_dirty=1 "
		  "pte_before=present=1 write=1 dirty=1 soft_dirty=0 young=1 uffd_wp=0", "rest");
	CHECK_INT(rec_outcome_parse("0x7f3c5a201000 ok pfn=0x3fe86 present=1 write=0 dirty=1 "
				    "soft_dirty=1 young=0 uffd_wp=1", &o), 1, "revert");
	CHECK(!o.has_pte_before, "revert has no pte_before");
	CHECK_U64(o.pte, 1u << PTE_PRESENT | 1u << PTE_DIRTY | 1u << PTE_SOFT_DIRTY |
		  1u << PTE_UFFD_WP, "revert pte bits");
	CHECK_INT(o.folio_dirty, -1, "folio_dirty not reported");
	CHECK_INT(rec_outcome_parse("0x7f3c5a400000 error=-14", &o), 1, "error line");
	CHECK_INT(o.err, -EFAULT, "error is the kernel's -errno");
	CHECK_INT(rec_outcome_parse("0x7f3c5a400000 error=14", &o), -EIO, "positive error");
	err_clear();
	CHECK_INT(rec_outcome_parse("0x7f3c5a400000 error=-99999", &o), -EIO, "error out of range");
	err_clear();
	CHECK_INT(rec_outcome_parse("0x7f3c5a202000 skipped reason=not_present pages=14", &o), 1,
		  "skipped run");
	CHECK_U64(o.skipped, 14, "pages in the run");
	CHECK_STR(o.reason, "not_present", "reason");
	CHECK_INT(rec_outcome_parse("0x7f3c5a202000 skipped reason=thp", &o), 1, "one page");
	CHECK_U64(o.skipped, 1, "pages= defaults to 1");
	CHECK_INT(rec_outcome_parse("0x7f3c5a202000 skipped pages=2", &o), -EIO, "no reason");
	err_clear();
	CHECK_INT(rec_outcome_parse("0x7f3c5a202000 skipped reason=thp pages=0", &o), -EIO,
		  "an empty run");
	err_clear();
	CHECK_INT(rec_outcome_parse("0x7f3c5a400000 okay", &o), -EIO, "neither ok nor error");
	err_clear();
	CHECK_INT(rec_outcome_parse("0x7f3c5a400000ok", &o), -EIO, "no space");
	err_clear();
	CHECK_INT(rec_outcome_parse("0xffffffffffffffffff ok", &o), -EIO, "address overflow");
	err_clear();
}

/* Kernel series v2 (spec/tracefs-events.md): ids, and entries without owner=. */
static void series_v2(void)
{
	struct dx_entry e;
	struct dx_sub s;
	uint32_t id = 0;

	CHECK_INT(rec_entry_parse("0x7f3c5a200000 pfn=0x3fe85 order=0 mapcount=1 refcount=2 "
				  "flags=anon,dirty crc32=0x9ae0daaf", &e), 1, "entry without owner");
	CHECK_STR(e.owner, "", "owner unknown");
	CHECK_U64(e.crc, 0x9ae0daaf, "crc after flags");
	CHECK(!e.has_owner_task, "no owner record");
	/* page_ext owner records (devexcl_owner=on), between flags and crc32. */
	CHECK_INT(rec_entry_parse("0x7f3c5a200000 pfn=0x3fe85 order=0 mapcount=1 refcount=2 "
				  "flags=anon owner=0x2e49b347 owner_pid=77 owner_comm=dxwrite "
				  "owner_ts=1868323395 crc32=0x9ae0daaf", &e), 1, "owner record");
	CHECK_STR(e.owner, "0x2e49b347", "owner id");
	CHECK(e.has_owner_task && e.owner_pid == 77 && e.owner_ts == 1868323395, "pid, ts");
	CHECK_STR(e.owner_comm, "dxwrite", "comm");
	CHECK_INT(rec_mm_parse("mm id=0x1a2b3c4d", &id), 1, "mm line");
	CHECK_U64(id, 0x1a2b3c4d, "mm id");
	CHECK_INT(rec_mm_parse("mm id=0x00000000", &id), 1, "mm id 0 (hashing not ready)");
	CHECK_U64(id, 0, "mm id 0");
	CHECK_INT(rec_mm_parse("classic id=0x1 ops=a callback=b", &id), 0, "not the mm line");
	CHECK_INT(rec_mm_parse("mm id=0x1ffffffff", &id), 0, "mm id over 32 bits");
	CHECK_INT(rec_sub_parse("mm id=0x1a2b3c4d", &s), 0, "the mm line is no subscriber");
	CHECK_INT(rec_sub_parse("classic id=0x1a2b3c4d ops=kvm_mmu_notifier_ops "
				"callback=kvm_mmu_notifier_invalidate_range_start", &s), 1, "classic id");
	CHECK(s.has_id && s.id == 0x1a2b3c4d, "classic id parsed");
	CHECK_INT(rec_sub_parse("interval id=0xdeadbeef ops=dmirror_min_ops "
				"callback=dmirror_interval_invalidate start=0x1000 last=0x1fff seq=2",
				&s), 1, "interval id");
	CHECK(s.has_id && s.id == 0xdeadbeef && s.interval && s.last == 0x1fff, "interval id parsed");
	CHECK_INT(rec_sub_parse("classic ops=a callback=b", &s), 1, "no id: an older interface");
	CHECK(!s.has_id, "no id");
}

int main(void)
{
	series_v2();
	entries();
	subscribers();
	outcomes();
	CHECK_DONE();
}
