#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/tui-key.sh: the TUI from a key to the redrawn screen on the dense16
# workload (16 GiB of 4 KiB pages; 1/SCALE of it): bench-tuikey drives
# `devexctl tui` in a pseudo-terminal with the cursor on the big VMA.
#
#   tui-key.sh BINDIR RESDIR SCALE RUNS
#
# Writes RESDIR/tui-dense16/{target.txt,keys.txt}; bench/report.py reads them.
set -eu

bin=$1 res=$2 scale=$3 runs=$4
dir=$res/tui-dense16
mkdir -p "$dir"
ctl=$dir/.ctl
rm -f "$ctl"
mkfifo "$ctl"
"$bin/bench-target" dense16 "$scale" <"$ctl" >"$dir/target.txt" &
tpid=$!
exec 3>"$ctl"
i=0
until grep -q '^ready$' "$dir/target.txt" 2>/dev/null; do
	kill -0 "$tpid" 2>/dev/null || { echo "tui-key: bench-target failed" >&2; exit 1; }
	i=$((i + 1))
	[ "$i" -lt 6000 ] || { echo "tui-key: bench-target never got ready" >&2; exit 1; }
	sleep 0.1
done
rm -f "$ctl"
trap 'exec 3>&-; wait "$tpid" 2>/dev/null || true' EXIT
if grep -q '^skip ' "$dir/target.txt"; then
	echo "tui-key: $(sed -n 's/^skip //p' "$dir/target.txt")" >&2
	exit 0
fi
start=$(awk '/^range/ { sub(/^0x/, "", $2); print $2 }' "$dir/target.txt")
# The VMA list is in address order, as /proc/PID/maps: the big VMA's row.
row=$(awk -v s="$start" '{ split($1, a, "-"); if (a[1] == s) { print NR - 1; exit } }' \
	"/proc/$tpid/maps")
[ -n "$row" ] || { echo "tui-key: the workload's VMA is not in /proc/$tpid/maps" >&2; exit 1; }
echo "row $row" >>"$dir/target.txt"
# A refresh every 60 s: only the keys make the TUI draw.
"$bin/bench-tuikey" "$runs" "$row" "$bin/devexctl" tui -d 600 "$tpid" >"$dir/keys.txt"
