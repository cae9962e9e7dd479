#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# devexctl tui --replay FILE through tmux (send-keys / capture-pane) at
# 80x24, over a recording made here with known events at known times: the
# start state, the counts, the page map and the event pane after stepping
# events back and forth, by a tenth of the recording and to its ends, the
# status line, the refused live actions; a missing, damaged or cut file is
# the error 'report' gives, before the screen.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

# The recording: pid 4242, 16 anonymous pages (8 none, 6 present, 2
# device-exclusive at the start), six events one second apart from 1 s on,
# the end snapshot at 10 s.
R=$WORK/replay.jsonl
{
	echo '{"schema_version":1,"type":"header","format":"devexctl-record","version":1,"devexctl":"0.1.0","kernel":"7.3.4","pid":4242,"comm":"victim","page_size":4096,"range":{"start":"0x0","end":"0x800000000000"},"source":"tracepoints","source_reason":"hand-made","interval_ms":100,"start_mono_ns":1000000000,"start_realtime_ns":2000}'
	echo '{"schema_version":1,"type":"snapshot","when":"start","timestamp_ns":1000000000,"alive":true,"vmas":[{"start":"0x555555554000","end":"0x555555556000","perms":"r--p","name":"/usr/bin/victim","counts":{"present":2}},{"start":"0x7f0000000000","end":"0x7f0000010000","perms":"rw-p","name":"","counts":{"none":8,"present":6,"device_exclusive":2}}],"runs":[{"addr":"0x7f0000000000","pages":8,"state":"none"},{"addr":"0x7f000000e000","pages":2,"state":"device-exclusive"}]}'
	echo '{"schema_version":1,"type":"set","timestamp_ns":2000000000,"source":"tracefs","addr":"0x7f0000008000","owner":"0x00000011"}'
	echo '{"schema_version":1,"type":"set","timestamp_ns":3000000000,"source":"tracefs","addr":"0x7f0000009000","owner":"0x00000011"}'
	echo '{"schema_version":1,"type":"restore","timestamp_ns":4000000000,"source":"tracefs","addr":"0x7f000000e000","reason":"fault"}'
	echo '{"schema_version":1,"type":"range_start","timestamp_ns":5000000000,"source":"tracefs","start":"0x7f0000000000","end":"0x7f0000002000"}'
	echo '{"schema_version":1,"type":"remove","timestamp_ns":6000000000,"source":"tracefs","addr":"0x7f000000f000","reason":"zap"}'
	echo '{"schema_version":1,"type":"set","timestamp_ns":7000000000,"source":"tracefs","addr":"0x7f0000000000","owner":"0x00000011"}'
	echo '{"schema_version":1,"type":"snapshot","when":"end","timestamp_ns":11000000000,"alive":true,"vmas":[{"start":"0x555555554000","end":"0x555555556000","perms":"r--p","name":"/usr/bin/victim","counts":{"present":2}},{"start":"0x7f0000000000","end":"0x7f0000010000","perms":"rw-p","name":"","counts":{"none":8,"present":5,"device_exclusive":3}}],"runs":[{"addr":"0x7f0000000000","pages":1,"state":"device-exclusive"},{"addr":"0x7f0000001000","pages":7,"state":"none"},{"addr":"0x7f0000008000","pages":2,"state":"device-exclusive"},{"addr":"0x7f000000f000","pages":1,"state":"none"}]}'
	echo '{"schema_version":1,"type":"trailer","stopped":"duration","timestamp_ns":11000000001,"realtime_ns":3000,"events":6,"lost":0,"polls":0}'
} > "$R"
gzip -c "$R" > "$R.gz" || fail "gzip"
dx_ok report "$R.gz"	# the recording is one report reads
out_has "6 events"

# configure --disable-tui: --replay fails as the rest of tui does.
if [ "${ENABLE_TUI:-yes}" = no ]; then
	why="this devexctl was built without the TUI (configure --disable-tui)"
	dx_rc 4 tui --replay "$R.gz" &&
		{ [ "$(cat "$ERR")" = "devexctl: $why" ] || fail "want '$why' alone: $(cat "$ERR")"; }
	[ "$FAILURES" = 0 ] || pass
	skip "$why"
fi

# Bad input, before any screen: the error and exit status of report.
same_as_report() {
	local rc want
	dx report "$1"
	rc=$RC want=$(cat "$ERR")
	[ "$rc" = 1 ] || fail "report $1 exited $rc, want 1"
	dx_rc 1 tui --replay "$1" || return 1
	[ "$(cat "$ERR")" = "$want" ] || fail "tui --replay $1: want report's error '$want': $(cat "$ERR")"
}
same_as_report "$WORK/no-such-file"
err_has "No such file"
head -c 60 "$R.gz" > "$WORK/cut.gz"
same_as_report "$WORK/cut.gz"
err_has "line 1 "
sed '3s/"addr":"0x[0-9a-f]*"/"addr":"x"/' "$R" > "$WORK/badaddr.jsonl"
same_as_report "$WORK/badaddr.jsonl"
err_has 'line 3 '
err_has '"addr" is missing or not a "0x..." address'
echo garbage > "$WORK/garbage"
same_as_report "$WORK/garbage"
err_has "not a valid recording"
dx_usage tui --replay "$R.gz" 4242
err_has "not both"
dx_usage tui --replay "$R.gz" < /dev/null
err_has "terminal"

. "${top_srcdir:-.}/tests/tmux.sh"
# at STATUS ROW MAP EVENT WHAT: the status line, the anon VMA's row, its
# page map and the newest event (bottom of the event pane, above the message).
at() {
	wait_for "^REPLAY $1 \| source tracepoints" "$5: status" || return 1
	wait_for "^7f0000000000 rw-p +16 +$2 +0 +0 +0 +\[anon\]$" "$5: counts"
	wait_for "^$3$" "$5: page map"
	[ -z "$4" ] || [ "$(screen | sed -n 22p)" = "$4" ] ||
		fail "$5: newest event: want '$4': $(screen)"
}

start tui --replay "$R.gz"
wait_for '^pid 4242 victim \| 7\.3\.4 \| replay of replay\.jsonl\.gz$' header
wait_for '^555555554000 r--p +2 +2 +0 +0 +0 +0 +/usr/bin/victim$' "binary row"
wait_for '^Events up to the cursor \(newest last\)' "event pane title"
wait_for '^no event before the cursor$' "no event at the start"
keys Down
at '0\.000s of 10\.000s \| event 0/6' '6 +2' '\.{8}#{6}XX' '' "start"
wait_for '^0x7f0000000000 none \| at 0\.000s of the recording$' "the page under the cursor"
keys .
at '1\.000s of 10\.000s \| event 1/6' '5 +3' '\.{8}X#{5}XX' \
	'   1.000s #1 conversion 0x7f0000008000' "one event"
keys . . . .
at '5\.000s of 10\.000s \| event 5/6' '5 +2' '\.{8}XX#{5}\.' \
	'   5.000s #5 removal 0x7f000000f000' "five events"
[ "$(screen | sed -n 20,21p)" = "   3.000s #3 restore 0x7f000000e000 fault
   4.000s #4 notifier 0x7f0000000000 2 pages" ] || fail "older events above: $(screen)"
keys ,
at '4\.000s of 10\.000s \| event 4/6' '5 +3' '\.{8}XX#{5}X' \
	'   4.000s #4 notifier 0x7f0000000000 2 pages' "one back"
keys '}'
at '10\.000s of 10\.000s \| event 6/6' '5 +3' 'X\.{7}XX#{5}\.' \
	'   6.000s #6 conversion 0x7f0000000000' "the end: the end snapshot's runs"
wait_for '^0x7f0000000000 device-exclusive \| at 10\.000s' "the page under the cursor at the end"
# . after the last event stays: then [ goes back from 10 s, not from 6 s.
keys . '['
at '9\.000s of 10\.000s \| event 6/6' '5 +3' 'X\.{7}XX#{5}\.' '' "no event after the last"
keys '{'
at '0\.000s of 10\.000s \| event 0/6' '6 +2' '\.{8}#{6}XX' '' "back at the start"
keys ']'
at '1\.000s of 10\.000s \| event 1/6' '5 +3' '\.{8}X#{5}XX' '' "a tenth forward"
keys ']' ']' ']'
at '4\.000s of 10\.000s \| event 4/6' '5 +3' '\.{8}XX#{5}X' '' "four tenths"
keys '['
at '3\.000s of 10\.000s \| event 3/6' '5 +3' '\.{8}XX#{4}#X' '' "a tenth back"

# Live-only actions are refused, with the reason, as under --readonly.
keys x
wait_for '^convert is disabled: a replay shows a recording and cannot act' "convert refused"
keys F8
wait_for '^revert is disabled: a replay shows a recording and cannot act' "revert refused"
keys c
wait_for '^check is disabled: a replay shows a recording and cannot act' "check refused"
keys F5
wait_for '^rescan is disabled: a replay' "rescan refused"
# The time keys are in the key table, so the help screen lists them.
keys F1
wait_for '^greyed actions are disabled: a replay shows a recording' "help: why greyed"
keys j j j j j j j j j j j j
wait_for '^ , \. +replay: one event back / forward' "help: , and ."
wait_for '^ \[ \] +replay: back / forward by a tenth' "help: [ and ]"
wait_for '^ \{ \} +replay: to the start / the end' "help: { and }"
keys Escape q
wait_for '^tui-exit=0$' "q quits"

# The time keys outside a replay say where they work.
start --proc "$(mkfx device-exclusive)" tui 4242
wait_for '^pid 4242 victim' "a snapshot"
keys .
wait_for '^time keys work in a replay: devexctl tui --replay FILE' "time keys outside a replay"
keys q
wait_for '^tui-exit=0$' "quit the snapshot"

# A recording without its trailer: shown, with the warning; -n exits by itself.
head -n -1 "$R" > "$WORK/killed.jsonl"
start tui -d 1 -n 30 --replay "$WORK/killed.jsonl"
wait_for 'killed\.jsonl is incomplete: it has no trailer' "incomplete recording"
wait_for '^REPLAY 0\.000s of 10\.000s \| event 0/6' "incomplete: the status line"
wait_for '^tui-exit=0$' "-n exits by itself"
pass
