#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad input gives the documented exit status (design.md §5: 0 ok, 1 error,
# 2 usage, 3 check failed, 4 missing, 5 permission, 6 no such process) and
# one "devexctl: ..." line on stderr.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

D=$(mkfx device-exclusive)
P=4242

# Usage (2): commands and options.
dx_usage
dx_usage pag
dx_usage page
dx_usage PAGES 1
dx_usage feature
dx_usage bogus
dx_usage --bogus features
dx_usage -Z features
dx_usage --proc
dx_usage pages --bogus 1
dx_usage maps --state present 1
dx_usage pages
dx_usage maps
dx_usage maps 1 2
dx_usage pages 1 0x1000 extra
dx_usage features extra
dx_usage pages -s
# PIDs: 0, negative, junk, huge.
for pid in 0 -1 -42 x 12x 0x10 1.5 "" " 1" +1 99999999999 2147483648; do
	dx_usage --proc "$D" pages -- "$pid"
	dx_usage --proc "$D" maps -- "$pid"
done
dx_usage pages -1
# Malformed ranges, on a snapshot and on a live process alike.
for r in zz 0x 1- -1 1+ 1-2-3 0x2000-0x1000 0x1000-0x1000 0x1000+0 1K1 12Q \
	 18446744073709551616 0xffffffffffffffff+2 "" " 0x1000"; do
	dx_usage --proc "$D" pages "$P" "$r"
	dx_usage pages $$ "$r"
done
err_has "bad range"
err_has "hint: run 'devexctl help' for usage"
# A bad RANGE is a usage error even where the PID would fail.
dx_usage pages 999999999 zz
# Ranges past the end of the address space.
for r in 0x8000000000000000 0xffffffffff600000+4K 0x8000000000000000-0x9000000000000000; do
	dx_usage --proc "$D" pages "$P" "$r"
done
err_has "beyond the user address space"
# (found only after the mappings are read: the table header may be out)
dx_rc 2 --proc "$D" pages "$P" 0x7ffffffff000+4K
err_has "past the end of the user address space"
dx_rc 2 pages $$ 0x7ffffffff000+4K
# A mapping named that the process does not have: an error naming it (exit 1),
# not an empty answer; on a snapshot too, and in JSON.
dx_rc 1 pages $$ '[nosuch]'
err_has "maps nothing named '[nosuch]'"
dx_rc 1 --proc "$D" -j pages "$P" /no/such/file.so
err_has "maps nothing named '/no/such/file.so'"
dx_ok pages $$ '[stack]'
# --state.
dx_usage --proc "$D" pages "$P" --state bogus
err_has "unknown state 'bogus'"
dx_usage --proc "$D" pages "$P" --state present,bogus
dx_usage --proc "$D" pages "$P" --state ''
dx_usage --proc "$D" pages "$P" --state ,
dx_usage --proc "$D" pages "$P" --state Present
# Bad option values (usage, 2, before anything is opened).
dx_usage monitor --count 0
dx_usage monitor --duration x
dx_usage check $$ --max-pages 0
dx_usage check $$ --watch 86401
# (configure --disable-tui: the command itself is missing, 4, whatever its options)
if "$DEVEXCTL" tui -n 1 $$ </dev/null 2>&1 | grep -q 'built without the TUI'; then
	dx_rc 4 tui -d 0 $$
	dx_rc 4 tui -n x $$
else
	dx_usage tui -d 0 $$
	dx_usage tui -n x $$
fi
# help and completion.
dx_usage help bogus
dx_usage help pag
dx_usage completion zsh

# No such process (6): never existed in a snapshot, or exited.
dx_rc 6 --proc "$D" pages 4243
err_has "no process 4243"
dx_rc 6 --proc "$D" maps 1
sleep 60 &
gone=$!
kill "$gone"
wait "$gone" 2>/dev/null
for cmd in maps pages snapshot; do
	if [ "$cmd" = snapshot ]; then
		dx_rc 6 snapshot "$gone" "$WORK/gone"
	else
		dx_rc 6 "$cmd" "$gone"
	fi
	err_has "$gone"
done
dx_rc 6 pages "$gone" 0x1000+4K

# Errors reading a snapshot (1): missing or unreadable files, truncation.
mkfx truncated > /dev/null
dx_rc 1 --proc "$WORK/truncated" pages 110
err_has "truncated"
dx_rc 1 --proc "$WORK/truncated" maps 110
cp -r "$D" "$WORK/nomaps"
rm "$WORK/nomaps/$P/maps"
dx_rc 1 --proc "$WORK/nomaps" pages "$P"
err_has "maps"
cp -r "$D" "$WORK/nopagemap"
rm "$WORK/nopagemap/$P/pagemap"
dx_rc 1 --proc "$WORK/nopagemap" pages "$P"
err_has "pagemap"
cp -r "$D" "$WORK/norelease"
rm "$WORK/norelease/sys/kernel/osrelease"
dx_rc 1 --proc "$WORK/norelease" pages "$P"
err_has "osrelease"
cp -r "$D" "$WORK/badlayout"
sed -i 's/^swap_layout .*/swap_layout 5.99/' "$WORK/badlayout/devexctl-snapshot"
dx_rc 1 --proc "$WORK/badlayout" pages "$P"
err_has "swap_layout"
cp -r "$D" "$WORK/badpsz"
sed -i 's/^page_size .*/page_size 1000/' "$WORK/badpsz/devexctl-snapshot"
dx_rc 1 --proc "$WORK/badpsz" pages "$P"
err_has "page_size"
dx_rc 1 --proc "$WORK/nonexistent" pages "$P"
dx_rc 1 --proc "$WORK/nonexistent" features
# A file's bad value is EINVAL and exit 1 with the file named, never usage
# (2) nor the usage hint: a malformed line in a snapshot's maps.
cp -r "$D" "$WORK/badmaps"
echo 'this is not a maps line' >> "$WORK/badmaps/$P/maps"
for cmd in maps pages; do
	dx_rc 1 --proc "$WORK/badmaps" "$cmd" "$P"
	err_has "$WORK/badmaps/$P/maps: malformed line "
	err_has ": Invalid argument"
	grep -q "devexctl help" "$ERR" && fail "$cmd: a bad file points at 'devexctl help'"
	dx_rc 1 --proc "$WORK/badmaps" -j "$cmd" "$P"
	jcheck assert 'd["error"]["errno"] == "EINVAL"' 'd["error"]["exit_status"] == 1'
done

# Permission (5): an unreadable pagemap or maps, when not root (root reads
# anything here, so that case is covered by tests/live/unprivileged.sh).
if [ "$(id -u)" != 0 ]; then
	cp -r "$D" "$WORK/noperm"
	chmod 000 "$WORK/noperm/$P/pagemap"
	dx_rc 5 --proc "$WORK/noperm" pages "$P"
	err_has "Permission denied"
	chmod 644 "$WORK/noperm/$P/pagemap"
	chmod 000 "$WORK/noperm/$P/maps"
	dx_rc 5 --proc "$WORK/noperm" maps "$P"
	chmod 644 "$WORK/noperm/$P/maps"
fi

# Missing feature (4): the devexcl kernel interface is absent.
mkdir -p "$WORK/emptydebugfs"
dx_rc 4 --debugfs "$WORK/emptydebugfs" entries $$
err_has "devexcl"
dx_rc 4 --debugfs "$WORK/emptydebugfs" notifiers $$
dx_rc 4 --debugfs "$WORK/emptydebugfs" make-exclusive $$ '[stack]'
dx_rc 4 --debugfs "$WORK/emptydebugfs" revert $$ '[stack]'
# The kernel refusing a request (EINVAL) is an error (1) with the kernel's
# reason, not a usage error.  A stand-in for debugfs: its make_exclusive is
# this process's oom_score_adj, which refuses "PID,START,END" with EINVAL the
# way devexcl refuses a bad request, and needs no patched kernel.
mkdir -p "$WORK/refusing/devexcl"
: > "$WORK/refusing/devexcl/info"
ln -s /proc/self/oom_score_adj "$WORK/refusing/devexcl/make_exclusive"
dx_rc 1 --debugfs "$WORK/refusing" make-exclusive $$ '[stack]'
err_has "devexcl/make_exclusive refused '$$,0x"
err_has ": Invalid argument"
grep -q "devexctl help" "$ERR" && fail "a kernel refusal points at 'devexctl help'"
dx_rc 1 --debugfs "$WORK/refusing" -j make-exclusive $$ '[stack]'
jcheck assert 'd["error"]["errno"] == "EINVAL"' 'd["error"]["exit_status"] == 1' \
	'"refused" in d["error"]["message"]' '"hint" not in d["error"]'
# The same command with a bad RANGE is still a usage error (2).
dx_usage --debugfs "$WORK/refusing" make-exclusive $$ zz
err_has "bad range 'zz'"
# monitor: no tracefs here, or one without the devexcl tracepoints (the
# host kernel has none): exit 4 either way, saying which; as root only (an
# unprivileged user may not even search /sys/kernel/debug: exit 5).
if [ "$(id -u)" = 0 ]; then
	dx_rc 4 --debugfs "$WORK/emptydebugfs" monitor
	grep -Eq 'tracefs not mounted|without the devexcl tracepoints' "$ERR" ||
		fail "monitor: no reason given: $(cat "$ERR")"
	dx_rc 4 --debugfs "$WORK/emptydebugfs" -j monitor $$ --count 1
fi
# check: exit 4 with every check "missing", reported on stdout.
dx --debugfs "$WORK/emptydebugfs" -j check $$
[ "$RC" = 4 ] || fail "check without the interface exited $RC, want 4"
jcheck assert 'all(c["result"] == "missing" for c in d["checks"])' 'd["missing"] == len(d["checks"])'
pass
