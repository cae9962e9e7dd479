#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# devexctl pages and maps on a live child (tests/live/victim) on the host
# kernel: exactly its populated and unpopulated pages, the PFNs the kernel
# reports, guard markers; and reading leaves the target as it was.
. "${top_srcdir:-.}/tests/lib.sh"
need_python
[ -r /proc/self/pagemap ] || skip "no /proc/self/pagemap"
capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
(( (16#$capeff >> 21) & 1 )) || skip "needs CAP_SYS_ADMIN for PFNs (see unprivileged.sh)"

victim_start -n 300 -f "$WORK/mapped file" || exit 1
EXP=$WORK/expect.json
LAY=$WORK/layout
LAYOUT=$top_srcdir/tests/live/layout.py
"$PY" "$LAYOUT" expect "$LAY" "$VPID" "$EXP" ||
	fail "the host kernel does not show the victim's layout"
cp "$EXP" "$WORK/expect-first.json"

range() { "$PY" "$LAYOUT" range "$LAY" "$1"; }
read -r AS AE < <(range anon)
read -r GS GE < <(range guard)
read -r MS ME < <(range markers)
read -r FS FE < <(range file)

# live_pages "JCHECK-OPTS" DEVEXCTL-ARGS: the expectation read from pagemap
# now, devexctl's output, compared (retried: PFNs may move, see retry).
try_pages() {
	local opts=$1
	shift
	"$PY" "$LAYOUT" expect "$LAY" "$VPID" "$EXP" || return 1
	"$DEVEXCTL" "$@" > "$OUT" 2> "$ERR" || { cat "$ERR"; return 1; }
	[ -s "$ERR" ] && { cat "$ERR"; return 1; }
	# shellcheck disable=SC2086
	"$PY" "$top_srcdir/tests/jcheck.py" pages "$OUT" "$EXP" $opts
}
live_pages() {
	retry 3 try_pages "$@" || fail "devexctl ${*:2} does not show what pagemap shows"
}

# Each region, per page (-L) and merged, JSON and text.
for r in "$AS $AE" "$GS $GE" "$MS $ME" "$FS $FE"; do
	set -- $r
	live_pages "--list --range $1 $2" -j pages "$VPID" "$1-$2" -L
	live_pages "--range $1 $2" -j pages "$VPID" "$1-$2"
	live_pages "--list --text --range $1 $2" pages "$VPID" "$1-$2" -L
done
# The whole victim reservation at once, START+LEN.
live_pages "--list --range $AS $FE" -j pages "$VPID" "$AS+$(( (FE - AS) / 1024 ))K" -L
# The file mapping, by name.
live_pages "--list --range $FS $FE" -j pages "$VPID" "$WORK/mapped file" -L
jcheck assert '[r["state"] for r in d["runs"]] == ["present", "none", "present", "none"]' \
	'd["runs"][0]["file"] and d["runs"][2]["file"]'

# The anonymous region: 300 pages, every third written, every ninth dropped.
dx_ok -j pages "$VPID" "$AS-$AE" --state present -L
jcheck assert 'len(d["runs"]) == 66' 'all("pfn" in r for r in d["runs"])' \
	'all(r["exclusive"] and not r["file"] for r in d["runs"])'
dx_ok -j pages "$VPID" "$AS+1200K" --state none
jcheck assert 'd["total_pages"] == 234'
# Guard markers (MADV_GUARD_INSTALL, Linux 6.13+; the bit shows since 6.15).
if grep -q '^markers .* none$' "$LAY"; then
	echo "note: MADV_GUARD_INSTALL unsupported here; no guard markers"
else
	dx_ok -j pages "$VPID" "$MS-$ME" --state marker
	jcheck assert '[(r["pages"], r["guard"]) for r in d["runs"]] == [(2, True)]'
fi

# maps: the victim's VMAs with exact counts.
dx_ok -j maps "$VPID"
"$PY" "$LAYOUT" maps "$LAY" "$OUT" || fail "maps counts"
cp "$OUT" "$WORK/maps1.json"
dx_ok maps "$VPID"
grep -q "none=2 pres=2 .*mapped file\$" "$OUT" ||
	fail "text maps: file line: $(grep 'mapped file' "$OUT")"

# Inspection does not change the target: twice the same output, and the
# victim's pages (states and flags) as before all of the above.  Only the
# victim's own mappings: the exclusive bit of its binary's and libraries'
# pages changes whenever another process maps them.
twice() {
	"$DEVEXCTL" "$@" > "$WORK/twice1" && "$DEVEXCTL" "$@" > "$WORK/twice2" &&
		cmp -s "$WORK/twice1" "$WORK/twice2"
}
retry 3 twice -j pages "$VPID" "$AS-$FE" -L || fail "pages -L -j twice: different"
retry 3 twice pages "$VPID" "$AS-$FE" -L || fail "pages -L twice: different"
dx_ok -j maps "$VPID"
jcheck same "$WORK/maps1.json"
"$PY" "$LAYOUT" expect "$LAY" "$VPID" "$WORK/expect-last.json" ||
	fail "the victim's pages changed under inspection"
"$PY" - "$WORK/expect-first.json" "$WORK/expect-last.json" <<'PYEOF' || fail "the victim changed under inspection"
import json, sys
a, b = (json.load(open(p))["pages"] for p in sys.argv[1:3])
strip = lambda pages: [(p["addr"], p["state"], p["flags"]) for p in pages]
assert strip(a) == strip(b), [x for x in zip(strip(a), strip(b)) if x[0] != x[1]][:5]
PYEOF
# The whole process, once: every mapping walks without error.
dx_ok -j pages "$VPID"
jcheck assert 'd["total_pages"] > 300'

victim_stop
pass
