#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# help, --help, --version and completion: exit 0, on stdout, and in step
# with the command table.
. "${top_srcdir:-.}/tests/lib.sh"

CMDS="features maps pages snapshot help completion"
dx_ok help
for c in $CMDS; do
	grep -q "^  $c" "$OUT" || fail "help does not list $c"
done
grep -q "^Exit status: 0 ok, 1 error, 2 usage" "$OUT" || fail "help: exit statuses"

# The man page documents every command of the table, and every page state.
MAN=$top_srcdir/man/devexctl.8.in
dx_ok -j help
for c in $("$PY" -c 'import json,sys; print(" ".join(c["name"] for c in json.load(open(sys.argv[1]))["commands"]))' "$OUT"); do
	grep -q "^\.B[IR]\{0,1\} ${c//-/\\\\-}\b" "$MAN" || fail "man page has no entry for '$c'"
done
dx_ok -j help states
for st in $("$PY" -c 'import json,sys; print(" ".join(s["name"] for s in json.load(open(sys.argv[1]))["states"]))' "$OUT"); do
	grep -q "^\.B ${st//-/\\\\-}\$" "$MAN" || fail "man page does not describe state '$st'"
done
# The flag letters have one source, the flag table: the man page's PAGE FLAGS
# and the legend in 'help pages' list its letters and JSON keys in its order.
cp "$OUT" "$WORK/states.json"
dx_ok help pages
"$PY" - "$WORK/states.json" "$OUT" "$MAN" <<'PYEOF' ||
	fail "flag letters out of step with the flag table"
import json, re, sys
flags = json.load(open(sys.argv[1]))["flags"]
letters = [f["letter"] for f in flags]
legend = re.search(r"and flags \(([^)]*)\)\.", open(sys.argv[2]).read())
got = [w.split(" ")[0] for w in legend.group(1).split(", ")] if legend else None
if got != letters:
    sys.exit("help pages legend: %s, the table: %s" % (got, letters))
man = open(sys.argv[3]).read()
sect = man.split("\n.SH PAGE FLAGS\n")[1].split("\n.SH ")[0]
man_letters = re.findall(r"^\.B (\S)$", sect, re.M)
man_keys = re.findall(r"^\.BR (\w+) \)\.$", sect, re.M)
if man_letters != letters or man_keys != [f["key"] for f in flags]:
    sys.exit("man PAGE FLAGS: %s %s, the table: %s" % (man_letters, man_keys, flags))
PYEOF
dx_ok --help
cp "$OUT" "$WORK/help1"
dx_ok -h
cmp -s "$OUT" "$WORK/help1" || fail "-h and --help differ"
dx_ok help
cmp -s "$OUT" "$WORK/help1" || fail "help and --help differ"
for c in $CMDS; do
	dx_ok help "$c"
	grep -q "^Usage: devexctl \[OPTIONS\] $c" "$OUT" || fail "help $c: no usage line"
	dx_ok "$c" --help
	grep -q "^Usage: devexctl \[OPTIONS\] $c" "$OUT" || fail "$c --help: no usage line"
done
dx_ok help pages
grep -q -- "-s, --state S,..." "$OUT" || fail "help pages: --state"
grep -q -- "-L, --list" "$OUT" || fail "help pages: --list"
dx_ok help states
for s in none present swap swap-like device-exclusive device-private migration hwpoison marker; do
	grep -q "^  $s " "$OUT" || fail "help states: no $s"
done
dx_ok --version
[ "$(cat "$OUT")" = "devexctl ${PACKAGE_VERSION:-$(sed -n 's/^AC_INIT(\[devexctl\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")}" ] ||
	fail "--version: $(cat "$OUT")"
dx_ok -V
grep -q '^devexctl [0-9]' "$OUT" || fail "-V"
dx_ok completion bash
bash -n "$OUT" || fail "completion script does not parse"
# The installed completion is the copy in the tree (the build does not run
# devexctl): it must be what the command table gives.
cmp -s "$OUT" "$top_srcdir/completion/devexctl" ||
	fail "completion/devexctl is not 'devexctl completion bash': run 'make update-completion'"
for c in $CMDS; do
	grep -q "$c" "$OUT" || fail "completion lacks $c"
done
grep -q -- "--state" "$OUT" || fail "completion lacks --state"
# The completion works: complete a command name and an option.
out=$(bash -c '. "$1"; COMP_WORDS=(devexctl pa); COMP_CWORD=1; _devexctl; echo "${COMPREPLY[*]}"' _ "$OUT")
[ "$out" = pages ] || fail "completion of 'pa': '$out'"
out=$(bash -c '. "$1"; COMP_WORDS=(devexctl pages --st); COMP_CWORD=2; _devexctl; echo "${COMPREPLY[*]}"' _ "$OUT")
[ "$out" = --state ] || fail "completion of 'pages --st': '$out'"
dx_usage completion
dx_usage help pages extra
pass
