#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Races (issue 8): the target exits or unmaps while maps/pages read it.
# tests/live/racehook.so makes each race happen every time: it runs a hook
# after devexctl has read a mapping's maps line and before it reads that
# mapping's pagemap.  The answer must be exit 6 (one error line; with
# --json a document that parses and ends with "error"), or exit 0 with
# "partial": true; never a normal-looking answer built on pages that were
# no longer there.
. "${top_srcdir:-.}/tests/lib.sh"
need_python
HOOKLIB=${RACEHOOK:-$top_builddir/tests/live/racehook.so}
[ -f "$HOOKLIB" ] || skip "no $HOOKLIB"
# Under --enable-sanitizers, libasan wants to be first in the library list.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
L() { "$PY" "$top_srcdir/tests/live/layout.py" "$@"; }

# raced PID HOOK ARGS...: devexctl ARGS with the race hook on PID's pagemap.
raced() {
	local pid=$1 hook=$2
	shift 2
	DEVEXCTL_RACE_PID=$pid DEVEXCTL_RACE_HOOK=$hook LD_PRELOAD=$HOOKLIB dx "$@"
}
# Hook commands: SIGKILL the process and wait until it is a zombie (or
# reaped); make the victim unmap its anon region and wait for it.
kill_hook() {
	echo "kill -KILL $1; while [ -e /proc/$1 ] && ! grep -qs '^State:[[:space:]]*Z' /proc/$1/status; do sleep 0.01; done"
}
unmap_hook() {
	echo "printf u > '$WORK/victim.in'; while ! grep -qx unmapped '$WORK/layout'; do sleep 0.01; done"
}
# want_exited: the last dx exited 6 with one error line naming the exit.
want_exited() {
	[ "$RC" = 6 ] || { fail "$1: exit $RC, want 6: $(head -c 300 "$ERR")"; return; }
	[ "$(grep -c '^devexctl: ' "$ERR")" -ge 1 ] && [ "$(grep -vc '^devexctl: ' "$ERR")" = 0 ] ||
		fail "$1: stderr is not devexctl's error lines: $(cat "$ERR")"
	grep -q 'exited' "$ERR" || fail "$1: the message does not say the process exited: $(cat "$ERR")"
}

# 1. Exit during maps / pages, the victim reaped by this shell (or not yet).
for spec in "maps @" "-j maps @" "pages @" "-j pages @ -L" "pages @ ANON"; do
	victim_start -n 300 || exit 1
	read -r AS AE < <(L range "$WORK/layout" anon)
	spec=${spec//@/$VPID}
	read -ra cmd <<< "${spec/ANON/$AS-$AE}"
	raced "$VPID" "$(kill_hook "$VPID")" "${cmd[@]}"
	want_exited "exit during '${cmd[*]}'"
	# --json: the document begun is closed with the error, and parses.
	[ "${cmd[0]}" = -j ] &&
		jcheck assert 'd["error"]["exit_status"] == 6' 'd["error"]["errno"] == "ESRCH"' \
			'"exited" in d["error"]["message"]'
	exec 7>&-
	wait "$VPID" 2>/dev/null
done

# 2. A zombie: its parent (sleep) never reaps it.  Killed during the walk,
# and asked again once it is a zombie.
zombie_start() {
	rm -f "$WORK/z.in" "$WORK/z.layout" "$WORK/z.pid"
	mkfifo "$WORK/z.in"
	# (sh gives an asynchronous command /dev/null as stdin: pass it on fd 3)
	sh -c 'exec 3<&0; "$0" -n 300 <&3 3<&- & echo $! > "$1"; exec sleep 600 3<&-' \
		"$VICTIM" "$WORK/z.pid" \
		< "$WORK/z.in" > "$WORK/z.layout" &
	CHILD_PIDS+=($!)
	exec 8> "$WORK/z.in"
	for _ in $(seq 1 200); do
		grep -qx ready "$WORK/z.layout" 2>/dev/null && break
		sleep 0.05
	done
	ZPID=$(cat "$WORK/z.pid")
}
zombie_start
raced "$ZPID" "$(kill_hook "$ZPID")" -j pages "$ZPID"
want_exited "exit during pages, the target left a zombie"
jcheck assert 'd["error"]["exit_status"] == 6'
grep -qs '^State:[[:space:]]*Z' "/proc/$ZPID/status" || fail "the victim is not a zombie"
for cmd in maps pages; do
	dx "$cmd" "$ZPID"
	want_exited "$cmd of a zombie"
	[ -s "$OUT" ] && fail "$cmd of a zombie printed: $(head -c 200 "$OUT")"
done
exec 8>&-

# 3. The anon region is unmapped after maps listed it: partial, never silent.
victim_start -n 300 || exit 1
read -r AS AE < <(L range "$WORK/layout" anon)
dx_ok -j maps "$VPID"
jcheck assert 'd["partial"] is False' '"changed_mappings" not in d'
raced "$VPID" "$(unmap_hook)" -j pages "$VPID" "$AS-$AE"
[ "$RC" = 0 ] || fail "pages during an unmap: exit $RC: $(cat "$ERR")"
jcheck assert 'd["partial"] is True' 'd["changed_mappings"] == 1'
victim_stop

victim_start -n 300 || exit 1
raced "$VPID" "$(unmap_hook)" -j maps "$VPID"
[ "$RC" = 0 ] || fail "maps during an unmap: exit $RC: $(cat "$ERR")"
jcheck assert 'd["partial"] is True' 'd["changed_mappings"] >= 1'
victim_stop

# 4. Unmapped and mapped again (read-only) at the same address.
victim_start -n 300 || exit 1
raced "$VPID" "printf ur > '$WORK/victim.in'; while ! grep -qx remapped '$WORK/layout'; do sleep 0.01; done" maps "$VPID"
[ "$RC" = 0 ] || fail "maps during a remap: exit $RC: $(cat "$ERR")"
grep -q '^note: partial: ' "$OUT" || fail "text: no partial note after a remap: $(tail -3 "$OUT")"
victim_stop

# 5. Privilege hygiene: as root, pages keeps no capability once its target
# is open (the hook reads devexctl's own status mid-walk), yet PFNs stay
# visible (fixed when pagemap was opened).
if [ "$(id -u)" = 0 ]; then
	victim_start -n 300 || exit 1
	raced "$VPID" "grep -E '^(Cap|NoNewPrivs)' /proc/\$PPID/status > '$WORK/caps'" -j pages "$VPID"
	[ "$RC" = 0 ] || fail "pages with the caps hook: exit $RC: $(cat "$ERR")"
	jcheck assert 'd["pfn_visible"] is True'
	for f in CapEff CapPrm CapInh CapBnd CapAmb; do
		grep -q "^$f:[[:space:]]*0000000000000000$" "$WORK/caps" ||
			fail "pages keeps capabilities: $(cat "$WORK/caps")"
	done
	grep -q '^NoNewPrivs:[[:space:]]*1' "$WORK/caps" || fail "no_new_privs not set"
	victim_stop
fi
pass
