#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every command's --json parses and carries the contract keys of
# design.md §5, every key snake_case (jcheck parse and same check it);
# -p pretty output is the same document; -j after the command.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

D=$(mkfx device-exclusive)
O=$(mkfx odd-names)
U=$(mkfx unpriv)
sleep infinity &	# lives until the test ends it (cleanup kills CHILD_PIDS)
SPID=$!
CHILD_PIDS+=("$SPID")
sleep 0.1

# The document the compact and pretty forms must both give.
both() {
	local a
	dx_ok -j "$@" || return
	cp "$OUT" "$WORK/compact.json"
	dx_ok -p "$@" || return
	# A live process may change between the two reads (compaction moves
	# pages): only a snapshot must give the very same document.
	case " $* " in
	*" --proc "*) jcheck same "$WORK/compact.json" ;;
	*) jcheck parse ;;
	esac
	[ "$(wc -l < "$OUT")" -gt 1 ] || fail "-p $*: not indented"
	a=$(grep -c . "$WORK/compact.json")
	[ "$a" = 1 ] || fail "-j $*: $a lines, want one"
	cp "$WORK/compact.json" "$OUT"
}

RUN_KEYS='all({"start", "end", "pages", "state"} <= set(r) for r in d["runs"])'
ADDRS='all(ADDR.match(r[k]) for r in d["runs"] for k in ("start", "end") + (("pfn",) if "pfn" in r else ()))'
NUMS='all(type(r["pages"]) is int for r in d["runs"])'
VMA_KEYS='all({"start", "end", "perms", "name", "counts"} <= set(v) for v in d["vmas"])'
VMA_ADDRS='all(ADDR.match(v["start"]) and ADDR.match(v["end"]) for v in d["vmas"])'
COUNTS='all(set(v["counts"]) == set(STATE_KEYS) and all(type(n) is int for n in v["counts"].values()) for v in d["vmas"])'
TOP='type(d["pid"]) is int and type(d["pfn_visible"]) is bool and type(d["page_size"]) is int'

for src in "--proc $D pages 4242" "--proc $D pages 4242 -L" "--proc $O pages 111" \
	   "--proc $U pages 109 -L" "pages $SPID" "pages $SPID -L" "pages $SPID [stack]"; do
	# shellcheck disable=SC2086
	both $src && jcheck assert "$TOP" "$RUN_KEYS" "$ADDRS" "$NUMS" \
		'all(("pfn" in r) == (r["state"] in ("present", "device-exclusive", "device-private", "migration", "hwpoison")) for r in d["runs"] if d["pfn_visible"])' \
		'all("pfn" not in r for r in d["runs"]) if not d["pfn_visible"] else True' \
		'all(r["state"] in STATES for r in d["runs"])' \
		'd["total_pages"] == sum(r["pages"] for r in d["runs"])'
done
# -L: every run is one page.
dx_ok --proc "$D" -j pages 4242 -L
jcheck assert 'all(r["pages"] == 1 for r in d["runs"])'
# Global flags after the command.
dx_ok --proc "$D" pages 4242 -j
jcheck parse
dx_ok --proc "$D" pages 4242 --json --state device-exclusive
jcheck assert 'all(r["state"] == "device-exclusive" for r in d["runs"])'

for src in "--proc $D maps 4242" "--proc $O maps 111" "--proc $U maps 109" "maps $SPID"; do
	# shellcheck disable=SC2086
	both $src && jcheck assert "$TOP" "$VMA_KEYS" "$VMA_ADDRS" "$COUNTS" \
		'all(type(v["pages"]) is int for v in d["vmas"])'
done

# Names that are not valid UTF-8 still give valid JSON (U+FFFD).
dx_ok --proc "$O" -j maps 111
jcheck assert '"/tmp/bad\ufffdbyte" in [v["name"] for v in d["vmas"]]'
LC_ALL=C "$PY" -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$OUT" ||
	fail "maps JSON is not UTF-8"

both features && jcheck assert 'isinstance(d["features"], dict)' \
	'all("status" in f for f in d["features"].values())' \
	'{"kernel", "pagemap", "pagemap_pfns", "swap_layout", "pagemap_scan"} <= set(d["features"])'
both --proc "$D" features && jcheck assert 'd["features"]["source"]["value"].startswith("snapshot")'
both help && jcheck assert '"pages" in [c["name"] for c in d["commands"]]'
both help states && jcheck assert '[s["name"] for s in d["states"]] == STATES' \
	'[s["key"] for s in d["states"]] == STATE_KEYS' \
	'[f["key"] for f in d["flags"]] == ["soft_dirty", "exclusive", "uffd_wp", "guard", "file"]'
both snapshot "$SPID" "$WORK/snap" && jcheck assert "d['pid'] == $SPID"
# check runs even where it cannot convert anything: exit 4, but JSON.
mkdir -p "$WORK/nodebugfs"
dx --debugfs "$WORK/nodebugfs" -j check "$SPID"
jcheck assert 'isinstance(d["checks"], list) and all({"name", "result"} <= set(c) for c in d["checks"])'
jcheck parse
# The key check itself catches a key in the old style.
echo '{"counts": {"device-exclusive": 1}}' > "$OUT"
"$PY" "$top_srcdir/tests/jcheck.py" parse "$OUT" > /dev/null && fail "jcheck parse took a dashed key"
pass
