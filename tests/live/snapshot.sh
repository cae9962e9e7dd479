#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A snapshot of a live child replays exactly what the live walk shows.
. "${top_srcdir:-.}/tests/lib.sh"
need_python
[ -r /proc/self/pagemap ] || skip "no /proc/self/pagemap"

victim_start -n 300 -f "$WORK/mapped file" || exit 1
S=$WORK/snap
dx_ok snapshot "$VPID" "$S"
read -r AS AE < <("$PY" "$top_srcdir/tests/live/layout.py" range "$WORK/layout" anon)
read -r FS FE < <("$PY" "$top_srcdir/tests/live/layout.py" range "$WORK/layout" file)
# Snapshot, then compare the replay with the live output: the kernel may
# migrate a page (compaction) in between, so a PFN may differ: retried.
try_replay() {
	rm -rf "$S"
	"$DEVEXCTL" snapshot "$VPID" "$S" > /dev/null || return 1
	"$DEVEXCTL" "$@" > "$WORK/live.txt" || return 1
	"$DEVEXCTL" --proc "$S" "$@" > "$OUT" || return 1
	diff "$WORK/live.txt" "$OUT" | head -20
	cmp -s "$OUT" "$WORK/live.txt" || return 1
	"$DEVEXCTL" -j "$@" > "$WORK/live.json" || return 1
	"$DEVEXCTL" --proc "$S" -j "$@" > "$OUT" || return 1
	"$PY" "$top_srcdir/tests/jcheck.py" same "$OUT" "$WORK/live.json" source swap_layout_source
}
cmp_replay() {
	retry 3 try_replay "$@" || fail "$*: the replay differs from the live process"
}
# pages: the victim's own mappings only; the exclusive bit of its binary's
# and libraries' pages changes whenever another process maps them.
cmp_replay pages "$VPID" "$AS-$FE"
cmp_replay pages "$VPID" "$AS-$FE" -L
cmp_replay pages "$VPID" "$AS-$FE" --state present,marker
cmp_replay maps "$VPID"
retry 3 try_replay pages "$VPID" "$AS-$AE" -L || fail "anon -L: the replay differs"
dx_ok --proc "$S" -j pages "$VPID" "$WORK/mapped file"
jcheck assert 'd["total_pages"] == 4 and d["source"] == "snapshot"'
victim_stop
# The snapshot outlives the process.
dx_ok --proc "$S" -j pages "$VPID" "$AS-$AE" -L
jcheck same "$WORK/live.json" source swap_layout_source
dx_rc 6 pages "$VPID"
pass
