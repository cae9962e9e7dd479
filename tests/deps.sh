#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every command that scripts/, tests/, bench/ and .ci/ run comes from a
# package scripts/deps installs (its list or tests/vm/deps.txt) or from one
# every minbase Debian 12 has; in the QEMU guest, from busybox or the
# harness (issue 18).  tests/cmddeps/ does the work, with shfmt as the shell
# parser; here: its command finder on a fixture, that it fails when a package
# is missing and skips when scripts/deps has not been run, then the real tree.
# Skips without shfmt, without dpkg (not Debian) and in a distribution
# tarball (no scripts/).
. "${top_srcdir:-.}/tests/lib.sh"
need_python
command -v shfmt > /dev/null ||
	skip "no shfmt: tests/cmddeps parses the scripts with it (scripts/deps installs it)"
CMDDEPS=$top_srcdir/tests/cmddeps

# 1. The command finder: which words are commands (no dpkg needed).
fx=$WORK/fx
mkdir -p "$fx/scripts" "$fx/tests/vm/guest"
cat > "$fx/tests/lib2.sh" <<'FX'
helper() { :; }
FX
cat > "$fx/tests/fx.sh" <<'FX'
. "$top/tests/lib2.sh"
f() { cmd_in_func; }
helper not_a_cmd0
wrap() { shift; "$@"; }
wrap not_a_cmd1 cmd_after_wrap
a=1 b=2 cmd_after_assign
x=$(cmd_in_subst | cmd_after_pipe)
y="`cmd_in_backtick`"
if cmd_in_if; then cmd_in_then; elif cmd_in_elif; then :; else cmd_in_else; fi
while cmd_in_while; do cmd_in_do; done < <(cmd_in_procsubst)
for i in not_a_cmd2 not_a_cmd3; do cmd_in_for; done
case $x in
not_a_cmd4) cmd_in_case ;;
*|not_a_cmd5) cmd_in_case2 ;;
esac
timeout -k 5 10 cmd_after_timeout not_a_cmd6
exec cmd_after_exec
env A=1 cmd_after_env
sudo -u root cmd_after_sudo
command -v not_a_cmd7 >/dev/null
command cmd_after_command
arr=(cmd_in_array --opt)
"${arr[@]}" not_a_cmd8
w=(sudo)
"${w[@]}" cmd_after_wrapper_array
sh -c 'cmd_in_sh_c; cmd2_in_sh_c'
trap 'cmd_in_trap' EXIT
find . -exec cmd_in_find_exec {} +
echo not_a_cmd9 # cmd_in_comment
cat <<'TXT'
not_a_cmd10 $(not_a_cmd11)
TXT
cat <<TXT
$(cmd_in_heredoc_subst) not_a_cmd12
TXT
cmd_continued \
	not_a_cmd13
((i > 0)) && cmd_after_arith
[[ $x == not_a_cmd14 ]] || cmd_after_dbracket
{ cmd_in_group; } 2>/dev/null
(cmd_in_subshell)
! cmd_after_bang
cmd_before_pipe | \cmd_escaped
tests/vm/run --run 'guest_cmd not_a_cmd15'
/usr/bin/abs_path_cmd
./relative_cmd
"$var_cmd" not_a_cmd16
local_fn() { :; }; local_fn
n=$(( $(cmd_in_arith_subst) + 1 ))
cat > "$WORK/x" <<-EOF
	#!/bin/sh
	exec cmd_in_script_heredoc "\$@" not_a_cmd17
	EOF
FX
cat > "$fx/tests/vm/guest/t-fx" <<'FX'
# shellcheck shell=sh
sh -c 'guest_cmd2' && guest_cmd3 | guest_cmd4
FX
cat > "$WORK/fx.want" <<'FX'
guest guest_cmd
guest guest_cmd2
guest guest_cmd3
guest guest_cmd4
guest sh
host /usr/bin/abs_path_cmd
host cat
host cmd2_in_sh_c
host cmd_after_arith
host cmd_after_assign
host cmd_after_bang
host cmd_after_command
host cmd_after_dbracket
host cmd_after_env
host cmd_after_exec
host cmd_after_pipe
host cmd_after_sudo
host cmd_after_timeout
host cmd_after_wrap
host cmd_after_wrapper_array
host cmd_before_pipe
host cmd_continued
host cmd_escaped
host cmd_in_arith_subst
host cmd_in_array
host cmd_in_backtick
host cmd_in_case
host cmd_in_case2
host cmd_in_do
host cmd_in_elif
host cmd_in_else
host cmd_in_find_exec
host cmd_in_for
host cmd_in_func
host cmd_in_group
host cmd_in_heredoc_subst
host cmd_in_if
host cmd_in_procsubst
host cmd_in_script_heredoc
host cmd_in_sh_c
host cmd_in_subshell
host cmd_in_subst
host cmd_in_then
host cmd_in_trap
host cmd_in_while
host env
host find
host sh
host sudo
host timeout
FX
if "$PY" "$CMDDEPS" --list "$fx" > "$WORK/fx.list"; then
	cut -f1 "$WORK/fx.list" | diff -u "$WORK/fx.want" - ||
		fail "cmddeps --list: the commands of the fixture differ (- want, + got)"
else
	fail "cmddeps --list failed"
fi

command -v dpkg-query > /dev/null || skip "no dpkg-query: not a Debian system, cannot map commands to packages"

# 2. Every listed package is installed: a command from an unlisted package,
# a command no package here provides and a non-applet in the guest fail;
# listing the package fixes it.  Some listed package is not installed
# (scripts/deps has not been run here): a missing command skips, the
# unlisted package still fails.
bad=$WORK/bad
mkdir -p "$bad/scripts" "$bad/tests/vm/guest"
printf 'pkgs=(coreutils)\n' > "$bad/scripts/deps"
printf 'ps -p $$ > /dev/null\nno-such-command-for-cmddeps\n' > "$bad/tests/x.sh"
printf '# shellcheck shell=sh\nno-such-applet-for-cmddeps\n' > "$bad/tests/vm/guest/t-x"
run_bad() {	# WANT-RC NAME: cmddeps on $bad into $WORK/NAME.out
	local rc=0
	"$PY" "$CMDDEPS" "$bad" > "$WORK/$2.out" 2>&1 || rc=$?
	[ "$rc" = "$1" ] || fail "cmddeps on the $2 tree exited $rc, want $1: $(cat "$WORK/$2.out")"
}
if [ "$(dpkg-query -W -f='${Status}' procps 2>/dev/null)" != "install ok installed" ]; then
	echo "note: procps is not installed (scripts/deps installs it): the negative cases are not run"
else
	run_bad 1 bad
	grep -q '^FAIL: host command ps comes from procps.*tests/x.sh:1$' "$WORK/bad.out" ||
		fail "no failure naming ps, procps and tests/x.sh:1: $(cat "$WORK/bad.out")"
	grep -q '^FAIL: host command no-such-command-for-cmddeps is not installed; every package scripts/deps lists is installed.*tests/x.sh:2$' "$WORK/bad.out" ||
		fail "no failure naming the missing command: $(cat "$WORK/bad.out")"
	if [ -x /bin/busybox ]; then
		grep -q '^FAIL: guest command no-such-applet-for-cmddeps is neither a busybox applet.*t-x:2$' "$WORK/bad.out" ||
			fail "no failure naming the guest's missing applet: $(cat "$WORK/bad.out")"
	fi
	rm "$bad/tests/vm/guest/t-x"
	printf 'pkgs=(coreutils\n\tno-such-package-for-cmddeps)\n' > "$bad/scripts/deps"
	run_bad 1 undeployed-ps
	grep -q '^FAIL: host command ps comes from procps.*tests/x.sh:1$' "$WORK/undeployed-ps.out" ||
		fail "scripts/deps not run: no failure naming ps: $(cat "$WORK/undeployed-ps.out")"
	! grep -q '^FAIL: .*no-such-command-for-cmddeps' "$WORK/undeployed-ps.out" ||
		fail "scripts/deps not run: a missing command fails: $(cat "$WORK/undeployed-ps.out")"
	printf 'no-such-command-for-cmddeps\n' > "$bad/tests/x.sh"
	run_bad 77 undeployed
	grep -q '^SKIP: scripts/deps has not been run here.*no-such-package-for-cmddeps not installed' "$WORK/undeployed.out" ||
		fail "scripts/deps not run: no skip saying so: $(cat "$WORK/undeployed.out")"
	printf 'pkgs=(coreutils\n\tprocps)   # ps (tests/x.sh)\n' > "$bad/scripts/deps"
	printf 'ps -p $$ > /dev/null\n' > "$bad/tests/x.sh"
	run_bad 0 good
fi

# 3. The project itself.
RC=0
"$PY" "$CMDDEPS" -v "$top_srcdir" || RC=$?
case $RC in
0) ;;
77) [ "$FAILURES" != 0 ] || exit 77 ;;
*) fail "commands without a package in scripts/deps (see above): add the package to scripts/deps' list with a comment naming the command and where it is used, or to tests/vm/deps.txt for the VM harness" ;;
esac
pass
