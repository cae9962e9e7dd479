#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cli/ has no dependency cycle (issue 19): no two files of the link graph
# (who calls whom, by nm on cli/*.o) or of the include graph (cli/*.h)
# depend on each other, directly or around a loop. tests/linkgraph.py does
# the work; first it must find the cycle of a small fixture, then the tree.
# No cycle is allowed, the TUI's included (its files depend on each other
# in the one order cli/tui.h gives).
. "${top_srcdir:-.}/tests/lib.sh"
need_python
command -v nm > /dev/null || skip "no nm (binutils)"
LG=$top_srcdir/tests/linkgraph.py

# 1. A fixture with a cycle a.h -> b.h -> a.h: found and failed.
mkdir -p "$WORK/fx/cli" "$WORK/fxb/cli"
printf '#include "b.h"\n' > "$WORK/fx/cli/a.h"
printf '#include "a.h"\n' > "$WORK/fx/cli/b.h"
cp "$top_builddir"/cli/*.o "$WORK/fxb/cli/" 2>/dev/null
if "$PY" "$LG" "$WORK/fxb" "$WORK/fx" > "$WORK/fx.out" 2>&1; then
	fail "a.h <-> b.h not found: $(cat "$WORK/fx.out")"
fi
grep -q '^include cycle: a.h b.h$' "$WORK/fx.out" || fail "fixture cycle not named: $(cat "$WORK/fx.out")"

# 2. The tree.
if ! "$PY" "$LG" "$top_builddir" "$top_srcdir" > "$WORK/tree.out" 2>&1; then
	fail "cli/ has a dependency cycle:
$(cat "$WORK/tree.out")"
fi
cat "$WORK/tree.out"
grep -q '^link graph: [0-9]* files, [0-9]* edges, 0 cycles$' "$WORK/tree.out" || fail "no link graph read"
grep -q '^include graph: [0-9]* files, [0-9]* edges, 0 cycles$' "$WORK/tree.out" || fail "no include graph read"

# 3. Drawing only draws: the drawing files call nothing that walks pages,
# reads debugfs or tracefs, or acts (tui_layout() and the loop do that
# before a draw).  The same filter must find the reads in tui_target.o, or
# it proves nothing.
KERNEL_SIDE='^(walk_|walker_|dfs_|trace_|target_|pc_|probe|tui_target_|tui_events_|tui_notifiers_|tui_action_|tui_check_|tui_count_step$|tui_pagemap_step$|tui_vmas_load$|tui_picker_step$|tui_picker_load$|tui_open_pid$|tui_replay_|replay_|rec_|read_small_file$|open$|open64$|read$|pread|ioctl$|fopen)'
kernel_calls() { nm "$1" | awk '$1 == "U" { print $2 }' | grep -E "$KERNEL_SIDE" | tr '\n' ' '; }
obj() { ls "$top_builddir"/cli/*-"$1".o 2> /dev/null | head -n 1; }
if [ -n "$(obj tui_draw)" ]; then
	[ -n "$(kernel_calls "$(obj tui_target)")" ] || fail "the filter finds no kernel call in tui_target.o"
	for f in tui_draw tui_overlay tui_paint; do
		bad=$(kernel_calls "$(obj $f)")
		[ -z "$bad" ] || fail "$f.c reads or acts while drawing: $bad"
	done
	echo "drawing files: no kernel-side call"
fi
pass
