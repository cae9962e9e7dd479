#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pages --state S asks PAGEMAP_SCAN only for the categories of S (states.c)
# and reads pagemap inside the regions found: its listing must be the full
# listing's lines of S, for every state and a list of them, whatever the
# vector and batch sizes.  On the whole of a live victim (tests/live/victim:
# present, none and guard-marker pages).
. "${top_srcdir:-.}/tests/lib.sh"
[ -r /proc/self/pagemap ] || skip "no /proc/self/pagemap"

victim_start -n 3000 || exit 1

# try_same "S[,S...]" ENV...: the filtered listing equals the full one's
# lines whose STATE is in the list (retried: a page may move, changing its
# PFN, between the two runs).
try_same() {
	local states=$1
	shift
	env "$@" "$DEVEXCTL" pages "$VPID" > "$WORK/full" || return 1
	env "$@" "$DEVEXCTL" pages "$VPID" --state "$states" > "$WORK/state" || return 1
	awk -v s="$states" 'BEGIN { n = split(s, a, ","); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		NR == 1 || ($4 in want)' "$WORK/full" > "$WORK/filtered"
	cmp -s "$WORK/filtered" "$WORK/state"
}
same() {
	retry 3 try_same "$@" || {
		fail "pages --state $1 (${*:2}): not the full listing's lines"
		diff "$WORK/filtered" "$WORK/state" | head -5
	}
}

# Every state of the table, as 'devexctl help states' lists them.
states=$("$DEVEXCTL" help states |
	awk '/^Page states/ { on = 1; next } /^$/ { on = 0 } on { print $1 }')
[ "$(wc -w <<< "$states")" -ge 9 ] || fail "'devexctl help states' lists: $states"
for s in $states; do
	same "$s"
done
same marker,none
same present,marker
# The lines themselves: the victim's guard markers (when the kernel has them).
same marker DEVEXCTL_SCAN_VEC=1
same present DEVEXCTL_SCAN_VEC=2 DEVEXCTL_PAGEMAP_BATCH=7
same none DEVEXCTL_PAGEMAP_BATCH=1
"$DEVEXCTL" pages "$VPID" --state present > "$OUT" || fail "pages --state present"
[ "$(wc -l < "$OUT")" -gt 1 ] || fail "no present page listed"

victim_stop
pass
