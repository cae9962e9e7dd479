#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Without CAP_SYS_ADMIN (root drops to nobody with setpriv): pages of its
# own child shows no PFNs, swap-like for non-present entries, a note about
# CAP_SYS_ADMIN; another user's process is a permission error (5).
. "${top_srcdir:-.}/tests/lib.sh"
need_python
[ "$(id -u)" = 0 ] || skip "needs root to drop privileges with setpriv"
command -v setpriv > /dev/null || skip "no setpriv (util-linux)"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
"${NOBODY[@]}" true 2> /dev/null || skip "setpriv cannot drop privileges here"
"${NOBODY[@]}" test -x "$DEVEXCTL" || skip "nobody cannot run $DEVEXCTL"
"${NOBODY[@]}" test -x "$VICTIM" || skip "nobody cannot run $VICTIM"

WRAP=("${NOBODY[@]}")
victim_start -n 60 || exit 1
# Root reads the truth (with PFNs); devexctl runs as nobody.
"$PY" "$top_srcdir/tests/live/layout.py" expect "$WORK/layout" "$VPID" "$WORK/expect.json" --hidden ||
	fail "the host kernel does not show the victim's layout"
read -r AS AE < <("$PY" "$top_srcdir/tests/live/layout.py" range "$WORK/layout" anon)
read -r MS ME < <("$PY" "$top_srcdir/tests/live/layout.py" range "$WORK/layout" markers)

dx_ok -j pages "$VPID" "$AS-$ME" -L
jcheck pages "$WORK/expect.json" --list --range "$AS" "$ME"
jcheck assert 'd["pfn_visible"] is False' '"CAP_SYS_ADMIN" in d["pfn_hidden_reason"]' \
	'not any("pfn" in r for r in d["runs"])' \
	'sum(r["state"] == "present" for r in d["runs"]) == 13 + 6'
dx_ok pages "$VPID" "$AS-$AE"
grep -q '^note: PFNs and swap types hidden: CAP_SYS_ADMIN .*swap-like' "$OUT" ||
	fail "no note about CAP_SYS_ADMIN: $(tail -2 "$OUT")"
grep -q '^0x[0-9a-f]*  *0x[0-9a-f]*  *1 present  *- ' "$OUT" || fail "text: present pages show a PFN"
dx_ok -j maps "$VPID"
"$PY" "$top_srcdir/tests/live/layout.py" maps "$WORK/layout" "$OUT" || fail "maps counts as nobody"
dx_ok -j features
jcheck assert 'd["features"]["pagemap_pfns"]["status"] == "no-permission"' \
	'"CAP_SYS_ADMIN" in d["features"]["pagemap_pfns"]["reason"]'
# A snapshot taken without the capability says so when replayed (as root).
chmod 711 "$WORK"
mkdir "$WORK/nobody" && chown 65534:65534 "$WORK/nobody"
dx_ok snapshot "$VPID" "$WORK/nobody/snap"
grep -qx 'pfn_visible 0' "$WORK/nobody/snap/devexctl-snapshot" || fail "snapshot meta: pfn_visible"
WRAP=()
dx_ok --proc "$WORK/nobody/snap" -j pages "$VPID" "$AS-$ME" -L
jcheck pages "$WORK/expect.json" --list --range "$AS" "$ME"
WRAP=("${NOBODY[@]}")
victim_stop

# Another user's process: permission denied (5), one message line.
WRAP=()
victim_start -n 10 || exit 1
WRAP=("${NOBODY[@]}")
dx_rc 5 pages "$VPID"
err_has "Permission denied"
dx_rc 5 maps "$VPID"
dx_rc 5 snapshot "$VPID" "$WORK/nobody/snap-denied"
[ -e "$WORK/nobody/snap-denied/$VPID/pagemap" ] && fail "a denied snapshot wrote a pagemap"
WRAP=()
victim_stop
pass
