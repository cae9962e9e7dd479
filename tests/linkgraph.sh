#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cli/ has no dependency cycle (issue 19): no two files of the link graph
# (who calls whom, by nm on cli/*.o) or of the include graph (cli/*.h)
# depend on each other, directly or around a loop. tests/linkgraph.py does
# the work; first it must find the cycle of a small fixture, then the tree.
#
# One cycle is known and allowed until the TUI is split into panels
# (issue 19 item 2): tui_main, tui_draw, tui_actions, tui_events, tui_keys,
# tui_overlay. Any other cycle, or a change to that one, fails.
. "${top_srcdir:-.}/tests/lib.sh"
need_python
command -v nm > /dev/null || skip "no nm (binutils)"
LG=$top_srcdir/tests/linkgraph.py
TUI_CYCLE=tui_actions,tui_draw,tui_events,tui_keys,tui_main,tui_overlay

# 1. A fixture with a cycle a.h -> b.h -> a.h: found and failed.
mkdir -p "$WORK/fx/cli" "$WORK/fxb/cli"
printf '#include "b.h"\n' > "$WORK/fx/cli/a.h"
printf '#include "a.h"\n' > "$WORK/fx/cli/b.h"
cp "$top_builddir"/cli/*.o "$WORK/fxb/cli/" 2>/dev/null
if "$PY" "$LG" "$WORK/fxb" "$WORK/fx" --allow "$TUI_CYCLE" > "$WORK/fx.out" 2>&1; then
	fail "a.h <-> b.h not found: $(cat "$WORK/fx.out")"
fi
grep -q '^include cycle: a.h b.h$' "$WORK/fx.out" || fail "fixture cycle not named: $(cat "$WORK/fx.out")"

# 2. The tree.
if ! "$PY" "$LG" "$top_builddir" "$top_srcdir" --allow "$TUI_CYCLE" > "$WORK/tree.out" 2>&1; then
	fail "cli/ has a dependency cycle:
$(cat "$WORK/tree.out")"
fi
cat "$WORK/tree.out"
grep -q '^link graph: [0-9]* files' "$WORK/tree.out" || fail "no link graph read"
pass
