#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# devexctl tui driven through tmux (send-keys / capture-pane) at 80x24:
# over snapshot fixtures and a live child, start, navigate, sort, search,
# filter, help, greyed actions, resize, quit, Ctrl-C, SIGTERM, -n; the
# screen must show the counts and states devexctl maps and pages report.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

# configure --disable-tui: the command is there (help, completion) but exits 4
# with one line that says why; the rest of this file needs the TUI.
if [ "${ENABLE_TUI:-yes}" = no ]; then
	why="this devexctl was built without the TUI (configure --disable-tui)"
	for args in "tui" "tui --readonly -n 1"; do
		# shellcheck disable=SC2086 # ARGS are words
		dx_rc 4 $args || continue
		[ "$(cat "$ERR")" = "devexctl: $why" ] ||
			fail "devexctl $args: want '$why' alone: $(cat "$ERR")"
	done
	[ "$FAILURES" = 0 ] || pass
	skip "$why"
fi
. "${top_srcdir:-.}/tests/tmux.sh"

dx=$(mkfx device-exclusive) || exit 1
mixed=$(mkfx mixed) || exit 1
unpriv=$(mkfx unpriv) || exit 1

# --- device-exclusive fixture: the counts of 'maps', per VMA and in total.
start --proc "$dx" tui 4242
wait_for '^pid 4242 victim \| 7\.3\.4 \| snapshot \| pagemap\+PFN -debugfs -events' header
wait_for '^START +PERM +PAGES +pres +dexcl +dpriv +swlk +other N NAME \[2/2\]' "list header"
wait_for '^000055550000 r--p +2 +0 +0 +0 +0 +0 +/usr/bin/victim' "binary row"
wait_for '^7f0000000000 rw-p +64 +5 +12 +0 +0 +0 +\[anon\]' "anon row"
wait_for '^total \(shown\) +5 +12 +0 +0 +0' "total row"
lacks 'restricted view'
wait_for '^Page map /usr/bin/victim 55550000-55552000: 2 pages, 1 per cell' "map of the first VMA"
wait_for '^\. none +# pres +s swap +\? swlk +X dexcl' legend
wait_for '^F1Help +F3Search ?F4Filter' "F-key bar"
wait_for 'F10Quit' "F10 on the bar at 80 columns"

# Navigate: down to the anonymous VMA, Tab to its page map, right 4 pages.
keys Down Tab
wait_for '^Page map \[anon\] 7f0000000000-7f0000040000: 64 pages, 1 per cell' "map title"
wait_for '^####XXXX\.\.\.\.\.\.\.\.X\.XXX#\.\.\.\.\.\.\.\.\.\.XXX\.+X$' "page map cells"
wait_for '^0x7f0000000000 present pfn=0x1000 flags=-x---' "cursor on page 0"
keys Right Right Right Right
wait_for '^0x7f0000004000 device-exclusive pfn=0x2000 flags=-----' "cursor on page 4"
keys End
wait_for '^0x7f000003f000 device-exclusive pfn=0x7fffffffff' "End: the last page"
keys Home Down
wait_for '^0x7f0000000000 present' "Home, then Down past the single row stays"

# Sort by device-exclusive count (F6 twice: size, then device-exclusive).
keys Tab Tab Tab F6 F6
wait_for '^refresh 1\.0s \| sort device-exclusive' "sort in the header"
screen | sed -n 4p | grep -q '^7f0000000000 rw-p' || fail "dexcl sort: anon VMA not first: $(screen)"
keys I
wait_for 'sort device-exclusive \(rev\)' "inverted sort"
screen | sed -n 4p | grep -q '^000055550000' || fail "inverted sort: binary not first"
keys '<' '<' I
wait_for 'sort address( |$)' "back to the address sort"

# Search (/ and F3) jumps; the map follows the selection.
keys / v i c
wait_for '^Search: vic_' "search prompt"
keys Enter
wait_for '^Page map /usr/bin/victim ' "search selected the binary"
keys F3 a n o n Enter
wait_for '^Page map \[anon\] ' "F3 search selected [anon]"
keys / z z z
wait_for "no match for 'zzz'" "search without match"
keys Escape

# Filter (\ and F4): rows hidden, shown in the header, Esc clears.
keys '\' v i c t i m Enter
wait_for "sort address \| filter 'victim'" "filter in the header"
wait_for 'N NAME \[1/2\]' "filtered list"
lacks '^7f0000000000 rw-p'
keys F4 Escape
wait_for 'N NAME \[2/2\]' "filter cleared"

# Help from the key table; actions greyed out and explained on a snapshot.
keys F1
wait_for '^devexctl tui help' "help screen"
wait_for '^greyed actions are disabled: a snapshot cannot act' "help: why greyed"
wait_for '^ F7 x +convert the page under the cursor' "help: convert key"
wait_for '^ F10 q +quit' "help: quit key"
# The labels come from the key codes that dispatch (the key table): j and k
# are listed with Up and Down, and scroll the help as Down and Up do.
wait_for '^ Tab Shift-Tab +next pane' "help: Shift-Tab"
keys j
wait_for_row 3 '^ F3 / +search' "help: j scrolls down"
keys k
wait_for_row 3 '^ F1 h \? +this help' "help: k scrolls back up"
keys j j j j j j j j
wait_for '^ Up Down k j +move in the focused pane' "help: j and k beside Up and Down"
wait_for '^ Left Right +move by one cell in the page map' "help: Left Right, without j"
keys Down Down Down Down
wait_for '^ +X device-exclusive +device-exclusive entry' "help: legend, scrolled"
keys Escape
wait_for '^START ' "help closed"
keys x
wait_for '^convert is disabled: a snapshot cannot act' "convert greyed"
keys F8
wait_for '^revert is disabled: ' "revert greyed"

# Resize: smaller, too small, wide (every state gets a column), back.
T resize-window -t tui -x 40 -y 10
wait_for '^pid 4242 victim' "40x10"
T resize-window -t tui -x 30 -y 8
wait_for '^terminal too small \(30x8\)' "30x8"
T resize-window -t tui -x 160 -y 40
wait_for '^START-END +PERM +PAGES +none +pres +swap +swlk +dexcl +dpriv +migr +hwpsn +mark N NAME' "wide header"
wait_for '^7f0000000000-7f0000040000 rw-p +64 +47 +5 +0 +0 +12 +0 +0 +0 +0 +\[anon\]' "wide row"
wait_for '^Notifiers .* Events \(newest first\)' "notifier and event panes side by side"
T resize-window -t tui -x 80 -y 24
wait_for '^7f0000000000 rw-p +64 +5 +12 ' "back to 80x24"
keys C-l
wait_for '^7f0000000000 rw-p +64 +5 +12 ' "Ctrl-L redraw"
keys Z
wait_for '^refresh 1\.0s \[PAUSED\]' "paused"
keys Z
keys q
wait_for '^tui-exit=0$' "q quits with status 0"
lacks '^START ' "the screen after quitting"

# --- mixed: a big VMA is grouped into cells, swap counts under other.
start --proc "$mixed" tui 31337
wait_for '^555555600000 rw-p +256 +16 +16 +0 +0 +4 +\[heap\]' "heap row"
wait_for '^7e0000000000 rw-p +73728 +70000 +16 +0 +0 +0 +\[anon\]' "big VMA row"
keys Down Down Down Down
wait_for '^Page map \[anon\] 7e0000000000-7e0012000000: 73728 pages, 16 per cell' "big VMA map"
keys Tab End
wait_for '^0x7e0011ff0000 (none|device-exclusive) .*\(first of the cell\)' "last cell of the big VMA"
keys C-c
wait_for '^tui-exit=0$' "Ctrl-C quits and restores the terminal"

# --- a snapshot that recorded the devexcl answers: the TUI replays its
# notifiers (the pane, the N mark) as 'notifiers' does, and still cannot act.
dxk=$WORK/dx-kernel
rm -rf "$dxk" && cp -r "$dx" "$dxk" && mkdir -p "$dxk/devexcl" "$dxk/4242/devexcl"
echo "version=1" > "$dxk/devexcl/info"
echo "interval ops=dmirror_ops callback=dmirror_interval_invalidate start=0x7f0000000000 last=0x7f0000000fff seq=2" \
	> "$dxk/4242/devexcl/notifiers"
: > "$dxk/4242/devexcl/entries"
dx_ok --proc "$dxk" notifiers 4242
out_has 'dmirror_interval_invalidate'
start --proc "$dxk" tui 4242
wait_for '^pid 4242 victim \| 7\.3\.4 \| snapshot \| pagemap\+PFN debugfs -events' "replayed answers in the header"
wait_for '^7f0000000000 rw-p +64 +5 +12 +0 +0 +0 +N \[anon\]' "N: covered by the recorded notifier"
keys x
wait_for '^convert is disabled: a snapshot cannot act' "a replay cannot act"
keys Tab Tab
wait_for '^interval 7f0000000000-7f0000000fff dmirror_interval_invalidate' "notifier pane, replayed"
keys q
wait_for '^tui-exit=0$' "quit (replayed snapshot)"

# --- the process picker over a snapshot: counts, then Enter opens.
start --proc "$dx" tui
wait_for '^pick a process \(' "picker header"
wait_for '^ +PID COMMAND +dexcl +swlk +subs +dpriv +swap +pres$' "picker columns"
wait_for '^ +4242 victim +12 +0 +- +0 +0 +5$' "picker row: dexcl and present counts, no subscriber count offline"
keys Enter
wait_for '^pid 4242 victim ' "Enter opened the process"
keys q
wait_for '^tui-exit=0$' "quit from the opened process"

# --- unpriv: the restricted view is said; -n exits by itself.
start --proc "$unpriv" tui -d 1 -n 40 109
wait_for 'restricted view: no CAP_SYS_ADMIN' "restricted view"
wait_for '^7f8000000000 rw-p +16 +4 +0 +0 +6 +2 ' "unpriv counts"
wait_for '^tui-exit=0$' "-n 40 exits by itself"

# Usage errors before the screen: one message, the usual exit codes.
dx_usage --proc "$dx" tui -d 0 4242
dx_usage --proc "$dx" tui -n x 4242
dx_rc 6 --proc "$dx" tui 999
dx_usage --proc "$dx" tui 4242 < /dev/null
err_has "terminal"

# --- a live child: its counts, then "process exited" with the last state.
if [ -r /proc/self/pagemap ] && victim_start -n 300; then
	read -r _ anon _ < <(grep '^anon ' "$WORK/layout")
	start tui -d 2 --readonly "$VPID"
	wait_for "^pid $VPID victim" "live header"
	wait_for 'read-only' "read-only in the header"
	keys c
	wait_for '^check is disabled: --readonly' "check greyed under --readonly"
	T send-keys -t tui / "$anon" Enter
	wait_for "^Page map \[anon\] ${anon#0x}-" "live: the anon VMA's map"
	wait_for "^${anon#0x} rw-p +300 +66 +0 +0 +0 +0 +\[anon\]" "live anon VMA"
	wait_for '^\.\.\.#\.\.#\.\.\.\.\.#\.\.#' "live: populated = i%3==0 and i%9!=0"
	victim_stop
	wait_for '^process exited \| refresh' "process exited"
	wait_for "^${anon#0x} rw-p +300 +66 " "the last state stays"
	keys x
	wait_for '^convert is disabled: (--readonly|the process exited)' "no actions on a dead process"
	T send-keys -t tui q
	wait_for '^tui-exit=0$' "quit after the target exited"

	# Actions with a stand-in debugfs (regular files: the request overwrites
	# the head of the file, the answer is the rest): the confirmation, the
	# per-page outcome, the notifier pane and its N marks.
	if [ "$(id -u)" = 0 ]; then
		victim_start -n 16 || exit 1
		read -r _ anon _ < <(grep '^anon ' "$WORK/layout")
		fake=$WORK/debugfs
		mkdir -p "$fake/devexcl"
		pad=$(printf '#%.0s' $(seq 1 80))
		echo "version=1" > "$fake/devexcl/info"
		printf '%s\n%s ok pfn=0x1234 mapcount_before=1 mapcount=1 folio_dirty=1 pte_before=%s\n' \
			"$pad" "$anon" "present=1 write=1 dirty=1 soft_dirty=0 young=1 uffd_wp=0" \
			> "$fake/devexcl/make_exclusive"
		printf '%s\ninterval ops=dmirror_ops callback=dmirror_interval_invalidate start=%s last=0x%x seq=2\n' \
			"$pad" "$anon" $((anon + 4095)) > "$fake/devexcl/notifiers"
		# The commands ask the --debugfs directory too (they asked
		# /sys/kernel/debug whatever it said).
		dx_ok --debugfs "$fake" notifiers "$VPID"
		out_has 'dmirror_interval_invalidate'
		start --debugfs "$fake" tui "$VPID"
		wait_for "^pid $VPID victim .* scan debugfs -events" "debugfs live in the header"
		T send-keys -t tui / "$anon" Enter
		wait_for "^${anon#0x} rw-p +16 .* N \[anon\]" "N: covered by a notifier"
		keys Tab x
		wait_for "convert to device-exclusive 1 page at $anon of pid $VPID\? \[y/N\]" "confirmation"
		keys n
		wait_for '^cancelled' "n cancels"
		keys x y
		wait_for 'make_exclusive: 1 ok, 0 failed' "outcome title"
		wait_for "${anon} ok pfn=0x1234 " "per-page outcome"
		keys Escape Tab
		wait_for "^interval ${anon#0x}-[0-9a-f]+ dmirror_interval_invalidate" "notifier pane"
		keys q
		wait_for '^tui-exit=0$' "quit (debugfs)"
		# The picker counts each process's subscribers from the same file.
		start --debugfs "$fake" tui
		wait_for '^pick a process \(' "picker (debugfs)"
		keys F4 victim Enter
		wait_for "^ +$VPID victim +[0-9]+ +[0-9]+ +1 " "picker: the subscriber count"
		keys q
		wait_for '^tui-exit=0$' "quit the picker (debugfs)"
		victim_stop
	fi

	# SIGTERM restores the terminal too (exit 128 + 15).
	victim_start -n 16 || exit 1
	start tui "$VPID"
	wait_for "^pid $VPID victim" "live header (2)"
	tpid=$(ps -o pid= --ppid "$(T display -p -t tui '#{pane_pid}')" | head -n1)
	if [ -n "$tpid" ]; then kill -TERM $tpid; else fail "no devexctl to signal"; fi
	wait_for '^tui-exit=143$' "SIGTERM: exit 143, terminal restored"
	victim_stop
fi
pass
