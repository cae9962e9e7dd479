#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run one libFuzzer harness (tests/fuzz/Makefile.inc builds them):
#
#   run.sh BINARY SEEDS WORKDIR SECONDS
#
# SECONDS = 0 replays the seed corpus only (every seed once, regression
# mode); otherwise fuzzes for SECONDS, starting from the seeds plus what
# earlier runs in WORKDIR/corpus found.  A crash input is saved under
# WORKDIR/ (crash-*, leak-*, timeout-*): fix cli/, then copy the input into
# SEEDS as a regression seed.  Prints one line:
#   NAME: N runs in S s, corpus C inputs (seeds K), 1 passed, 0 failed
set -u
bin=$1 seeds=$2 work=$3 secs=$4
name=$(basename "$bin")
mkdir -p "$work/corpus"
log=$work/$name.log
nseeds=$(find "$seeds" -type f | wc -l)
# Bounded memory and per-input time; ASan leak checking on.
opts=(-rss_limit_mb=1024 -timeout=10 -max_len=4096 "-artifact_prefix=$work/")
start=$SECONDS
if [ "$secs" = 0 ]; then
	"$bin" "${opts[@]}" -runs=0 "$seeds" >"$log" 2>&1
else
	"$bin" "${opts[@]}" -max_total_time="$secs" -print_final_stats=1 \
		"$work/corpus" "$seeds" >"$log" 2>&1
fi
rc=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n1)
[ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
corpus=$(find "$work/corpus" -type f | wc -l)
[ "$secs" != 0 ] || corpus=0	# regression mode: the seeds only
if [ "$rc" = 0 ]; then
	echo "$name: ${runs:-?} runs in $((SECONDS - start)) s, corpus $((corpus + nseeds)) inputs (seeds $nseeds), 1 passed, 0 failed"
	exit 0
fi
echo "$name: FAILED (exit $rc) after ${runs:-?} runs; log $log"
grep -E 'ERROR|invariant|SUMMARY|artifact' "$log" | head -n 20
echo "$name: 0 passed, 1 failed"
exit 1
