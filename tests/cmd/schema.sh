#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The JSON Schemas of schema/: valid Draft 2020-12 schemas, one for every
# command with JSON output, and every document devexctl prints here follows
# them: each command and variant over the snapshot fixtures and on a live
# process, a document that failed half-way, and the guest's outputs of the
# commands that need a patched kernel (tests/fixtures/json/, from tests/vm).
# A wrong document must be rejected, also by tests/vm/check-json.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

JPY=$(jsonschema_python)
[ -n "$JPY" ] || skip "install python3-jsonschema (scripts/deps)"
SCHEMA=$top_srcdir/schema

# valid COMMAND FILE...: the files follow schema/COMMAND.schema.json.
valid() {
	local cmd=$1
	shift
	"$JPY" "$top_srcdir/tests/jsonschema-check.py" "$SCHEMA" "$cmd" "$@" ||
		fail "not valid against $cmd.schema.json: $*"
}
# keep COMMAND FILE: validated with every other document of COMMAND at the
# end, in one run of the checker per schema (it names the file that fails;
# a python start with jsonschema per document was most of this test).
N=0
keep() {
	N=$((N + 1))
	mkdir -p "$WORK/docs/$1"
	case $2 in
	*.jsonl) cp "$2" "$WORK/docs/$1/doc.$N.jsonl" ;;
	*) cp "$2" "$WORK/docs/$1/doc.$N.json" ;;
	esac
}
# dxv COMMAND ARGS: devexctl -j ARGS (COMMAND among them) must succeed, its
# output valid.
dxv() {
	local cmd=$1
	shift
	dx_ok -j "$@" || return
	cp "$OUT" "$WORK/out.json"
	keep "$cmd" "$WORK/out.json"
}

"$JPY" "$top_srcdir/tests/jsonschema-check.py" "$SCHEMA" --schemas || fail "schema/ has a bad schema"

# Every command with JSON output has its schema, and every schema its command.
NO_JSON="tui completion"	# no JSON output (tui: a terminal; completion: a script)
dx_ok -j help || exit 1
cmds=$("$PY" -c 'import json,sys; print(" ".join(c["name"] for c in json.load(open(sys.argv[1]))["commands"]))' "$OUT")
for c in $cmds; do
	case " $NO_JSON " in *" $c "*) continue ;; esac
	[ -f "$SCHEMA/$c.schema.json" ] || fail "command $c prints JSON and has no schema/$c.schema.json"
done
for f in "$SCHEMA"/*.schema.json; do
	c=$(basename "$f" .schema.json)
	[ "$c" = common ] && continue
	case " $cmds " in *" $c "*) ;; *) fail "schema/$c.schema.json: no command $c" ;; esac
done
# tui and completion really print no JSON document: their schemas are not forgotten.
dx_ok -j completion bash
"$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT" 2>/dev/null &&
	fail "completion prints JSON: give it a schema"

# The commands that need no kernel interface, over every snapshot fixture.
for f in device-exclusive device-private migration nodevice swap hwpoison hwpoison-nomf \
	markers mixed pre615 pre615-auto unpriv odd-names; do
	dir=$(mkfx "$f") || continue
	pid=$(fx_pid "$f")
	dxv maps --proc "$dir" maps "$pid"
	dxv pages --proc "$dir" pages "$pid"
	dxv pages --proc "$dir" pages -L "$pid"
	dxv features --proc "$dir" features
done
D=$WORK/device-exclusive
dxv pages --proc "$D" pages 4242 --state device-exclusive,swap-like 0x7f0000000000+1M
dxv help help
dxv help help states

# entries and notifiers replay the devexcl answers a snapshot recorded.
dxk=$WORK/dx-kernel
cp -r "$D" "$dxk" && mkdir -p "$dxk/devexcl" "$dxk/4242/devexcl"
echo "version=1" > "$dxk/devexcl/info"
cat > "$dxk/4242/devexcl/entries" <<-'END'
	0x7f0000004000 pfn=0x2000 order=0 mapcount=1 refcount=3 flags=uptodate,dirty,swapbacked crc32=0x1c291ca3 owner=0x00000007 owner_pid=4242 owner_comm=victim owner_ts=123456789
	0x7f0000005000 pfn=0x2001 order=0 mapcount=1 refcount=2 flags=uptodate
END
cat > "$dxk/4242/devexcl/notifiers" <<-'END'
	mm id=0x0000002a
	interval id=0x00000003 ops=dmirror_ops callback=dmirror_interval_invalidate start=0x7f0000000000 last=0x7f0000000fff seq=2
	classic ops=kvm_mmu_notifier_ops callback=kvm_mmu_notifier_invalidate_range_start
END
dxv entries --proc "$dxk" entries 4242
jcheck assert 'd["total"] == 2 and d["entries"][1]["crc32"] is None' \
	'd["entries"][0]["owner_pid"] == 4242'
dxv notifiers --proc "$dxk" notifiers 4242
jcheck assert 'd["total"] == 2 and d["mm_id"] == "0x0000002a"'

# A live process: the same commands, snapshot, and check (on this kernel it
# may miss the interface (4) or the privilege: then no document at all).
sleep infinity &
SPID=$!
CHILD_PIDS+=("$SPID")
sleep 0.1
dxv features features
dxv maps maps "$SPID"
dxv pages pages "$SPID"
dxv pages pages -L "$SPID" '[stack]'
dxv snapshot snapshot "$SPID" "$WORK/snap"
dxv pages --proc "$WORK/snap" pages "$SPID"
dx -j check "$SPID"
if [ -s "$OUT" ]; then
	cp "$OUT" "$WORK/check.json"
	keep check "$WORK/check.json"
fi

# A document that failed half-way carries "error" and lacks what comes after.
cp -r "$D" "$WORK/badmaps"
echo 'this is not a maps line' >> "$WORK/badmaps/4242/maps"
dx_rc 1 --proc "$WORK/badmaps" -j pages 4242
cp "$OUT" "$WORK/failed.json"
jcheck assert '"error" in d and "total_pages" not in d'
keep pages "$WORK/failed.json"

# The guest's outputs (tests/vm): entries, notifiers, make-exclusive, revert,
# check --watch and --self, monitor.  Named COMMAND[-VARIANT].json(l).
n=0
for f in "$FIXTURES"/json/*.json "$FIXTURES"/json/*.jsonl; do
	[ -f "$f" ] || continue
	b=$(basename "$f")
	b=${b%.jsonl}
	b=${b%.json}
	cmd=
	for s in "$SCHEMA"/*.schema.json; do
		c=$(basename "$s" .schema.json)
		case $b in "$c" | "$c"-*) [ ${#c} -gt ${#cmd} ] && cmd=$c ;; esac
	done
	if [ -z "$cmd" ]; then
		fail "$f: no schema for its name (COMMAND[-VARIANT].json)"
		continue
	fi
	keep "$cmd" "$f"
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n guest outputs in tests/fixtures/json"
for d in "$WORK"/docs/*/; do
	valid "$(basename "$d")" "$d"*
done

# Wrong documents are rejected, with the JSON path of what is wrong.
reject() {	# NAME COMMAND FILE PYTHON-EDIT: the edited FILE must fail
	"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); $4; json.dump(d, open(sys.argv[2], 'w'))" \
		"$3" "$WORK/$1.json" || { fail "reject $1: the edit failed"; return; }
	if "$JPY" "$top_srcdir/tests/jsonschema-check.py" "$SCHEMA" "$2" "$WORK/$1.json" \
		> "$WORK/$1.out" 2>&1; then
		fail "reject $1: a wrong document was accepted"
	elif ! grep -q "^FAIL: $WORK/$1.json: \\$" "$WORK/$1.out"; then
		fail "reject $1: no FAIL line with a JSON path: $(cat "$WORK/$1.out")"
	fi
}
reject version pages "$WORK/docs/pages/doc.2.json" 'd["schema_version"] = 2'
reject state pages "$WORK/docs/pages/doc.2.json" 'd["runs"][0]["state"] = "swap_like"'
reject address maps "$WORK/docs/maps/doc.1.json" 'd["vmas"][0]["start"] = 4096'
reject count maps "$WORK/docs/maps/doc.1.json" 'del d["vmas"][0]["counts"]["marker"]'
reject partial maps "$WORK/docs/maps/doc.1.json" 'del d["partial"]'
reject partial_success make-exclusive "$FIXTURES/json/make-exclusive.json" 'del d["partial_success"]'
reject result check "$FIXTURES/json/check-watch.json" 'd["checks"][0]["result"] = "ok"'
grep -q '\$\.checks\[0\]\.result' "$WORK/result.out" || fail "reject: the path is not \$.checks[0].result"
# A key twice in one object (make-exclusive printed "partial" twice): which
# value a parser keeps is up to the parser, so it is an error.
sed 's/"partial_success":false/"partial":true/' "$FIXTURES/json/make-exclusive.json" > "$WORK/dup.json"
if "$JPY" "$top_srcdir/tests/jsonschema-check.py" "$SCHEMA" make-exclusive "$WORK/dup.json" \
	> "$WORK/dup.out" 2>&1; then
	fail "a document with a duplicate key was accepted"
else
	grep -q "duplicate key 'partial'" "$WORK/dup.out" || fail "duplicate key: $(cat "$WORK/dup.out")"
fi
printf '%s\n' '{"schema_version":1,"type":"set","timestamp_ns":1}' \
	'{"schema_version":1,"type":"teleport","timestamp_ns":2}' > "$WORK/bad.jsonl"
if "$JPY" "$top_srcdir/tests/jsonschema-check.py" "$SCHEMA" monitor "$WORK/bad.jsonl" > "$WORK/bad.out"; then
	fail "monitor: an unknown event type was accepted"
else
	grep -q "bad.jsonl:2: \\$.type" "$WORK/bad.out" || fail "monitor: not line 2's type: $(cat "$WORK/bad.out")"
fi

# tests/vm/check-json: the host's check of what the guest tests kept
# (save_json: out/json/COMMAND/TEST[-NAME].json(l)) after every VM run.
VMJ=$top_srcdir/tests/vm/check-json
if [ -n "$JPY" ]; then
	vj=$WORK/vmjson
	mkdir -p "$vj/check" "$vj/monitor"
	cp "$FIXTURES/json/check-watch.json" "$vj/check/t-x-watch.json"
	cp "$FIXTURES/json/monitor.jsonl" "$vj/monitor/t-x.jsonl"
	want="json: $(($(grep -c . "$FIXTURES/json/monitor.jsonl") + 1)) documents (2 files) valid against schema/"
	got=$("$VMJ" "$vj" 2>&1) || fail "check-json: valid documents refused: $got"
	[ "$got" = "$want" ] || fail "check-json: said '$got', not '$want'"
	got=$("$VMJ" "$WORK/no-such-dir" 2>&1) || fail "check-json: no directory (a --run job) failed: $got"
	[ -z "$got" ] || fail "check-json: no directory, yet it said: $got"
	cp "$WORK/result.json" "$vj/check/t-y.json"	# checks[0].result "ok"
	if got=$("$VMJ" "$vj" 2>&1); then
		fail "check-json: a wrong document was accepted"
	else
		case $got in *"FAIL: $vj/check/t-y.json: \$.checks[0].result"*) ;;
		*) fail "check-json: no FAIL line with the file and the path: $got" ;; esac
	fi
	rm "$vj/check/t-y.json"
	mkdir "$vj/teleport" && cp "$vj/check/t-x-watch.json" "$vj/teleport/"
	got=$("$VMJ" "$vj" 2>&1) && fail "check-json: a command without a schema was accepted"
	case $got in *"no schema/teleport.schema.json"*) ;; *) fail "check-json: $got" ;; esac
fi
pass
