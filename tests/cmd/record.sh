#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# record and report on the host, through pagemap polling (DEVEXCTL_EVENTS=poll:
# no tracefs or root needed): tests/live/pagestates changes its pages in a
# known pattern while record runs, and report's numbers (text and JSON) must
# be that pattern. Ctrl-C, the target's exit, --max-size and kill -9 each
# leave a readable file; a truncated or corrupt file is a clear error.
. "${top_srcdir:-.}/tests/lib.sh"
need_python
[ -r /proc/self/pagemap ] || skip "no /proc/self/pagemap"
PAGESTATES=${PAGESTATES:-$top_builddir/tests/live/pagestates}
export DEVEXCTL_EVENTS=poll

JPY=$(jsonschema_python)
valid() {
	[ -n "$JPY" ] || return 0
	"$JPY" "$top_srcdir/tests/jsonschema-check.py" "$top_srcdir/schema" "$@" ||
		fail "not valid against $1.schema.json: $*"
}

# target_start: pagestates on a fifo (fd 8); $TPID, $ADDR.
target_start() {
	local i
	rm -f "$WORK/ps.in" "$WORK/ps.out"
	mkfifo "$WORK/ps.in" || { fail "mkfifo"; return 1; }
	"$PAGESTATES" 16 < "$WORK/ps.in" > "$WORK/ps.out" &
	TPID=$!
	CHILD_PIDS+=("$TPID")
	exec 8> "$WORK/ps.in"
	ANSWERS=0
	for i in $(seq 1 200); do
		grep -qx ready "$WORK/ps.out" 2>/dev/null && break
		sleep 0.05
	done
	ADDR=$(awk '$1 == "anon" { print $2 }' "$WORK/ps.out")
	[ -n "$ADDR" ] || { fail "pagestates did not start"; return 1; }
}
# send CMD: one command, and its answer (0: ok).
send() {
	local i
	echo "$*" >&8
	ANSWERS=$((ANSWERS + 1))
	for i in $(seq 1 400); do
		[ "$(grep -cE '^(ok|err)' "$WORK/ps.out")" -ge "$ANSWERS" ] && break
		sleep 0.05
	done
	[ "$(grep -E '^(ok|err)' "$WORK/ps.out" | sed -n "${ANSWERS}p")" = ok ]
}
# changes REC: the change lines the recording holds so far (it is flushed
# after every poll that saw one; gzip reads the unfinished stream).
changes() {
	gzip -dc "$1" 2>/dev/null | grep -c '"type":"change"'
}
# step REC CMD: send CMD and wait until the recording has one more change.
step() {
	local rec=$1 before i
	shift
	before=$(changes "$rec")
	send "$@" || { fail "pagestates: $* failed"; return 1; }
	for i in $(seq 1 400); do
		[ "$(changes "$rec")" -gt "$before" ] && return 0
		sleep 0.05
	done
	fail "record did not see '$*'"
	return 1
}
# record_start REC ARGS: record the target's 16 pages in the background.
record_start() {
	local rec=$1 i
	shift
	"$DEVEXCTL" record "$TPID" "$ADDR+64K" -o "$rec" "$@" > "$WORK/rec.out" 2> "$WORK/rec.err" &
	RPID=$!
	CHILD_PIDS+=("$RPID")
	for i in $(seq 1 400); do
		grep -q '^devexctl: recording' "$WORK/rec.err" && return 0
		kill -0 "$RPID" 2>/dev/null || break
		sleep 0.05
	done
	fail "record did not start: $(cat "$WORK/rec.err")"
	return 1
}
# record_wait: the recorder ended by itself (within 60 s) with status 0.
record_wait() {
	local i rc=0
	for i in $(seq 1 1200); do
		kill -0 "$RPID" 2>/dev/null || break
		sleep 0.05
	done
	wait "$RPID" || rc=$?
	[ "$rc" = 0 ] || fail "record exited $rc: $(cat "$WORK/rec.err")"
}

# Usage.
dx_usage record 1
dx_usage record 1 -o "$WORK/x" --interval 0
dx_usage report
dx_rc 6 record 999999999 -o "$WORK/x"

# The pattern, recorded until Ctrl-C.
target_start || exit 1
R=$WORK/pattern.rec.gz
record_start "$R" --interval 10 || exit 1
step "$R" t 0 7		# 8 pages none -> present
step "$R" d 2 5		# 4 present -> none
step "$R" t 2 3		# 2 none -> present
for i in 1 2 3; do	# page 0 churns: 6 changes
	step "$R" d 0 0
	step "$R" t 0 0
done
GUARD=0
if send g 14 15; then	# guard markers where the kernel has them (6.13+)
	GUARD=1
	for i in $(seq 1 400); do
		[ "$(changes "$R")" -ge 10 ] && break
		sleep 0.05
	done
	step "$R" r 14 15
fi
kill -INT "$RPID"
record_wait
grep -q "stopped: interrupted" "$WORK/rec.err" || fail "record's last line: $(cat "$WORK/rec.err")"
echo "pattern recording: $(stat -c %s "$R") bytes, $(gzip -dc "$R" | wc -l) lines," \
	"$(gzip -dc "$R" | wc -c) bytes of JSON (guard markers: $GUARD)"
gzip -dc "$R" > "$WORK/pattern.jsonl" || fail "not gzip"
"$PY" - "$WORK/pattern.jsonl" "$TPID" <<-'EOF' || fail "the recording's lines"
	import json, sys
	lines = [json.loads(l) for l in open(sys.argv[1])]
	h, t = lines[0], lines[-1]
	assert h["type"] == "header" and h["format"] == "devexctl-record" and h["version"] == 1, h
	assert h["pid"] == int(sys.argv[2]) and h["comm"] == "pagestates" and h["source"] == "poll", h
	assert h["source_reason"] == "DEVEXCTL_EVENTS=poll" and h["interval_ms"] == 10, h
	assert lines[1]["type"] == "snapshot" and lines[1]["when"] == "start", lines[1]
	assert [v["counts"]["none"] for v in lines[1]["vmas"]] == [16], lines[1]
	assert lines[1]["runs"] == [{"addr": lines[1]["vmas"][0]["start"], "pages": 16, "state": "none"}]
	assert t["type"] == "trailer" and t["stopped"] == "interrupted", t
	assert lines[-2]["type"] == "snapshot" and lines[-2]["when"] == "end", lines[-2]
	ev = [l for l in lines if l["type"] == "change"]
	assert all(e["source"] == "poll" for e in ev) and t["events"] == len(ev), t
	assert len(ev) in (9, 11), ev
	EOF

dx_ok report "$R"
out_has "stopped: interrupted"
out_has "pagestates"
if [ "$GUARD" = 1 ]; then N=11 NONE_IN=9 NONE_OUT=15; else N=9 NONE_IN=7 NONE_OUT=13; fi
grep -Eq "^present +13 +7 *$" "$OUT" || fail "report: present entered 13, left 7: $(cat "$OUT")"
grep -Eq "^none +$NONE_IN +$NONE_OUT *$" "$OUT" || fail "report: none $NONE_IN/$NONE_OUT"
grep -Eq "^$ADDR +7$" "$OUT" || fail "report: page 0 changed 7 times: $(cat "$OUT")"
out_has ", $N events"
dx_ok -j report "$R"
cp "$OUT" "$WORK/report.json"
# One python for every check of the document (python starts slowly on a loaded machine).
"$PY" - "$OUT" "$N" "$ADDR" "$NONE_IN" "$NONE_OUT" "$GUARD" <<-'EOF' || fail "report -j: $(cat "$OUT")"
	import json, sys
	d = json.load(open(sys.argv[1]))
	n, addr, none_in, none_out, guard = int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"
	assert d["complete"] and d["stopped"] == "interrupted" and d["events"] == n, d
	assert d["source"] == "poll" and d["comm"] == "pagestates", d
	assert [v["changes"] for v in d["vmas"]] == [n] and d["vmas"][0]["start"] == addr, d["vmas"]
	assert d["vmas"][0]["conversions"] == 0 and d["vmas"][0]["removals"] == 0, d["vmas"]
	assert d["top_pages"][0] == {"addr": addr, "events": 7}, d["top_pages"]
	assert [p["events"] for p in d["top_pages"]][1:3] == [3, 3], d["top_pages"]
	st = {s["state"]: (s["entered"], s["left"]) for s in d["states"]}
	assert st["present"] == (13, 7) and st["none"] == (none_in, none_out), st
	assert not guard or st["marker"] == (2, 2), st
	assert d["alive_at_end"]["total"] == 0 and d["owners"] == [] and d["subscribers"] == [], d
	EOF

# --duration, and record -j prints its trailer.
record_start "$WORK/dur.rec.gz" -j --duration 1 --interval 20 || exit 1
record_wait
cp "$WORK/rec.out" "$WORK/record.json"
"$PY" -c 'import json,sys; d = json.load(open(sys.argv[1])); assert d["stopped"] == "duration" and d["bytes"] > 0, d' \
	"$WORK/rec.out" || fail "record -j: $(cat "$WORK/rec.out")"

# kill -9: no trailer; report reads it and warns that it is incomplete.
record_start "$WORK/killed.rec.gz" --interval 10 || exit 1
step "$WORK/killed.rec.gz" d 0 7	# pages 0-3 and 6-7: two change lines
{ kill -KILL "$RPID" && wait "$RPID"; } 2>/dev/null	# bash's "Killed" too
dx report "$WORK/killed.rec.gz"
[ "$RC" = 0 ] || fail "report of a killed recording exited $RC: $(cat "$ERR")"
err_has "incomplete"
out_has "incomplete: no trailer"
dx -j report "$WORK/killed.rec.gz"
jcheck assert "d['complete'] is False and d['stopped'] is None and d['events'] == 2"

# --max-size: page 0 churns until the file is full.
record_start "$WORK/full.rec.gz" --interval 5 --max-size 3K --duration 60 || exit 1
send c || fail "pagestates: churn"
record_wait
send t 1 1 || true	# ends the churn
grep -qF -- "--max-size 3072" "$WORK/rec.err" || fail "no --max-size note: $(cat "$WORK/rec.err")"
size=$(stat -c %s "$WORK/full.rec.gz")
[ "$size" -le 3072 ] || fail "--max-size 3K: the file has $size bytes"
dx_ok -j report "$WORK/full.rec.gz"
jcheck assert "d['stopped'] == 'max-size' and d['events'] > 10"

# The target exits: the recording ends by itself.
record_start "$WORK/exit.rec.gz" --interval 10 || exit 1
kill "$TPID"
wait "$TPID" 2>/dev/null
record_wait
dx_ok -j report "$WORK/exit.rec.gz"
jcheck assert "d['stopped'] == 'target-exited' and d['complete']"
gzip -dc "$WORK/exit.rec.gz" > "$WORK/exit.jsonl" || fail "exit.rec.gz: not gzip"
gzip -dc "$WORK/full.rec.gz" > "$WORK/full.jsonl" || fail "full.rec.gz: not gzip"
# Each line of the recordings, record -j's output and report -j's follow the schemas.
valid record "$WORK/pattern.jsonl" "$WORK/exit.jsonl" "$WORK/full.jsonl" "$WORK/record.json"
valid report "$WORK/report.json" "$OUT"

# Damaged files: an error that names the line or byte, exit 1, never a crash.
size=$(stat -c %s "$R")
for cut in 5 12 30 $((size / 2)) $((size - 20)) $((size - 3)); do
	head -c "$cut" "$R" > "$WORK/cut.gz"
	dx report "$WORK/cut.gz"
	if [ "$RC" = 0 ]; then	# cut exactly after a line: a recording that was killed
		err_has "incomplete"
	else
		dx_rc 1 report "$WORK/cut.gz" && err_has "line "
	fi
done
for at in 0 3 40 $((size / 2)) $((size - 6)); do
	"$PY" -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[int(sys.argv[2])] ^= 0x55; open(sys.argv[3], "wb").write(b)' \
		"$R" "$at" "$WORK/flip.gz"
	dx_rc 1 report "$WORK/flip.gz" && err_has "line "
done
sed '1s/"version":1/"version":2/' "$WORK/pattern.jsonl" | gzip > "$WORK/v2.gz"
dx_rc 1 report "$WORK/v2.gz" && err_has "line 1 (byte 0"
err_has "format version 2: this devexctl reads version 1"
sed '1d' "$WORK/pattern.jsonl" | gzip > "$WORK/nohead.gz"
dx_rc 1 report "$WORK/nohead.gz" && err_has "the first line is no header"
sed '3s/"pages":[0-9]*/"pages":"x"/' "$WORK/pattern.jsonl" > "$WORK/badfield.jsonl"
dx_rc 1 report "$WORK/badfield.jsonl" && err_has "line 3 "
err_has '"pages" is missing or not a non-negative integer'
: > "$WORK/empty"
dx_rc 1 report "$WORK/empty" && err_has "empty file"
dx_rc 1 report "$WORK/no-such-file"
pass
