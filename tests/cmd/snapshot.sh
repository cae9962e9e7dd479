#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# devexctl snapshot: the directory layout (which mkfixture.py copies), the
# meta keys, replay with --proc, and its errors.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

sleep infinity &	# lives until the test ends it (cleanup kills CHILD_PIDS)
SPID=$!
CHILD_PIDS+=("$SPID")
sleep 0.1
S=$WORK/snap

dx_ok snapshot "$SPID" "$S"
out_has "snapshot of $SPID written to $S:"
out_has "replay: devexctl --proc $S pages $SPID"
for f in "$SPID/maps" "$SPID/pagemap" "$SPID/status" sys/kernel/osrelease devexctl-snapshot; do
	[ -f "$S/$f" ] || fail "snapshot lacks $f"
done
[ "$(cat "$S/sys/kernel/osrelease")" = "$(cat /proc/sys/kernel/osrelease)" ] || fail "osrelease"
# (not cmp: it trusts the size procfs reports, 0)
diff -q "$S/$SPID/maps" "/proc/$SPID/maps" > /dev/null || fail "maps copy differs from /proc/$SPID/maps"
grep -q "^Pid:[[:space:]]*$SPID\$" "$S/$SPID/status" || fail "status copy"
# The meta file: one "key value" per line, these keys.
keys=$(grep -v '^#' "$S/devexctl-snapshot" | cut -d' ' -f1 | sort | tr '\n' ' ')
[ "$keys" = "format layout_source memory_failure page_size pfn_reason pfn_visible pid swap_layout time " ] ||
	fail "meta keys: $keys"
grep -qx "pid $SPID" "$S/devexctl-snapshot" || fail "meta pid"
grep -qx "format 1" "$S/devexctl-snapshot" || fail "meta format"
grep -qx "page_size $(getconf PAGESIZE)" "$S/devexctl-snapshot" || fail "meta page_size"
grep -Eqx "swap_layout (6.15|pre-6.15|no-device-private)" "$S/devexctl-snapshot" || fail "meta swap_layout"
# pagemap: sparse, as long as the highest user VMA's entries.
"$PY" - "$S/$SPID" <<'PYEOF' || fail "pagemap copy size or contents"
import os, sys
d = sys.argv[1]
end = 0
for line in open(os.path.join(d, "maps")):
    s, e = (int(x, 16) for x in line.split()[0].split("-"))
    if s < 1 << 63:
        end = max(end, e)
size = os.path.getsize(os.path.join(d, "pagemap"))
assert size == end // 4096 * 8, (size, end)
st = os.stat(os.path.join(d, "pagemap"))
assert st.st_blocks * 512 < size, "pagemap copy is not sparse"
PYEOF

# mkfixture.py writes the same layout and the same meta keys.
mkfx device-exclusive > /dev/null
(cd "$S" && find . -type f | sed "s|/$SPID/|/PID/|" | sort) > "$WORK/real.files"
(cd "$WORK/device-exclusive" && find . -type f | sed "s|/4242/|/PID/|" | sort) > "$WORK/fx.files"
cmp -s "$WORK/real.files" "$WORK/fx.files" || fail "mkfixture layout differs: $(diff "$WORK/real.files" "$WORK/fx.files")"
fxkeys=$(grep -v '^#' "$WORK/device-exclusive/devexctl-snapshot" | cut -d' ' -f1 | sort | tr '\n' ' ')
[ "$keys" = "$fxkeys" ] || fail "mkfixture meta keys differ: $fxkeys"

# Replay gives what the live process gives. The kernel may move a page of
# the live process between two reads (compaction, seen under load): take a
# fresh snapshot and compare again, up to five times.
try_same() {	# CMD...: snapshot, then JSON and text of live and replay agree
	local R=$WORK/snap.retry
	rm -rf "$R"
	"$DEVEXCTL" snapshot "$SPID" "$R" > /dev/null || return 1
	"$DEVEXCTL" -j "$@" "$SPID" > "$WORK/live.json" || return 1
	"$DEVEXCTL" --proc "$R" -j "$@" "$SPID" > "$WORK/replay.json" || return 1
	"$PY" - "$WORK/live.json" "$WORK/replay.json" <<'PY' || return 1
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for k in ("source", "swap_layout_source"):
    a.pop(k, None); b.pop(k, None)
sys.exit(0 if a == b else 1)
PY
	"$DEVEXCTL" "$@" "$SPID" > "$WORK/live.txt" || return 1
	"$DEVEXCTL" --proc "$R" "$@" "$SPID" | cmp -s - "$WORK/live.txt"
}
for cmd in maps pages "pages -L"; do
	# shellcheck disable=SC2086
	retry 5 try_same $cmd || fail "$cmd differs between live and replay"
	dx_ok --proc "$S" -j $cmd "$SPID"
	jcheck assert 'd["source"] == "snapshot"'
done

# JSON output of snapshot itself.
dx_ok -j snapshot "$SPID" "$WORK/snap2"
jcheck assert "d['pid'] == $SPID" 'd["dir"].endswith("/snap2")' \
	'isinstance(d["vmas"], int) and d["vmas"] > 0 and isinstance(d["entries"], int)' \
	'isinstance(d["pfn_visible"], bool)'
# Over an existing snapshot: replaced, not appended.
dx_ok snapshot "$SPID" "$S"
diff -q "$S/$SPID/maps" "/proc/$SPID/maps" > /dev/null || fail "second snapshot: maps"

# Errors.
dx_usage --proc "$S" snapshot "$SPID" "$WORK/snap3"
err_has "already a snapshot"
: > "$WORK/afile"
dx_rc 1 snapshot "$SPID" "$WORK/afile/sub"
err_has "cannot create"
dx_usage snapshot "$SPID"
dx_usage snapshot 0 "$WORK/snap4"
kill "$SPID"
wait "$SPID" 2>/dev/null
dx_rc 6 snapshot "$SPID" "$WORK/snap5"
[ -e "$WORK/snap5/$SPID" ] && fail "snapshot of a dead process left a directory"
pass
