#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# devexctl features: live and on a snapshot; each line names a status,
# each missing feature says why.
. "${top_srcdir:-.}/tests/lib.sh"
need_python

dx_ok features
for f in kernel source capabilities pagemap pagemap-pfns swap-types swap-layout pagemap-scan \
	 devexcl-debugfs device-exclusive events-tracepoints events-probes events-none proc-connector hmm-dmirror; do
	grep -Eq "^$f +(yes|no|no-permission|info) " "$OUT" || fail "features: no line for $f"
done
grep -q "^kernel  *info  *$(uname -r)\$" "$OUT" || fail "features: kernel release"
dx_ok -j features
jcheck assert \
	'all(f["status"] in ("yes", "no", "no-permission", "info") for f in d["features"].values())' \
	'all(f.get("reason") for f in d["features"].values() if f["status"] in ("no", "no-permission"))' \
	'd["features"]["source"]["value"] == "procfs (/proc)"'
# PFN visibility follows CAP_SYS_ADMIN (root here has it, normally).
if grep -q '^CapEff:.*' /proc/self/status && [ "$(id -u)" = 0 ]; then
	capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
	if (( (16#$capeff >> 21) & 1 )); then
		jcheck assert 'd["features"]["pagemap_pfns"]["status"] == "yes"'
	fi
fi
# The swap layout of this kernel: from its config when readable.
jcheck assert 'd["features"]["swap_layout"]["value"].split(":")[0] in ("6.15", "pre-6.15", "no-device-private")'
if [ -r /proc/config.gz ] && zcat /proc/config.gz | grep -q '^# CONFIG_DEVICE_PRIVATE is not set'; then
	jcheck assert 'd["features"]["swap_layout"]["value"].startswith("no-device-private")'
fi
# --debugfs elsewhere: the interface is absent, and features says why.
mkdir -p "$WORK/debugfs"
dx_ok -j --debugfs "$WORK/debugfs" features
jcheck assert 'd["features"]["devexcl_debugfs"]["status"] == "no"' \
	'"kernel-debugfs" in d["features"]["devexcl_debugfs"]["reason"]'

# The event source: tracefs tracepoints, or why not (this host has no
# devexcl tracepoints; tracefs may not even be mounted).
jcheck assert 'd["features"]["events_tracepoints"]["status"] in ("yes", "no", "no-permission")' \
	'd["features"]["events_tracepoints"]["status"] == "yes" or "tracefs" in d["features"]["events_tracepoints"]["reason"] or "tracepoints" in d["features"]["events_tracepoints"]["reason"]' \
	'd["features"]["proc_connector"]["status"] == "yes" or d["features"]["proc_connector"]["reason"]'

# Whether this kernel can hold device-exclusive entries: as /proc/kallsyms
# says (make_device_exclusive since 6.15, make_device_exclusive_range before).
dx_ok -j features
if grep -Eq ' [tT] make_device_exclusive$' /proc/kallsyms; then
	jcheck assert 'd["features"]["device_exclusive"]["value"].startswith("make_device_exclusive(): since 6.15")'
elif grep -Eq ' [tT] make_device_exclusive_range$' /proc/kallsyms; then
	jcheck assert 'd["features"]["device_exclusive"]["value"].startswith("make_device_exclusive_range(): before 6.15")'
else
	jcheck assert 'd["features"]["device_exclusive"]["status"] == "no"' \
		'"CONFIG_DEVICE_PRIVATE" in d["features"]["device_exclusive"]["reason"]'
fi
# Probes need kprobe events and BTF; without either, the reason names it.
if [ ! -e /sys/kernel/btf/vmlinux ] || { [ -d /sys/kernel/tracing/events ] && [ ! -e /sys/kernel/tracing/kprobe_events ]; }; then
	jcheck assert 'd["features"]["events_probes"]["status"] in ("no", "no-permission")'
fi

# Capabilities: counted as devexctl started, not after it dropped what
# features does not use (as root that read "4 of 41", as if root lacked
# them); then the ones features keeps, by name.  awk, run the way devexctl
# is, starts with the same effective set: its own CapEff is the expectation.
capeff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
ncaps=0
for ((m = 16#${capeff:-0}; m; m >>= 1)); do ncaps=$((ncaps + (m & 1))); done
known=$(($(cat /proc/sys/kernel/cap_last_cap) + 1))
dx_ok features
grep -Eq "^capabilities +info +cap_sys_admin=(yes|no) cap_sys_ptrace=(yes|no) \($ncaps of $known effective at start; features keeps (none|CAP_[A-Z_,]+)\)\$" "$OUT" ||
	fail "features: capabilities line: $(grep '^capabilities' "$OUT")"
# Root with every capability (the usual case) counts all of them.
if [ "$(id -u)" = 0 ] && [ "$ncaps" = "$known" ]; then
	grep -q "($known of $known effective at start; " "$OUT" || fail "root: not all capabilities"
fi
dx_ok -j features
jcheck assert "d['features']['capabilities']['effective_at_start'] == $ncaps" \
	"d['features']['capabilities']['known'] == $known" \
	"sorted(d['features']['capabilities']['kept']) == sorted(n for b, n in ((2, 'CAP_DAC_READ_SEARCH'), (12, 'CAP_NET_ADMIN'), (19, 'CAP_SYS_PTRACE'), (21, 'CAP_SYS_ADMIN')) if (0x${capeff:-0} >> b) & 1)"
# Unprivileged (nobody, through setpriv): none at start, none kept.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null && "${NOBODY[@]}" test -x "$DEVEXCTL"; then
	WRAP=("${NOBODY[@]}")
	dx_ok -j features
	jcheck assert 'd["features"]["capabilities"]["effective_at_start"] == 0' \
		'd["features"]["capabilities"]["kept"] == []' \
		'"(0 of " in d["features"]["capabilities"]["value"]' \
		'd["features"]["capabilities"]["value"].endswith("features keeps none)")'
	WRAP=()
fi

# On a snapshot: its kernel, its layout, its visibility.
D=$(mkfx pre615)
dx_ok --proc "$D" -j features
jcheck assert 'd["features"]["kernel"]["value"] == "6.12.48"' \
	'd["features"]["swap_layout"]["value"].startswith("pre-6.15: device-exclusive=30")' \
	'd["features"]["pagemap_scan"]["status"] == "no"' \
	'd["features"]["pagemap_pfns"]["status"] == "yes"'
U=$(mkfx unpriv)
dx_ok --proc "$U" -j features
jcheck assert 'd["features"]["pagemap_pfns"]["status"] == "no-permission"' \
	'"CAP_SYS_ADMIN" in d["features"]["pagemap_pfns"]["reason"]'
N=$(mkfx nodevice)
dx_ok --proc "$N" features
grep -q '^swap-layout  *info  *no-device-private: no device types' "$OUT" || fail "nodevice layout line"
pass
