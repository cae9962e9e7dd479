#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The walk finds the same pages whatever its batch sizes: PAGEMAP_SCAN
# vectors that the kernel's answers fill exactly, partly, not at all, or
# over and over (the walk restarts at walk_end), vectors above the kernel's
# 512-region bounce buffer (where its walk_end goes stale), and pagemap
# reads of 1 and 7 entries.  Each run must show what pagemap shows: no page
# skipped, none counted twice.  No timings here: bench/ has them.
. "${top_srcdir:-.}/tests/lib.sh"
need_python
[ -r /proc/self/pagemap ] || skip "no /proc/self/pagemap"

# 3000 pages: 666 populated, more regions than the kernel's bounce buffer.
victim_start -n 3000 || exit 1
LAY=$WORK/layout
LAYOUT=$top_srcdir/tests/live/layout.py
range() { "$PY" "$LAYOUT" range "$LAY" "$1"; }
read -r AS AE < <(range anon)
read -r GS GE < <(range guard)
read -r MS ME < <(range markers)

stats() {	# DEVEXCTL-ARGS...: run with the walk statistics, output in $OUT
	DEVEXCTL_WALK_STATS=1 "$DEVEXCTL" "$@" > "$OUT" 2> "$ERR"
}
stats -j maps "$VPID" || fail "devexctl maps: $(cat "$ERR")"
grep -q 'PAGEMAP_SCAN calls: 0 empty, 0 partly, 0 exactly, 0 full' "$ERR" &&
	skip "no PAGEMAP_SCAN on this kernel: the pread walk has no restarts"

# Anon holds 666 isolated present pages (every third, not every ninth): 666
# regions, so a 666-region vector fits the range exactly.
"$PY" - "$LAY" <<'EOF' || fail "the victim's anon region is not 666 single pages"
import sys
pop = [l.split()[1:] for l in open(sys.argv[1]) if l.startswith("populated")][0]
assert len(pop) == 666 and all(int(b) - int(a) > 1 for a, b in zip(pop, pop[1:])), pop
EOF

# The reference: the anon VMA through the markers VMA, one line per page,
# and the maps counts, with the default sizes; each must match pagemap.
EXP=$WORK/expect.json
reference() {
	"$PY" "$LAYOUT" expect "$LAY" "$VPID" "$EXP" || return 1
	"$DEVEXCTL" -j pages "$VPID" "$AS-$ME" -L > "$WORK/ref-pages.json" || return 1
	"$PY" "$top_srcdir/tests/jcheck.py" pages "$WORK/ref-pages.json" "$EXP" \
		--list --range "$AS" "$ME" || return 1
	"$DEVEXCTL" -j maps "$VPID" > "$WORK/ref-maps.json" || return 1
	"$PY" "$LAYOUT" maps "$LAY" "$WORK/ref-maps.json" || return 1
}
retry 3 reference || fail "the default walk does not show what pagemap shows"

# same NAME ENV...: pages and maps under ENV equal the reference (retried:
# a page may move, changing its PFN, between two runs).
try_same() {
	env "$@" DEVEXCTL_WALK_STATS=1 "$DEVEXCTL" -j pages "$VPID" "$AS-$ME" -L \
		> "$WORK/pages.json" 2> "$WORK/stats" || return 1
	env "$@" "$DEVEXCTL" -j maps "$VPID" > "$WORK/maps.json" || return 1
	cmp -s "$WORK/pages.json" "$WORK/ref-pages.json" || {
		reference && cmp -s "$WORK/pages.json" "$WORK/ref-pages.json"
	} || return 1
	"$PY" "$LAYOUT" maps "$LAY" "$WORK/maps.json"
}
declare -A seen
same() {
	retry 3 try_same "$@" || { fail "with $*: not what pagemap shows"; return; }
	for k in empty partly exactly full; do
		grep -Eq "[1-9][0-9]* $k" "$WORK/stats" && seen[$k]=1
	done
}

# Vectors: one region per call (every call full), a few, the kernel's 512,
# one short of the anon regions, exactly them, one more, and far beyond.
for v in 1 2 3 511 512 513 665 666 667 4096; do
	same DEVEXCTL_SCAN_VEC=$v
done
# The anon region alone with a 666-region vector: one call, filled exactly.
DEVEXCTL_WALK_STATS=1 DEVEXCTL_SCAN_VEC=666 "$DEVEXCTL" pages "$VPID" "$AS-$AE" >"$OUT" 2>"$ERR"
grep -q ' 0 partly, 1 exactly, 0 full' "$ERR" || fail "666 regions, 666-region vector: $(cat "$ERR")"
# The guard VMA: nothing populated, a call that finds nothing.
DEVEXCTL_WALK_STATS=1 "$DEVEXCTL" pages "$VPID" "$GS-$GE" >"$OUT" 2>"$ERR"
grep -q ': 1 empty, 0 partly, 0 exactly, 0 full' "$ERR" || fail "the guard VMA: $(cat "$ERR")"
grep -q ' 4 none ' "$OUT" || fail "the guard VMA: $(cat "$OUT")"
# pagemap reads that split every run, with small vectors too.
same DEVEXCTL_PAGEMAP_BATCH=1
same DEVEXCTL_PAGEMAP_BATCH=7 DEVEXCTL_SCAN_VEC=2
for k in partly exactly full; do
	[ -n "${seen[$k]:-}" ] || fail "no PAGEMAP_SCAN answer filled its vector $k"
done
# Out-of-range values are ignored, not obeyed.
same DEVEXCTL_SCAN_VEC=0 DEVEXCTL_PAGEMAP_BATCH=99999999

victim_stop
pass
