#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# report's verdicts over a recording: check's own stream judges read the
# events back from the file. Hand-made recordings (uncompressed JSON Lines,
# which report reads too) of one conversion and its fault restore, with the
# subscriber deliveries each needs: with them, notify-on-convert and
# notify-on-restore pass; without the conversion's delivery, or with the
# delivery after the conversion, notify-on-convert fails and names the page;
# a polled recording has no events and every check says so. report exits 0
# whatever the verdicts say.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

JPY=$(jsonschema_python)
valid() {
	[ -n "$JPY" ] || return 0
	"$JPY" "$top_srcdir/tests/jsonschema-check.py" "$top_srcdir/schema" "$@" ||
		fail "not valid against $1.schema.json: $*"
}

A=0x7f0000001000
RANGE='"range":{"start":"0x7f0000000000","end":"0x7f0000010000"}'
SUB='"mm":"0x1a2b3c4d","sub":"0x0000abcd","sub_kind":"interval","callback":"dmirror_interval_invalidate","callback_addr":"0xffffffff81234560","start":"0x7f0000000000","end":"0x7f0000010000"'
STATE='"state":{"folio_dirty":true,"anon":true,"large":false,"anon_exclusive":true,"vma_write":true,"vma_shared":false,"sd_tracking":false,"uffd_wp_vma":false}'
PTE='"pte":{"present":true,"write":true,"dirty":true,"young":true,"soft_dirty":false,"uffd_wp":false}'

# recording FILE SOURCE EVENT-LINE...: a whole recording around the events.
recording() {
	local f=$1 src=$2 ts=2000 line
	shift 2
	{
		echo '{"schema_version":1,"type":"header","format":"devexctl-record","version":1,"devexctl":"t","kernel":"7.3.0","pid":4242,"comm":"victim","page_size":4096,'"$RANGE"',"source":"'"$src"'","source_reason":"hand-made","start_mono_ns":1000,"start_realtime_ns":2000}'
		echo '{"schema_version":1,"type":"snapshot","when":"start","timestamp_ns":1000,"alive":true,'"$RANGE"',"vmas":[{"start":"0x7f0000000000","end":"0x7f0000010000","perms":"rw-p","name":"","counts":{"present":16}}],"runs":[]}'
		echo '{"schema_version":1,"type":"notifiers","when":"start","document":{"schema_version":1,"pid":4242,"subscribers":[{"kind":"interval","id":"0x0000abcd","ops":"dmirror_mrn_ops","callback":"dmirror_interval_invalidate","start":"0x7f0000000000","last":"0x7f000000ffff","seq":2}],"total":1}}'
		for line in "$@"; do
			ts=$((ts + 1000))
			echo '{"schema_version":1,"type":'"${line/@TS@/$ts}"
		done
		echo '{"schema_version":1,"type":"snapshot","when":"end","timestamp_ns":90000,"alive":true,'"$RANGE"',"vmas":[{"start":"0x7f0000000000","end":"0x7f0000010000","perms":"rw-p","name":"","counts":{"present":16}}],"runs":[]}'
		echo '{"schema_version":1,"type":"trailer","stopped":"duration","timestamp_ns":90001,"realtime_ns":3000,"events":'"$#"',"lost":0,"polls":0}'
	} > "$f"
}

RS_X='"range_start","timestamp_ns":@TS@,"source":"tracefs","mm":"0x1a2b3c4d","start":"'$A'","end":"0x7f0000002000","event":"exclusive","owner":"0x00000011","flags":0}'
DL_X='"subscriber","timestamp_ns":@TS@,"source":"tracefs",'"$SUB"',"event":"exclusive","owner":"0x00000011","ret":0}'
SET='"set","timestamp_ns":@TS@,"source":"tracefs","mm":"0x1a2b3c4d","addr":"'$A'","pfn":"0x3fe85","owner":"0x00000011",'"$PTE"',"mapcount":1,'"$STATE"'}'
RE_X='"range_end","timestamp_ns":@TS@,"source":"tracefs","mm":"0x1a2b3c4d","start":"'$A'","end":"0x7f0000002000","event":"exclusive","owner":"0x00000011","flags":0}'
RS_C='"range_start","timestamp_ns":@TS@,"source":"tracefs","mm":"0x1a2b3c4d","start":"'$A'","end":"0x7f0000002000","event":"clear","owner":"0x00000000","flags":0}'
DL_C='"subscriber","timestamp_ns":@TS@,"source":"tracefs",'"$SUB"',"event":"clear","owner":"0x00000000","ret":0}'
RESTORE='"restore","timestamp_ns":@TS@,"source":"tracefs","mm":"0x1a2b3c4d","addr":"'$A'","pfn":"0x3fe85",'"$PTE"',"mapcount":1,'"$STATE"',"reason":"fault"}'
RE_C='"range_end","timestamp_ns":@TS@,"source":"tracefs","mm":"0x1a2b3c4d","start":"'$A'","end":"0x7f0000002000","event":"clear","owner":"0x00000000","flags":0}'

# verdict NAME: the result of check NAME in $OUT's text.
verdict() {
	awk -v n="$1" '$2 == n { print $1 }' "$OUT"
}

recording "$WORK/good.jsonl" tracepoints "$RS_X" "$DL_X" "$SET" "$RE_X" "$RS_C" "$DL_C" "$RESTORE" "$RE_C"
dx_ok report "$WORK/good.jsonl"
out_has "Checks over the recording (as 'check --watch' judges them):"
out_has "judged: 1 conversions, 1 restores (fault 1, fork 0), 0 removals (zap 0, unmap 0, migrate 0), 2 deliveries to 1 subscribers"
[ "$(verdict notify-on-convert)" = PASS ] || fail "notify-on-convert with its delivery: $(cat "$OUT")"
[ "$(verdict notify-on-restore)" = PASS ] || fail "notify-on-restore with its delivery: $(cat "$OUT")"
dx_ok -j report "$WORK/good.jsonl"
valid report "$OUT"
jcheck assert "d['verdicts']['judged']['conversions'] == 1" \
	"d['verdicts']['events_judged'] == 8" "d['verdicts']['events_lost'] is False"

# No delivery before the conversion: notify-on-convert fails, naming the page.
recording "$WORK/missed.jsonl" tracepoints "$RS_X" "$SET" "$RE_X" "$RS_C" "$DL_C" "$RESTORE" "$RE_C"
dx_ok report "$WORK/missed.jsonl"
[ "$(verdict notify-on-convert)" = FAIL ] || fail "a conversion without delivery passed: $(cat "$OUT")"
grep -q "^FAIL    notify-on-convert .*$A" "$OUT" || fail "the failure does not name $A: $(cat "$OUT")"
[ "$(verdict notify-on-restore)" = PASS ] || fail "notify-on-restore changed: $(cat "$OUT")"

# The delivery after the conversion: late is a failure too.
recording "$WORK/late.jsonl" tracepoints "$RS_X" "$SET" "$DL_X" "$RE_X"
dx_ok report "$WORK/late.jsonl"
[ "$(verdict notify-on-convert)" = FAIL ] || fail "a late delivery passed: $(cat "$OUT")"

# A polled recording: no events, every check missing with the reason.
recording "$WORK/poll.jsonl" poll
sed -i '1s/"source":"poll"/"source":"poll","interval_ms":100/' "$WORK/poll.jsonl"
dx_ok report "$WORK/poll.jsonl"
n=$(grep -c '^MISSING .*polled pagemap' "$OUT")
[ "$n" = "$(grep -c '^MISSING ' "$OUT")" ] && [ "$n" -ge 6 ] ||
	fail "a polled recording: not every check missing with the reason: $(cat "$OUT")"
dx_ok -j report "$WORK/poll.jsonl"
valid report "$OUT"
jcheck assert "d['verdicts']['failed'] == 0" "d['verdicts']['missing'] >= 6"
pass
