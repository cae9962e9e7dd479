#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/measure.sh: measure every tool on one workload; POSIX sh, so that it
# runs on the host and in the QEMU guest (busybox) alike.  bench/run calls it;
# bench/report.py turns what it writes into the table.
#
#   measure.sh BINDIR RESDIR WORKLOAD SCALE RUNS [TOOL...]
#
# BINDIR holds bench-target, bench-floor, bench-timeit, page-types and
# devexctl.  Starts `bench-target WORKLOAD SCALE`, then for each TOOL (default:
# all that apply) writes RESDIR/WORKLOAD/TOOL.cmd (the command line),
# TOOL.out (its output, warm-up run) and TOOL.runs (RUNS timed runs); plus
# target.txt (what the workload holds), maps.json (devexctl -j maps, for
# the count checks) and, where tracefs has the mmap_lock events
# (root), TOOL.lock (the mmap_lock events of one run of the tool).
set -eu

bin=$1 res=$2 wl=$3 scale=$4 runs=$5
shift 5
dir=$res/$wl
mkdir -p "$dir"
psz=$(getconf PAGESIZE 2>/dev/null || echo 4096)

ctl=$dir/.ctl
rm -f "$ctl"
mkfifo "$ctl"
"$bin/bench-target" "$wl" "$scale" <"$ctl" >"$dir/target.txt" &
tpid=$!
exec 3>"$ctl"
i=0
until grep -q '^ready$' "$dir/target.txt" 2>/dev/null; do
	kill -0 "$tpid" 2>/dev/null || { echo "measure: bench-target $wl failed" >&2; exit 1; }
	i=$((i + 1))
	[ "$i" -lt 6000 ] || { echo "measure: bench-target $wl never got ready" >&2; exit 1; }
	sleep 0.1 2>/dev/null || sleep 1
done
rm -f "$ctl"
stop() { exec 3>&-; wait "$tpid" 2>/dev/null || true; }
trap stop EXIT

# A workload the kernel cannot make (bench-target says why): nothing to measure.
if grep -q '^skip ' "$dir/target.txt"; then
	echo "measure: $wl: $(sed -n 's/^skip //p' "$dir/target.txt")" >&2
	exit 0
fi
start=$(awk '/^range/ {print $2}' "$dir/target.txt")
end=$(awk '/^range/ {print $3}' "$dir/target.txt")
pstart=$(($start / $psz)) pend=$(($end / $psz))
echo "pid $tpid" >>"$dir/target.txt"
echo "page_size $psz" >>"$dir/target.txt"

dx=$bin/devexctl
tools=${*:-"scan pread page-types pages pages-quiet pages-1 version start scan-all pread-all maps procmaps entries-floor entries"}
has_debugfs() { [ -r /sys/kernel/debug/devexcl/entries ]; }

cmdline() {	# TOOL: its command line, or nothing when it does not apply here
	case $1 in
	scan) echo "$bin/bench-floor scan $tpid $start $end" ;;
	pread) echo "$bin/bench-floor pread $tpid $start $end" ;;
	page-types) echo "$bin/page-types -p $tpid -a $pstart,$pend" ;;
	pages) echo "$dx pages $tpid $start-$end" ;;
	pages-quiet) echo "$dx pages $tpid $start-$end --state hwpoison" ;;
	pages-1) echo "$dx pages $tpid $start" ;;
	pages-marker) echo "$dx pages $tpid $start-$end --state marker" ;;
	scan-marker) echo "$bin/bench-floor scan-swapped $tpid $start $end" ;;
	version) echo "$dx --version" ;;
	start) echo "$bin/bench-floor start" ;;
	scan-all) echo "$bin/bench-floor scan $tpid all" ;;
	pread-all) echo "$bin/bench-floor pread $tpid all" ;;
	maps) echo "$dx maps $tpid" ;;
	procmaps) echo "$bin/bench-floor maps $tpid" ;;
	entries-floor) has_debugfs && echo "$bin/bench-floor entries $tpid $start $end" ;;
	entries) has_debugfs && echo "$dx entries $tpid $start-$end" ;;
	esac
}

tracing=/sys/kernel/tracing
[ -d "$tracing/events/mmap_lock" ] || tracing=/sys/kernel/debug/tracing
lock_trace() {	# TOOL CMD...: the mmap_lock events of one run
	local_tool=$1
	shift
	[ -w "$tracing/events/mmap_lock/mmap_lock_released/enable" ] || return 0
	echo 0 >"$tracing/tracing_on"
	echo >"$tracing/trace"
	echo 1 >"$tracing/events/mmap_lock/mmap_lock_acquire_returned/enable"
	echo 1 >"$tracing/events/mmap_lock/mmap_lock_released/enable"
	echo 1 >"$tracing/tracing_on"
	"$@" >/dev/null || true
	echo 0 >"$tracing/tracing_on"
	echo 0 >"$tracing/events/mmap_lock/mmap_lock_acquire_returned/enable"
	echo 0 >"$tracing/events/mmap_lock/mmap_lock_released/enable"
	comm=$(basename "$1" | cut -c1-15)
	grep -F " $comm-" "$tracing/trace" >"$dir/$local_tool.lock" || true
	echo >"$tracing/trace"
}

# A warm-up run of each tool keeps its output; then the timed runs go round
# robin, so that a burst of noise from a shared machine hits every tool.
ok=
for t in $tools; do
	c=$(cmdline "$t") || true
	[ -n "$c" ] || continue
	echo "$c" >"$dir/$t.cmd"
	: >"$dir/$t.runs"
	# shellcheck disable=SC2086
	if ! "$bin/bench-timeit" 0 "$dir/$t.out" $c 2>"$dir/$t.err"; then
		echo "measure: $wl: $t failed: $(tail -n 3 "$dir/$t.err")" >&2
		continue
	fi
	ok="$ok $t"
	case $t in
	# shellcheck disable=SC2086
	pages | maps | pread | scan) lock_trace "$t" $c ;;
	esac
done
r=0
while [ "$r" -lt "$runs" ]; do
	for t in $ok; do
		# shellcheck disable=SC2046
		"$bin/bench-timeit" 1 - $(cat "$dir/$t.cmd") >>"$dir/$t.runs" 2>>"$dir/$t.err" ||
			echo "measure: $wl: $t failed in run $r" >&2
	done
	r=$((r + 1))
done
"$dx" -j maps "$tpid" >"$dir/maps.json"
