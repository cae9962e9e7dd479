#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# devexctl maps over generated snapshots: every VMA, exact counts per state,
# odd names, text totals.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

for f in device-exclusive device-private migration nodevice swap hwpoison hwpoison-nomf \
	 markers mixed pre615 pre615-auto unpriv odd-names; do
	dir=$(mkfx "$f") || continue
	pid=$(fx_pid "$f")
	dx_ok --proc "$dir" -j maps "$pid" && jcheck maps "$WORK/$f.expect.json"
	dx_ok --proc "$dir" maps "$pid"
	# Text: one line per VMA between the header and the total line.
	[ "$(grep -c '^0x' "$OUT")" = "$(grep -c '^vma ' "$FIXTURES/$f.desc")" ] ||
		fail "$f: text maps has not one line per VMA"
	head -n1 "$OUT" | grep -q '^START  *END  *PERM  *OFFSET  *PAGES  *COUNTS  *NAME$' ||
		fail "$f: text maps header"
	grep -q '^total ' "$OUT" || fail "$f: text maps has no total line"
done

# device-exclusive: the counts, in JSON and in the text table.
dx_ok --proc "$WORK/device-exclusive" -j maps 4242
jcheck assert 'len(d["vmas"]) == 2' \
	'd["vmas"][1]["counts"] == {"none": 47, "present": 5, "swap": 0, "swap_like": 0,
	  "device_exclusive": 12, "device_private": 0, "migration": 0, "hwpoison": 0, "marker": 0}' \
	'd["vmas"][1]["pages"] == 64 and d["vmas"][1]["name"] == "" and d["vmas"][1]["perms"] == "rw-p"' \
	'd["vmas"][0]["counts"]["none"] == 2 and d["vmas"][0]["name"] == "/usr/bin/victim"' \
	'd["vmas"][0]["offset"] == "0x0" and d["pid"] == 4242'
dx_ok --proc "$WORK/device-exclusive" maps 4242
grep -q '^0x7f0000000000 0x7f0000040000 rw-p 00000000  *64  none=47 pres=5 dexcl=12 *$' "$OUT" ||
	fail "text maps line of the anonymous VMA: $(cat "$OUT")"
grep -q '^total .*none=49 pres=5 dexcl=12' "$OUT" || fail "text maps total: $(cat "$OUT")"

# Every state has a counts key, counts are numbers; the states of the others.
dx_ok --proc "$WORK/pre615" -j maps 107
jcheck assert 'd["vmas"][0]["counts"] == {"none": 6, "present": 0, "swap": 1, "swap_like": 0,
	"device_exclusive": 4, "device_private": 2, "migration": 1, "hwpoison": 1, "marker": 1}'
dx_ok --proc "$WORK/unpriv" -j maps 109
jcheck assert 'd["vmas"][0]["counts"]["swap_like"] == 6 and d["vmas"][0]["counts"]["marker"] == 2' \
	'd["vmas"][0]["counts"]["present"] == 4 and d["vmas"][0]["counts"]["device_exclusive"] == 0' \
	'd["pfn_visible"] is False'
dx_ok --proc "$WORK/unpriv" maps 109
grep -q '^note: .*CAP_SYS_ADMIN' "$OUT" || fail "unpriv maps: no note"

# Odd names: spaces, " (deleted)", quotes, UTF-8, invalid UTF-8, [vsyscall].
dx_ok --proc "$WORK/odd-names" -j maps 111
jcheck assert \
	'[v["name"] for v in d["vmas"]] == ["/tmp/dir with spaces/my  file",
	  "/memfd:gpu pool (deleted)", "/tmp/a \"quoted\" \\\\back\\\\slash",
	  "/tmp/caf\u00e9 \u20ac", "/tmp/bad\ufffdbyte", "[anon:gpu buffer #1]", "", "[heap]",
	  "[vdso]", "[vsyscall]"]' \
	'[v["deleted"] for v in d["vmas"]] == [False, True] + [False] * 8' \
	'd["vmas"][9]["in_pagemap"] is False and sum(d["vmas"][9]["counts"].values()) == 0' \
	'd["vmas"][9]["start"] == "0xffffffffff600000"'
dx_ok --proc "$WORK/odd-names" maps 111
grep -q ' /tmp/dir with spaces/my  file$' "$OUT" || fail "text: name with spaces"
grep -q ' /memfd:gpu pool (deleted)$' "$OUT" || fail "text: deleted name"

# A snapshot holding a malformed maps line: an error (1), not a crash.
cat > "$WORK/badmaps.desc" <<'DESC'
pid 300
vma 7f0000000000-7f0000002000 rw-p 00000000 00:00 0
maps_raw this is not a maps line
DESC
"$PY" "$top_srcdir/tests/mkfixture.py" "$WORK/badmaps.desc" "$WORK/badmaps" || fail mkfixture
dx_rc 1 --proc "$WORK/badmaps" maps 300
err_has "malformed"
dx_rc 1 --proc "$WORK/badmaps" pages 300
pass
