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
