#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# report --svg/--png over a hand-made recording with known events at known
# addresses and times: the SVG is well-formed with the title, legend and VMA
# names in its <title>/<desc>; the PNG's cells (found by the layout the SVG's
# <metadata> gives) have the colour of their kind, the text is drawn. Then
# the README's recording, and a polled recording of tests/live/pagestates.
# Bad cases: no recording, an unwritable path, no events, the helper
# missing, failing, killed or silent: a clear error, its exit status, and
# no file.
. "${top_srcdir:-.}/tests/lib.sh"
need_python
DEVEXCTL_PLOT=${DEVEXCTL_PLOT:-$top_builddir/cli/devexctl-plot}
export DEVEXCTL_PLOT

# A recording of 1.2 s (columns of 10 ms): an anon VMA of 16 pages (a row
# each), a library of 4 (a row each), a quiet heap (no rows).
R=$WORK/heat.jsonl
"$PY" - "$R" <<-'EOF' || fail "writing the recording"
	import json, sys
	T0, PS = 1_000_000_000, 4096
	ANON, LIB, HEAP = 0x7f0000000000, 0x7f1000000000, 0x555500000000
	def a(x): return "0x%x" % x
	vmas = [{"start": a(HEAP), "end": a(HEAP + 256 * PS), "perms": "rw-p", "name": "[heap]", "counts": {"present": 256}},
	    {"start": a(ANON), "end": a(ANON + 16 * PS), "perms": "rw-p", "name": "", "counts": {"present": 16}},
	    {"start": a(LIB), "end": a(LIB + 4 * PS), "perms": "r-xp", "name": "/usr/lib/libfake.so", "counts": {"present": 4}}]
	rng = {"start": a(HEAP), "end": a(LIB + 4 * PS)}
	L = [{"type": "header", "format": "devexctl-record", "version": 1, "devexctl": "0.1.0",
	      "kernel": "7.3.0-test", "pid": 4242, "comm": "heatvictim", "page_size": PS, "range": rng,
	      "source": "tracepoints", "source_reason": "hand-made", "start_mono_ns": T0, "start_realtime_ns": 5},
	     {"type": "snapshot", "when": "start", "timestamp_ns": T0, "alive": True, "range": rng, "vmas": vmas, "runs": []}]
	def ev(t_ms, typ, **kw):
	    L.append(dict(type=typ, timestamp_ns=T0 + t_ms * 1_000_000 + 500_000, source="tracefs", **kw))
	for p in range(4):	# column 10: rows 0-3 converted
	    ev(100, "set", addr=a(ANON + p * PS), pfn="0x1", owner="0x11")
	ev(300, "set", addr=a(LIB + 2 * PS), pfn="0x2", owner="0x11")	# column 30, row 18
	ev(600, "range_start", mm="0x1", start=a(ANON), end=a(ANON + 4 * PS), event="clear")	# the strip, column 60
	for p in range(4):	# column 60: rows 0-3 restored
	    ev(600, "restore", addr=a(ANON + p * PS), reason="fault")
	ev(1100, "remove", addr=a(ANON + 15 * PS), reason="zap")	# column 110, row 15
	L.append({"type": "snapshot", "when": "end", "timestamp_ns": T0 + 1_200_000_000, "alive": True, "range": rng, "vmas": vmas, "runs": []})
	L.append({"type": "trailer", "stopped": "duration", "timestamp_ns": T0 + 1_200_000_001, "realtime_ns": 6, "events": 11, "lost": 0, "polls": 0})
	with open(sys.argv[1], "w") as f:
	    for l in L:
	        f.write(json.dumps(dict(schema_version=1, **l), separators=(",", ":")) + "\n")
	EOF
# The same without page events (the notifier alone draws no rows).
grep -Ev '"type":"(set|restore|remove)"' "$R" | sed 's/"events":11/"events":1/' > "$WORK/quiet.jsonl"

# configure --without-cairo: the options are there (help, completion), and say why they fail.
if [ "${WITH_CAIRO:-yes}" = no ]; then
	why="this devexctl was built without cairo (configure --without-cairo)"
	for o in --svg --png; do
		dx_rc 4 report "$R" "$o" "$WORK/x" || continue
		[ "$(cat "$ERR")" = "devexctl: $why" ] || fail "report $o: want '$why' alone: $(cat "$ERR")"
		[ ! -e "$WORK/x" ] || fail "report $o: a file was written"
	done
	[ "$FAILURES" = 0 ] || pass
	skip "$why"
fi
[ -x "$DEVEXCTL_PLOT" ] || fail "no plot helper at $DEVEXCTL_PLOT"

# check.py KIND FILE ARGS: the checks of the pictures, in one python.
cat > "$WORK/check.py" <<-'EOF'
	import json, re, struct, sys, zlib
	import xml.etree.ElementTree as ET
	NS = "{http://www.w3.org/2000/svg}"
	def svg(path):
	    root = ET.parse(path).getroot()	# well-formed, or this raises
	    assert root.tag == NS + "svg", root.tag
	    assert (root.get("width"), root.get("height")) == ("1000", "600"), root.attrib
	    title = root.find(NS + "title").text
	    desc = root.find(NS + "desc").text
	    meta = json.loads(root.find(NS + "metadata").text)
	    drawn = sum(1 for e in root.iter() if e.tag in (NS + "path", NS + "rect", NS + "use"))
	    assert drawn > 20, "only %d paths, rects and uses" % drawn
	    return title, desc, meta
	def png(path):
	    data = open(path, "rb").read()
	    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
	    pos, idat, ihdr = 8, b"", None
	    while pos < len(data):
	        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
	        body = data[pos + 8:pos + 8 + n]
	        if typ == b"IHDR":
	            ihdr = struct.unpack(">IIBBBBB", body)
	        elif typ == b"IDAT":
	            idat += body
	        pos += 12 + n
	    w, h, depth, ctype, _, _, interlace = ihdr
	    assert depth == 8 and ctype in (2, 6) and not interlace, ihdr
	    bpp = 3 if ctype == 2 else 4
	    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
	    for y in range(h):	# undo the PNG filters, row by row
	        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
	        for i in range(stride):
	            left = line[i - bpp] if i >= bpp else 0
	            up, ul = prev[i], prev[i - bpp] if i >= bpp else 0
	            if f == 1: line[i] = (line[i] + left) & 255
	            elif f == 2: line[i] = (line[i] + up) & 255
	            elif f == 3: line[i] = (line[i] + (left + up) // 2) & 255
	            elif f == 4:
	                p = left + up - ul
	                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
	                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else ul)) & 255
	        rows.append(line)
	        prev = line
	    return w, h, lambda x, y: tuple(rows[int(y)][int(x) * bpp:int(x) * bpp + 3])
	def kind(px, colors):
	    # The kind whose colour, mixed with white, comes closest to px; None for greys.
	    if max(px) - min(px) < 12:
	        return None
	    best = None
	    for k, c in enumerate(colors):
	        c = [int(c[i:i + 2], 16) for i in (1, 3, 5)]
	        d = [255 - v for v in c]
	        a = sum((255 - p) * q for p, q in zip(px, d)) / sum(q * q for q in d)
	        err = sum((255 - a * q - p) ** 2 for p, q in zip(px, d))
	        if best is None or err < best[0]:
	            best = (err, k)
	    return best[1]
	cmd = sys.argv[1]
	if cmd == "svg":
	    title, desc, meta = svg(sys.argv[2])
	    open(sys.argv[3], "w").write(json.dumps(meta))
	    for want in sys.argv[4:]:
	        assert want in title or want in desc, "neither <title> nor <desc> has %r: %r %r" % (want, title, desc)
	else:
	    meta = json.load(open(sys.argv[3]))
	    w, h, px = png(sys.argv[2])
	    assert (w, h) == (meta["width"], meta["height"]), (w, h)
	    gx, gy, gw, gh = meta["grid"]
	    def cell(r, c):
	        return px(gx + (c + 0.5) * gw / meta["columns"], gy + (r + 0.5) * gh / meta["rows"])
	    names = ["conversion", "restore", "removal", "change", "notifier"]
	if cmd == "rows":	# KIND FIRST LAST some|none: each of the rows has a cell of KIND, or none has
	    k, first, last, want = names.index(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
	    for r in range(first, last + 1):
	        n = sum(1 for c in range(meta["columns"]) if kind(cell(r, c), meta["colors"]) == k)
	        assert (n > 0) == (want == "some"), "row %d has %d %s cells, want %s" % (r, n, sys.argv[4], want)
	elif cmd == "png":
	    for k, (x, y, sw, sh) in enumerate(meta["swatches"]):	# the legend's colours
	        got = kind(px(x + sw / 2, y + sh / 2), meta["colors"])
	        assert got == k, "swatch %d is %s" % (k, got)
	    ink = sum(1 for x in range(8, 600) for y in range(6, 28) if max(px(x, y)) < 100)
	    assert ink > 200, "the title has %d dark pixels: no text drawn (fonts?)" % ink
	    for spec in sys.argv[4:]:	# ROW,COL,KIND | strip,COL,KIND | ROW,COL,empty
	        a, b, want = spec.split(",")
	        if a == "strip":
	            x, y, sw, sh = meta["notifier_strip"]
	            got = px(x + (int(b) + 0.5) * sw / meta["columns"], y + sh / 2)
	        else:
	            got = cell(int(a), int(b))
	        k = kind(got, meta["colors"])
	        if want == "empty":
	            assert k is None and min(got) > 200, "cell %s is %s, want empty" % (spec, got)
	        else:
	            assert k is not None and names[k] == want, "cell %s is %s (%s), want %s" % (spec, got, k, want)
	EOF
svg_has() { "$PY" "$WORK/check.py" svg "$@" || fail "SVG $1: $*"; }
png_has() { "$PY" "$WORK/check.py" png "$@" || fail "PNG $1: $*"; }
# No temporary file (OUT.XXXXXX) is left in $WORK.
leftovers() {
	local f
	for f in "$WORK"/*.svg.?????? "$WORK"/*.png.??????; do
		[ ! -e "$f" ] || fail "a temporary file is left: $f"
	done
}
rows_have() { "$PY" "$WORK/check.py" rows "$@" || fail "PNG $1: rows: $*"; }

# Both pictures at once; the summary says where they went.
dx_ok report "$R" --svg "$WORK/heat.svg" --png "$WORK/heat.png"
out_has "heatmap: 2 VMAs in 20 rows, 120 columns of 0.010 s"
out_has "written to $WORK/heat.svg"
out_has "written to $WORK/heat.png"
svg_has "$WORK/heat.svg" "$WORK/layout.json" \
	"heatvictim (pid 4242), kernel 7.3.0-test, events from tracepoints" \
	"conversion 5" "restore 4" "removal 1" "change 0" "notifier invalidations 1" \
	"[anon] 0x7f0000000000-0x7f0000010000" "/usr/lib/libfake.so 0x7f1000000000"
if grep -q '\[heap\]' "$WORK/heat.svg"; then fail "the quiet heap has rows"; fi
"$PY" -c 'import json,sys; m = json.load(open(sys.argv[1])); assert (m["rows"], m["columns"]) == (20, 120), m' \
	"$WORK/layout.json" || fail "the layout: $(cat "$WORK/layout.json")"
png_has "$WORK/heat.png" "$WORK/layout.json" \
	0,10,conversion 3,10,conversion 18,30,conversion 0,60,restore 3,60,restore \
	15,110,removal strip,60,notifier \
	4,10,empty 0,11,empty 16,30,empty 15,60,empty strip,10,empty
leftovers

# JSON: the summary with a "heatmap" object; the schema knows it.
dx_ok -j report "$R" --png "$WORK/j.png"
jcheck assert "d['heatmap'] == {'vmas': 2, 'rows': 20, 'columns': 120, 'column_ns': 10000000, 'png': '$WORK/j.png'}"
JPY=$(jsonschema_python)
if [ -n "$JPY" ]; then
	"$JPY" "$top_srcdir/tests/jsonschema-check.py" "$top_srcdir/schema" report "$OUT" ||
		fail "report -j --png: not valid against report.schema.json"
fi

# The README's recording (doc/heatmap.md): two busy VMAs of five.
dx_ok report "$FIXTURES/demo-record.jsonl.gz" --svg "$WORK/demo.svg" --png "$WORK/demo.png"
out_has "heatmap: 2 VMAs in 95 rows, 120 columns of 0.050 s"
svg_has "$WORK/demo.svg" "$WORK/demo-layout.json" "hmm-demo (pid 4711)" \
	"VMAs without page events, not drawn: 3"
png_has "$WORK/demo.png" "$WORK/demo-layout.json" 0,4,conversion 0,32,restore 0,3,empty

# A real recording, polled as tests/cmd/record.sh makes them: pagestates
# touches pages 0-7 of its 16; their rows (a page each) get a change, the
# other rows none, whenever the poll saw it.
PAGESTATES=${PAGESTATES:-$top_builddir/tests/live/pagestates}
if [ -r /proc/self/pagemap ] && [ -x "$PAGESTATES" ]; then
	mkfifo "$WORK/ps.in" || fail "mkfifo"
	"$PAGESTATES" 16 < "$WORK/ps.in" > "$WORK/ps.out" &
	TPID=$!
	CHILD_PIDS+=("$TPID")
	exec 8> "$WORK/ps.in"
	for i in $(seq 1 200); do
		grep -qx ready "$WORK/ps.out" 2>/dev/null && break
		sleep 0.05
	done
	ADDR=$(awk '$1 == "anon" { print $2 }' "$WORK/ps.out")
	DEVEXCTL_EVENTS=poll "$DEVEXCTL" record "$TPID" "$ADDR+64K" -o "$WORK/live.rec.gz" --interval 10 \
		2> "$WORK/rec.err" &
	RPID=$!
	CHILD_PIDS+=("$RPID")
	for i in $(seq 1 400); do
		grep -q '^devexctl: recording' "$WORK/rec.err" && break
		sleep 0.05
	done
	echo "t 0 7" >&8
	for i in $(seq 1 400); do
		[ "$(gzip -dc "$WORK/live.rec.gz" 2>/dev/null | grep -c '"type":"change"')" -gt 0 ] && break
		sleep 0.05
	done
	kill -INT "$RPID"
	wait "$RPID" || fail "record exited $?: $(cat "$WORK/rec.err")"
	exec 8>&-	# pagestates ends at the end of its input
	dx_ok report "$WORK/live.rec.gz" --svg "$WORK/live.svg" --png "$WORK/live.png"
	out_has "heatmap: 1 VMAs in 16 rows"
	svg_has "$WORK/live.svg" "$WORK/live-layout.json" "pagestates (pid $TPID)" "events from poll every 10 ms" \
		"change 8" "conversion 0"
	rows_have "$WORK/live.png" "$WORK/live-layout.json" change 0 7 some
	rows_have "$WORK/live.png" "$WORK/live-layout.json" change 8 15 none
else
	echo "no pagemap or pagestates: the polled recording's picture is not tried"
fi

# No events: a picture that says so, without rows.
dx_ok report "$WORK/quiet.jsonl" --svg "$WORK/quiet.svg" --png "$WORK/quiet.png"
out_has "heatmap: 0 VMAs in 0 rows"
svg_has "$WORK/quiet.svg" "$WORK/quiet-layout.json" "VMAs: none (no page events in this recording)" \
	"notifier invalidations 1"
png_has "$WORK/quiet.png" "$WORK/quiet-layout.json" strip,60,notifier strip,59,empty

# Bad command lines and paths: exit 2 or 1, nothing on stdout, no file.
dx_usage report --svg "$WORK/u.svg"
[ ! -e "$WORK/u.svg" ] || fail "a usage error wrote a file"
dx_usage report "$R" --png
dx_usage report "$R" --png ""
cp "$R" "$WORK/same.jsonl"
dx_usage report "$WORK/same.jsonl" --png "$WORK/same.jsonl" && err_has "that is the recording"
cmp -s "$R" "$WORK/same.jsonl" || fail "--png onto the recording changed it"
dx_rc 1 report "$WORK/no-such.jsonl" --svg "$WORK/n.svg"
[ ! -e "$WORK/n.svg" ] || fail "a missing recording wrote a picture"
: > "$WORK/plain"
dx_rc 1 report "$R" --png "$WORK/plain/x.png" && err_has "cannot write $WORK/plain/x.png"
err_has "Not a directory"
dx_rc 1 report "$R" --svg "$WORK/no-dir/x.svg" && err_has "No such file or directory"
[ ! -s "$OUT" ] || fail "a failed picture printed the summary: $(cat "$OUT")"

# The helper missing, failing, killed or silent: exit 4 or 1, the reason, and an
# existing file at OUT untouched.
echo keep > "$WORK/old.png"
DEVEXCTL_PLOT=$WORK/no-such-helper dx_rc 4 report "$R" --png "$WORK/old.png" &&
	err_has "devexctl: $WORK/no-such-helper: the plot helper is missing"
grep -q "^devexctl: hint: .*DEVEXCTL_PLOT" "$ERR" || fail "no hint about DEVEXCTL_PLOT: $(cat "$ERR")"
printf '#!/bin/sh\nhead -c 100 /dev/zero\necho "devexctl-plot: it broke" >&2\nexit 3\n' > "$WORK/failing"
printf '#!/bin/sh\nhead -c 100 /dev/zero\nkill -9 $$\n' > "$WORK/killed"
printf '#!/bin/sh\nexit 0\n' > "$WORK/silent"
chmod +x "$WORK/failing" "$WORK/killed" "$WORK/silent"
DEVEXCTL_PLOT=$WORK/failing dx_rc 1 report "$R" --png "$WORK/old.png" &&
	err_has "drawing $WORK/old.png: $WORK/failing exited 3 (devexctl-plot: it broke): the plot helper failed"
DEVEXCTL_PLOT=$WORK/killed dx_rc 1 report "$R" --png "$WORK/old.png" && err_has "was killed by signal 9"
DEVEXCTL_PLOT=$WORK/silent dx_rc 1 report "$R" --png "$WORK/old.png" && err_has "wrote nothing"
[ "$(cat "$WORK/old.png")" = keep ] || fail "a failed picture changed the existing file"
leftovers

# The helper on its own: usage, and input that is not a grid.
"$DEVEXCTL_PLOT" > /dev/null 2> "$ERR" && fail "devexctl-plot without arguments succeeded"
grep -q "^devexctl-plot: usage: devexctl-plot svg|png" "$ERR" || fail "devexctl-plot usage: $(cat "$ERR")"
for bad in '' '{}' '[1]' '{"format":"devexctl-heatmap","version":2}'; do
	rc=0
	echo "$bad" | "$DEVEXCTL_PLOT" png > "$WORK/bad.png" 2> "$ERR" || rc=$?
	[ "$rc" = 1 ] || fail "devexctl-plot on '$bad' exited $rc, want 1"
	grep -q "^devexctl-plot: bad input" "$ERR" || fail "devexctl-plot on '$bad': $(cat "$ERR")"
done
pass
