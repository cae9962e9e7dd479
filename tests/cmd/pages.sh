#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# devexctl pages over generated snapshots: exact runs and pages for every
# fixture, in JSON and text, merged and -L; --state; every RANGE form.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

ALL="device-exclusive device-private migration nodevice swap hwpoison hwpoison-nomf
     markers mixed pre615 pre615-auto unpriv odd-names"

for f in $ALL; do
	dir=$(mkfx "$f") || continue
	pid=$(fx_pid "$f")
	exp=$WORK/$f.expect.json
	dx_ok --proc "$dir" -j pages "$pid" && jcheck pages "$exp"
	dx_ok --proc "$dir" -j pages "$pid" -L && jcheck pages "$exp" --list
	dx_ok --proc "$dir" pages "$pid" && jcheck pages "$exp" --text
	dx_ok --proc "$dir" pages -L "$pid" && jcheck pages "$exp" --list --text
done

# device-exclusive: exactly those pages, with their PFNs.
D=$WORK/device-exclusive E=$WORK/device-exclusive.expect.json
dx_ok --proc "$D" -j pages 4242 --state device-exclusive
jcheck pages "$E" --state device-exclusive
jcheck assert \
	'[(r["start"], r["pages"], r["pfn"]) for r in d["runs"]] == [
	 ("0x7f0000004000", 4, "0x2000"), ("0x7f0000010000", 1, "0x3fe86"),
	 ("0x7f0000012000", 1, "0x3fe87"), ("0x7f0000013000", 2, "0x12345"),
	 ("0x7f0000020000", 2, "0x5000"), ("0x7f0000022000", 1, "0x6000"),
	 ("0x7f000003f000", 1, "0x7fffffffff")]' \
	'd["total_pages"] == 12 and d["total_runs"] == 7' \
	'all(r["state"] == "device-exclusive" and r["swap_type"] == 30 for r in d["runs"])' \
	'all(r["entry_type"] == "device-exclusive" for r in d["runs"])' \
	'd["swap_layout"] == "6.15" and d["source"] == "snapshot" and d["kernel"] == "7.3.4"'
# -L: one line per page, the PFN counting up within a run.
dx_ok --proc "$D" -j pages 4242 -L --state device-exclusive
jcheck assert \
	'[r["pfn"] for r in d["runs"]][:4] == ["0x2000", "0x2001", "0x2002", "0x2003"]' \
	'all(r["pages"] == 1 for r in d["runs"]) and len(d["runs"]) == 12' \
	'[r["start"] for r in d["runs"]][:4] == ["0x7f0000004000", "0x7f0000005000", "0x7f0000006000", "0x7f0000007000"]'
dx_ok --proc "$D" pages 4242 -L --state device-exclusive
[ "$(grep -c ' device-exclusive ' "$OUT")" = 12 ] || fail "-L text: not 12 device-exclusive lines"
grep -q '^0x7f0000007000 0x7f0000008000  *1 device-exclusive  *0x2003 ' "$OUT" ||
	fail "-L text: page 0x7f0000007000 is not PFN 0x2003: $(cat "$OUT")"
# Several states, and the flag filter combined with a range.
dx_ok --proc "$D" -j pages 4242 --state present,none
jcheck pages "$E" --state present,none
dx_ok --proc "$D" -j pages 4242 -s none,device-exclusive -L 0x7f0000010000-0x7f0000015000
jcheck pages "$E" --state none,device-exclusive --list --range 0x7f0000010000 0x7f0000015000
dx_ok --proc "$D" -j pages 4242 --state hwpoison
jcheck assert 'd["runs"] == [] and d["total_pages"] == 0 and d["vmas"] == 2'
dx_ok --proc "$D" pages 4242 --state hwpoison
[ "$(wc -l < "$OUT")" = 1 ] || fail "--state with no match: more than the header: $(cat "$OUT")"

# RANGE forms: ADDR, START-END, START+LEN, K suffix, a name.
dx_ok --proc "$D" -j pages 4242 0x7f0000005abc
jcheck pages "$E" --range 0x7f0000005000 0x7f0000006000
jcheck assert 'd["runs"] == [{"start": "0x7f0000005000", "end": "0x7f0000006000", "pages": 1,
	"state": "device-exclusive", "pfn": "0x2001", "soft_dirty": False, "exclusive": False,
	"uffd_wp": False, "guard": False, "file": False, "swap_type": 30,
	"entry_type": "device-exclusive"}]'
dx_ok --proc "$D" -j pages 4242 0x7f0000002000-0x7f0000006000
jcheck pages "$E" --range 0x7f0000002000 0x7f0000006000
dx_ok --proc "$D" -j pages 4242 0x7f0000002001-0x7f0000005fff
jcheck pages "$E" --range 0x7f0000002000 0x7f0000006000
dx_ok --proc "$D" -j pages 4242 0x7f0000002000+16K
jcheck pages "$E" --range 0x7f0000002000 0x7f0000006000
dx_ok --proc "$D" -j pages 4242 0x7f0000000000+1M
jcheck pages "$E" --range 0x7f0000000000 0x7f0000100000
# Ranges spanning two VMAs, and a hole between mappings.
dx_ok --proc "$D" -j pages 4242 0x55550000-0x7f0000002000
jcheck pages "$E" --range 0x55550000 0x7f0000002000
jcheck assert 'd["vmas"] == 2'
dx_ok --proc "$D" -j pages 4242 0x60000000+4K
jcheck assert 'd["runs"] == [] and d["vmas"] == 0'
dx_ok --proc "$D" pages 4242 0x60000000+4K
out_has "note: no mapping in the range"
dx_ok --proc "$D" -j pages 4242 /usr/bin/victim
jcheck pages "$E" --name /usr/bin/victim
jcheck assert 'd["vmas"] == 1 and d["total_pages"] == 2'
M=$WORK/mixed ME=$WORK/mixed.expect.json
for name in '[heap]' '[stack]' /usr/lib/x86_64-linux-gnu/libc.so.6; do
	dx_ok --proc "$M" -j pages 31337 "$name" && jcheck pages "$ME" --name "$name"
done
dx_ok --proc "$M" -j pages 31337 '[vsyscall]'
jcheck assert 'd["runs"] == [] and d["vmas"] == 1'
# A name no mapping has is an error naming it, not an empty answer.
dx_rc 1 --proc "$M" -j pages 31337 '[nosuch]'
err_has "maps nothing named '[nosuch]'"

# A 70000-page PFN run crosses the 65536-entry read batch: still one run.
dx_ok --proc "$M" -j pages 31337 0x7e0000000000-0x7e0012000000
jcheck assert \
	'd["runs"][0] == {"start": "0x7e0000000000", "end": "0x7e0011170000", "pages": 70000,
	 "state": "present", "pfn": "0x1000000", "soft_dirty": False, "exclusive": True,
	 "uffd_wp": False, "guard": False, "file": False}' \
	'len(d["runs"]) == 4'
dx_ok --proc "$M" -j pages 31337 -L --state present 0x7e0000000000-0x7e0012000000
jcheck assert 'len(d["runs"]) == 70000' \
	'all(int(r["pfn"], 16) == 0x1000000 + i for i, r in enumerate(d["runs"]))'

# Swap: offsets count up within a run; -L shows each page's own offset.
S=$WORK/swap
dx_ok --proc "$S" -j pages 103 --state swap
jcheck assert \
	'[(r["start"], r["pages"], r["swap_type"], r["swap_offset"]) for r in d["runs"]] == [
	 ("0x7f4000000000", 4, 0, "0x100"), ("0x7f4000004000", 1, 0, "0x200"),
	 ("0x7f4000005000", 1, 0, "0x300"), ("0x7f4000008000", 2, 1, "0x55"),
	 ("0x7f400000a000", 1, 2, "0x56"), ("0x7f400000b000", 1, 23, "0x1000"),
	 ("0x7f400000c000", 1, 7, "0x3ffffffffffff"), ("0x7f400000d000", 1, 0, "0x0"),
	 ("0x7f4000013000", 3, 0, "0x103")]' \
	'not any("pfn" in r for r in d["runs"])'
dx_ok --proc "$S" -j pages 103 -L 0x7f4000000000+16K
jcheck assert '[r["swap_offset"] for r in d["runs"]] == ["0x100", "0x101", "0x102", "0x103"]'

# Device-private: the two entry types never share a run.
dx_ok --proc "$WORK/device-private" -j pages 100 --state device-private
jcheck assert '[(r["pages"], r["entry_type"], r["swap_type"]) for r in d["runs"]] ==
	[(3, "device-private-write", 28), (2, "device-private-read", 29), (1, "device-private-read", 29)]'

# Kernels and configurations: the same type number, different meanings.
dx_ok --proc "$WORK/nodevice" -j pages 102 -L 0x7f3000000000+3
jcheck assert 'd["runs"][0]["state"] == "migration" and d["runs"][0]["swap_type"] == 30' \
	'd["swap_layout"] == "no-device-private"'
dx_ok --proc "$WORK/nodevice" -j pages 102 --state device-exclusive,device-private
jcheck assert 'd["runs"] == []'
dx_ok --proc "$WORK/pre615" -j pages 107 --state device-exclusive
jcheck assert '[(r["swap_type"], r["entry_type"], r["pages"]) for r in d["runs"]] ==
	[(29, "device-exclusive-write", 2), (30, "device-exclusive-read", 2)]' \
	'd["swap_layout"] == "pre-6.15"'
dx_ok --proc "$WORK/pre615-auto" -j pages 108
jcheck assert 'd["swap_layout"] == "pre-6.15"' \
	'[r["state"] for r in d["runs"]] == ["device-exclusive", "device-exclusive", "device-private", "none"]'
dx_ok --proc "$WORK/hwpoison" -j pages 104 --state hwpoison
jcheck assert '[(r["start"], r["pfn"], r["swap_type"]) for r in d["runs"]] ==
	[("0x7f5000000000", "0x4242", 24), ("0x7f5000002000", "0x4244", 24)]'
dx_ok --proc "$WORK/hwpoison-nomf" -j pages 105 --state hwpoison
jcheck assert 'd["runs"] == []'
dx_ok --proc "$WORK/hwpoison-nomf" -j pages 105 -L 0x7f5000000000
jcheck assert 'd["runs"][0]["state"] == "swap" and d["runs"][0]["swap_type"] == 24'

# Markers: guard pages and uffd-wp markers, with their flags.
dx_ok --proc "$WORK/markers" -j pages 106 --state marker
jcheck assert '[(r["start"], r["pages"], r["guard"], r["uffd_wp"]) for r in d["runs"]] ==
	[("0x7f6000002000", 3, True, False), ("0x7f6000007000", 2, False, True),
	 ("0x7f6000009000", 1, True, False)]'

# Without CAP_SYS_ADMIN at capture: no PFNs, swap-like, and the note says so.
U=$WORK/unpriv
dx_ok --proc "$U" -j pages 109
jcheck assert 'd["pfn_visible"] is False' \
	'"CAP_SYS_ADMIN" in d["pfn_hidden_reason"]' \
	'not any("pfn" in r or "swap_type" in r or "swap_offset" in r for r in d["runs"])' \
	'[(r["state"], r["pages"]) for r in d["runs"]][:2] == [("present", 3), ("swap-like", 4)]'
dx_ok --proc "$U" pages 109
grep -q '^note: .*CAP_SYS_ADMIN.*swap-like' "$OUT" || fail "unpriv: no note about CAP_SYS_ADMIN"
dx_ok --proc "$U" -j pages 109 --state device-exclusive
jcheck assert 'd["runs"] == []'

# A truncated pagemap: exit 1 and a message naming the file.
dir=$(mkfx truncated)
dx_rc 1 --proc "$dir" pages 110
err_has "110/pagemap ends before address 0x7fa000008000"
err_has "truncated"
dx_rc 1 --proc "$dir" -j pages 110 0x7fa000000000+64K
dx_ok --proc "$dir" -j pages 110 0x7f9000000000+64K
dx_ok --proc "$dir" -j pages 110 0x7fa000000000+32K
pass
