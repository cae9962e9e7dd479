# SPDX-License-Identifier: GPL-2.0-or-later
# tests/tmux.sh: devexctl tui driven through a private tmux server, for the
# TUI's command tests (tests/cmd/tui.sh, tests/cmd/tui-replay.sh). Source it
# after tests/lib.sh: it skips the test without tmux.
# shellcheck shell=bash

command -v tmux > /dev/null || skip "tmux is needed"

# A private tmux server, killed on the way out (then lib.sh's cleanup).
SOCK=devexctl-tui-$$
T() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'rc=$?; T kill-server > /dev/null 2>&1; (exit $rc); cleanup' EXIT
# A session that outlives the others: killing the last session makes tmux
# exit, and a new-session racing with that exit fails (seen under load).
T new-session -d -s keeper "sleep 3600" 7>&- || { echo "tmux cannot start"; exit 77; }

# start ARGS...: devexctl ARGS in a fresh 80x24 session "tui"; the shell
# prints the exit status when it returns.  fd 7 (the victim's stdin) must
# not leak into the tmux server, or the victim never sees EOF.
start() {
	T kill-session -t tui > /dev/null 2>&1
	T new-session -d -s tui -x 80 -y 24 \
		"NO_COLOR= $DEVEXCTL $*; echo tui-exit=\$?; sleep 60" 7>&- ||
		{ fail "tmux new-session"; return 1; }
}
screen() { T capture-pane -p -t tui; }
keys() { T send-keys -t tui "$@"; }
# wait_for REGEX [WHAT]: until the screen matches (5 s at most).
wait_for() {
	local i
	for i in $(seq 1 50); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.1
	done
	fail "${2:-screen}: no match for /$1/ in:
$(screen)"
	return 1
}
# wait_for_row N REGEX [WHAT]: until screen row N (from 1) matches.
wait_for_row() {
	local i
	for i in $(seq 1 50); do
		screen | sed -n "$1p" | grep -qE -- "$2" && return 0
		sleep 0.1
	done
	fail "${3:-screen}: row $1 does not match /$2/ in:
$(screen)"
	return 1
}
lacks() {
	if screen | grep -qE -- "$1"; then fail "${2:-screen}: unexpected /$1/:
$(screen)"; fi
}
