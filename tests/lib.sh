# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the shell tests; sourced, never run.
#
# Environment (set by tests/Makefile.inc; defaults for running a test by hand
# from the top build directory):
#   DEVEXCTL      the devexctl binary          top_srcdir, top_builddir
#   PYTHON3       python3 ('no' when absent)   VICTIM, TEST_JSON: helper binaries
# Exit status: 0 pass, 77 skip, 1 fail (Automake's protocol).

set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
DEVEXCTL=${DEVEXCTL:-$top_builddir/cli/devexctl}
VICTIM=${VICTIM:-$top_builddir/tests/live/victim}
TEST_JSON=${TEST_JSON:-$top_builddir/tests/unit/test-json}
# (Debian's own first: a pyenv shim in PATH costs 0.5 s a call; configure does the same)
PY=${PYTHON3:-$(command -v /usr/bin/python3 || echo python3)}
FIXTURES=$top_srcdir/tests/fixtures
TEST_NAME=$(basename "$(dirname "$0")")-$(basename "$0" .sh)
FAILURES=0
CHILD_PIDS=()

# A private work directory in the build tree; removed when the test passes.
mkdir -p "$top_builddir/tests/work"
WORK=$(mktemp -d "$top_builddir/tests/work/$TEST_NAME.XXXXXX") || exit 99
WORK=$(cd "$WORK" && pwd -P)

cleanup() {
	local rc=$? p
	# A background child killed before it exec'd still holds this trap:
	# only the test's own shell cleans up.
	[ "$BASHPID" = "$$" ] || exit "$rc"
	for p in "${CHILD_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ "$rc" = 0 ] || [ "$rc" = 77 ]; then
		rm -rf "$WORK"
	else
		echo "work directory kept: $WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT

# DEVEXCTL_VALGRIND=1 (make check-valgrind): every devexctl the test runs,
# directly or through dx, runs under valgrind memcheck.  A memory error or a
# definite or indirect leak makes it exit 99 and leaves a report in
# $WORK/valgrind.PID.log; 'pass' fails the test when any report is there.
if [ -n "${DEVEXCTL_VALGRIND:-}" ]; then
	cat > "$WORK/devexctl-vg" <<-EOF
	#!/bin/sh
	exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \\
		--show-leak-kinds=definite,indirect --error-exitcode=99 \\
		--log-file="$WORK/valgrind.%p.log" "$DEVEXCTL" "\$@"
	EOF
	chmod +x "$WORK/devexctl-vg"
	DEVEXCTL=$WORK/devexctl-vg
fi
valgrind_reports() {
	local f
	for f in "$WORK"/valgrind.*.log; do
		[ -s "$f" ] || continue
		fail "valgrind: $(basename "$f"):"
		head -n 60 "$f"
	done
}

# Record a failure and go on; 'pass' turns the count into the exit status.
fail() {
	echo "FAIL: $*"
	FAILURES=$((FAILURES + 1))
}
skip() {
	echo "SKIP: $*"
	exit 77
}
pass() {
	[ -z "${DEVEXCTL_VALGRIND:-}" ] || valgrind_reports
	if [ "$FAILURES" -ne 0 ]; then
		echo "$TEST_NAME: $FAILURES failure(s)"
		exit 1
	fi
	echo "$TEST_NAME: ok"
	exit 0
}
need_python() {
	if [ "$PY" = no ] || ! "$PY" -c 'import json' 2>/dev/null; then
		skip "python3 is needed"
	fi
}

# The python3 that has Debian's python3-jsonschema (scripts/deps): $PY or
# the system's; nothing when neither has it.
jsonschema_python() {
	local p

	for p in "$PY" /usr/bin/python3; do
		if [ "$p" != no ] && "$p" -c 'import jsonschema' 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

# Build fixture NAME from tests/fixtures/NAME.desc into $WORK/NAME, with
# its expectation in $WORK/NAME.expect.json.  Prints the directory.
mkfx() {
	local name=$1
	rm -rf "${WORK:?}/$name"
	"$PY" "$top_srcdir/tests/mkfixture.py" "$FIXTURES/$name.desc" "$WORK/$name" \
		--expect "$WORK/$name.expect.json" >&2 || { fail "mkfixture $name"; return 1; }
	echo "$WORK/$name"
}
fx_pid() {
	"$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$WORK/$1.expect.json"
}

# Run devexctl: stdout in $OUT, stderr in $ERR, the exit status in $RC.
OUT=$WORK/out
ERR=$WORK/err
dx() {
	RC=0
	"${WRAP[@]}" "$DEVEXCTL" "$@" > "$OUT" 2> "$ERR" || RC=$?
}

# dx_ok ARGS: devexctl must succeed with nothing on stderr.
dx_ok() {
	dx "$@"
	if [ "$RC" != 0 ]; then
		fail "devexctl $* exited $RC, want 0: $(head -c 400 "$ERR")"
		return 1
	fi
	if [ -s "$ERR" ]; then
		fail "devexctl $* wrote to stderr: $(head -c 400 "$ERR")"
		return 1
	fi
	return 0
}

# dx_rc STATUS ARGS: devexctl must exit STATUS; for an error, stderr holds
# exactly one message line starting "devexctl: " (and at most one hint line
# "devexctl: hint: ...").  A streaming command may have printed some output
# before a late error (a truncated pagemap): stdout is not checked here.
dx_rc() {
	local want=$1 msgs hints other
	shift
	dx "$@"
	if [ "$RC" != "$want" ]; then
		fail "devexctl $* exited $RC, want $want: $(head -c 400 "$ERR")"
		return 1
	fi
	[ "$want" = 0 ] && return 0
	msgs=$(grep -c '^devexctl: ' "$ERR")
	hints=$(grep -c '^devexctl: hint: ' "$ERR")
	other=$(grep -vc '^devexctl: ' "$ERR")
	if [ $((msgs - hints)) != 1 ] || [ "$hints" -gt 1 ] || [ "$other" != 0 ]; then
		fail "devexctl $*: stderr is not one 'devexctl:' error line (+ hint): $(cat "$ERR")"
		return 1
	fi
	if [ "$(head -n1 "$ERR" | cut -c1-16)" = "devexctl: hint: " ]; then
		fail "devexctl $*: the hint comes before the message"
		return 1
	fi
	return 0
}

# dx_usage ARGS: a usage error (exit 2) that printed nothing on stdout.
dx_usage() {
	dx_rc 2 "$@" || return 1
	if [ -s "$OUT" ]; then
		fail "devexctl $*: usage error but stdout is not empty: $(head -c 200 "$OUT")"
		return 1
	fi
	return 0
}

# stderr (of the last dx) must contain TEXT.
err_has() {
	grep -qF -- "$1" "$ERR" || fail "stderr lacks '$1': $(cat "$ERR")"
}
out_has() {
	grep -qF -- "$1" "$OUT" || fail "stdout lacks '$1'"
}
out_lacks() {
	if grep -qF -- "$1" "$OUT"; then fail "stdout has '$1'"; fi
}

# jcheck SUBCOMMAND ARGS: tests/jcheck.py on $OUT.
jcheck() {
	local sub=$1
	shift
	"$PY" "$top_srcdir/tests/jcheck.py" "$sub" "$OUT" "$@" || fail "jcheck $sub $*"
}

# Start a child in the background and remember it for cleanup.
spawn() {
	"$@" &
	CHILD_PIDS+=($!)
}

# Start tests/live/victim ARGS, under the wrapper command in the array
# WRAP (e.g. setpriv) when set; its layout goes to $WORK/layout, its PID
# to $VPID.  It runs until victim_stop closes its stdin.
WRAP=()
victim_start() {
	local i
	rm -f "$WORK/victim.in" "$WORK/layout"
	mkfifo "$WORK/victim.in" || { fail "mkfifo"; return 1; }
	"${WRAP[@]}" "$VICTIM" "$@" < "$WORK/victim.in" > "$WORK/layout" &
	VPID=$!
	CHILD_PIDS+=("$VPID")
	exec 7> "$WORK/victim.in"
	for i in $(seq 1 200); do
		grep -qx ready "$WORK/layout" 2>/dev/null && return 0
		kill -0 "$VPID" 2>/dev/null || break
		sleep 0.05
	done
	fail "the victim did not start: $(cat "$WORK/layout")"
	return 1
}
victim_stop() {
	exec 7>&-
	wait "$VPID" || fail "the victim exited $?"
}

# retry N CMD...: run CMD up to N times until it succeeds (quietly, but
# the last attempt's output is shown).  For live comparisons: the kernel
# may migrate a page (compaction) between two reads, changing its PFN.
retry() {
	local n=$1 i
	shift
	for i in $(seq 1 "$n"); do
		if "$@" > "$WORK/retry.out" 2>&1; then
			[ "$i" = 1 ] || echo "note: passed on attempt $i: $*"
			return 0
		fi
		sleep 0.3	# let whatever moved the page settle
	done
	cat "$WORK/retry.out"
	return 1
}
