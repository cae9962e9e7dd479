#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The man page's CAPABILITIES table says, per command, what the command
# table does: the capabilities each command uses to open its target and the
# ones it keeps, as 'devexctl help COMMAND' prints them.  Every command is
# in the table once, no command is there that the program lacks, and the
# sets are equal.  Also: the man page keeps the sections users look for.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

MAN=$top_srcdir/man/devexctl.8.in

# What the program says: "COMMAND<TAB>OPEN<TAB>KEPT", sets as sorted names
# without CAP_, "none" when empty.
dx_ok -j help
"$PY" -c 'import json,sys; print("\n".join(c["name"] for c in json.load(open(sys.argv[1]))["commands"]))' \
	"$OUT" > "$WORK/commands"
[ -s "$WORK/commands" ] || fail "devexctl -j help lists no command"
: > "$WORK/program"
while read -r c; do
	dx_ok help "$c" || continue
	"$PY" - "$c" "$OUT" >> "$WORK/program" <<-'EOF' || fail "help $c: cannot read its capabilities"
	import re, sys
	cmd, text = sys.argv[1], open(sys.argv[2]).read()
	def norm(s):
	    caps = sorted(x.strip()[len("CAP_"):] for x in s.split(",") if x.strip() not in ("", "none"))
	    return ",".join(caps) or "none"
	m = re.search(r"^Capabilities: uses (\S+) to open the target, then keeps (\S+)$", text, re.M)
	if m:
	    print("%s\t%s\t%s" % (cmd, norm(m.group(1)), norm(m.group(2))))
	elif "Capabilities:" in text:
	    sys.exit("unreadable Capabilities line")
	else:
	    print("%s\tnone\tnone" % cmd)	# runs with none: help, completion
	EOF
done < "$WORK/commands"

# What the man page says: the table of its CAPABILITIES section, rows of
# three T{ ... T} cells (commands; to open; kept after, or "the same").
man_caps() {
	"$PY" - "$1" <<-'EOF'
	import re, sys
	text = open(sys.argv[1]).read()
	sec = re.search(r"^\.SH CAPABILITIES\n(.*?)^\.SH ", text, re.M | re.S)
	tbl = sec and re.search(r"^\.TS\n.*?\.\n(.*?)^\.TE$", sec.group(1), re.M | re.S)
	if not tbl:
	    sys.exit(1)
	cells = [re.sub(r"\s+", " ", c.replace(".br", " ")).strip()
	         for c in re.findall(r"T\{\n(.*?)\nT\}", tbl.group(1), re.S)]
	if not cells or len(cells) % 3:
	    sys.exit(1)
	def norm(s):
	    caps = sorted(x.strip() for x in s.split(",") if x.strip() not in ("", "none"))
	    return ",".join(caps) or "none"
	for i in range(0, len(cells), 3):
	    cmds, use, kept = cells[i:i + 3]
	    use = norm(use)
	    kept = use if kept == "the same" else norm(kept)
	    for c in cmds.replace("\\-", "-").split(","):
	        print("%s\t%s\t%s" % (c.strip(), use, kept))
	EOF
}
man_caps "$MAN" > "$WORK/manpage" || fail "CAPABILITIES: no table to read"

sort "$WORK/program" > "$WORK/program.sorted"
sort "$WORK/manpage" > "$WORK/manpage.sorted"
if ! diff -u "$WORK/program.sorted" "$WORK/manpage.sorted" > "$WORK/diff"; then
	fail "man page CAPABILITIES differs from the command table (- program, + man page):"
	cat "$WORK/diff"
fi
[ "$(cut -f1 "$WORK/manpage" | sort | uniq -d)" = "" ] ||
	fail "CAPABILITIES lists a command twice: $(cut -f1 "$WORK/manpage" | sort | uniq -d)"

# The comparison sees a difference: a capability fewer in a copy of the page.
sed '/^\.SH CAPABILITIES/,/^\.TE/s/^SYS_ADMIN, SYS_PTRACE, DAC_READ_SEARCH$/SYS_ADMIN, SYS_PTRACE/' \
	"$MAN" > "$WORK/broken.8"
man_caps "$WORK/broken.8" | sort | cmp -s - "$WORK/program.sorted" &&
	fail "a capability taken out of the man page's table went unnoticed"

# Sections a user looks for (issue 19): triage examples, where to report.
for s in "EXAMPLES" "REPORTING BUGS" "CAPABILITIES" "JSON"; do
	grep -q "^\.SH $s\$" "$MAN" || fail "man page has no $s section"
done
grep -q '^\.SH RELIABILITY' "$MAN" && fail "RELIABILITY is back: test statistics go in tests/README.md"
for e in 'devexctl check \\-\\-self' 'devexctl check \\-\\-watch' 'devexctl \\-j monitor' \
	 'devexctl snapshot' 'devexctl \\-\\-proc'; do
	sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$MAN" | grep -q "$e" || fail "EXAMPLES lack '$e'"
done
# The examples use only options the program has.
dx_ok help check
grep -q -- "--watch SECONDS" "$OUT" || fail "check has no --watch SECONDS"
grep -q -- "-s, --self" "$OUT" || fail "check has no --self"
dx_ok help monitor
grep -q -- "-d, --duration SEC" "$OUT" || fail "monitor has no -d"
pass
