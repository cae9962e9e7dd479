# lib.sh: helpers for the in-guest tests (busybox sh). Source it.
# Each test prints "PASS: what" / "FAIL: what" / "SKIP: what" lines, which
# run-suite counts, and exits non-zero when anything failed.
# shellcheck shell=sh

T_FAILED=0
T_NAME=${0##*/}
T_TMP=/tmp/$T_NAME.$$
mkdir -p "$T_TMP"

pass() { echo "PASS: $T_NAME: $*"; }
fail() { echo "FAIL: $T_NAME: $*"; T_FAILED=1; }
skip() { echo "SKIP: $T_NAME: $*"; }
note() { echo "  # $*"; }

# check "what" CMD...: PASS when CMD succeeds.
check() {
	what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

t_done() {
	rm -rf "$T_TMP"
	exit "$T_FAILED"
}

# save_json COMMAND FILE [NAME]: keep devexctl's -j output FILE (of COMMAND;
# monitor's is JSON Lines) as $OUT/json/COMMAND/TEST[-NAME].json(l): the
# guest has no python, so the host validates it against schema/COMMAND.schema.json
# after the run (tests/vm/check-json). An empty FILE (the command failed, which
# the test reports) is not kept; never fails the test itself.
save_json() {
	[ -n "${OUT:-}" ] && [ -s "$2" ] || return 0
	sj_ext=json
	[ "$1" != monitor ] || sj_ext=jsonl
	if ! { mkdir -p "$OUT/json/$1" && cp "$2" "$OUT/json/$1/$T_NAME${3:+-$3}.$sj_ext"; }; then
		note "save_json: could not keep $2 in $OUT/json/$1"
	fi
	return 0
}

have_devexctl() {
	if command -v devexctl >/dev/null 2>&1; then return 0; fi
	fail "devexctl is not in the guest (the harness could not build cli/; see its warnings)"
	return 1
}

# Lower-case hex without leading zeros; decimal numbers become hex.
norm_hex() {
	awk '{ print norm($0) }
	function norm(v) {
		v = tolower(v)
		if (v ~ /^0x/) { sub(/^0x0*/, "0x", v); if (v == "0x") v = "0x0"; return v }
		if (v ~ /^[0-9]+$/) return sprintf("0x%x", v)
		return v
	}'
}

# wait_for_line FILE LINE [SECONDS]: wait until FILE has a line LINE.
wait_for_line() {
	n=0
	while ! grep -qx "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -le $(( ${3:-60} * 10 )) ] || return 1
		sleep 0.1
	done
}

# pre_rework: a kernel before the 2025 rework (6.15): make_device_exclusive_range().
pre_rework() { grep -q ' make_device_exclusive_range$' /proc/kallsyms; }

# wait_for_match FILE ERE [SECONDS]: wait until a line of FILE matches ERE.
wait_for_match() {
	n=0
	until grep -Eq "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -le $(( ${3:-60} * 10 )) ] || return 1
		sleep 0.1
	done
}

# start_workload PREFIX [UID]: start excl-workload (as UID when given), wait
# until it is ready; sets WL_PID. PREFIX.state has the workload's view.
# Before 6.15 (make_device_exclusive_range()) a write entry is swap type 29
# and pages of a large folio may be refused (-T).
start_workload() {
	rm -f "$1.state" "$1.touched" "$1.forked"
	wl_args=
	if pre_rework; then wl_args="-t 29 -T"; fi
	if [ -n "${2:-}" ]; then
		# shellcheck disable=SC2086
		runas "$2" excl-workload $wl_args -o "$1" >"$1.log" 2>&1 &
	else
		# shellcheck disable=SC2086
		excl-workload $wl_args -o "$1" >"$1.log" 2>&1 &
	fi
	WL_PID=$!
	if ! wait_for_line "$1.state" ready 60; then
		cat "$1.log"
		kill -9 "$WL_PID" 2>/dev/null
		return 1
	fi
}

# touch_workload PREFIX: SIGUSR1 (read every page, verify), wait for the result.
touch_workload() {
	kill -USR1 "$WL_PID"
	wait_for_line "$1.touched" "done" 60
}

# fork_workload PREFIX: SIGUSR2 (one fork, the child exits), wait for it.
fork_workload() {
	rm -f "$1.forked"
	kill -USR2 "$WL_PID"
	wait_for_line "$1.forked" "done" 60
}

# stop_workload: SIGTERM, return its exit status.
stop_workload() {
	kill -TERM "$WL_PID" 2>/dev/null
	wait "$WL_PID"
}

# state_field PREFIX.state KEY: the value(s) after KEY.
state_field() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$1"; }

# dx_pages PID RANGE [AS-UID]: "ADDR STATE PFN" per page from
# `devexctl -j pages -L PID RANGE` (PFN "-" when absent or null).
dx_pages() {
	if [ -n "${3:-}" ]; then
		runas "$3" devexctl -j pages -L "$1" "$2" >"$T_TMP/pages.json" 2>"$T_TMP/pages.err"
	else
		devexctl -j pages -L "$1" "$2" >"$T_TMP/pages.json" 2>"$T_TMP/pages.err"
	fi || { note "devexctl -j pages -L $1 $2 failed: $(cat "$T_TMP/pages.err")"; return 1; }
	jsonflat "$T_TMP/pages.json" >"$T_TMP/pages.flat" || return 1
	awk -F '\t' '
		function norm(v) {
			v = tolower(v)
			if (v ~ /^0x/) { sub(/^0x0*/, "0x", v); if (v == "0x") v = "0x0"; return v }
			if (v ~ /^[0-9]+$/) return sprintf("0x%x", v)
			return v
		}
		{
			p = $1; k = p; sub(/\.[^.]*$/, "", p); sub(/.*\./, "", k)
			if (!(p in seen)) { seen[p] = 1; order[++n] = p }
			v[p, k] = $2
		}
		END {
			for (i = 1; i <= n; i++) {
				p = order[i]
				if (!((p, "state") in v) || !((p, "start") in v)) continue
				pfn = ((p, "pfn") in v) ? v[p, "pfn"] : "-"
				if (pfn == "null" || pfn == "") pfn = "-"
				print norm(v[p, "start"]), v[p, "state"], norm(pfn)
			}
		}' "$T_TMP/pages.flat"
}

# dx_map_count PID VMA-START STATE [reuse]: the count of STATE (a state name:
# device-exclusive; its JSON key is device_exclusive) of the VMA starting
# at VMA-START in `devexctl -j maps PID` (0 when the key is absent); with
# "reuse", from the previous call's output instead of running devexctl again.
dx_map_count() {
	if [ "${4:-}" != reuse ] || [ ! -s "$T_TMP/maps.flat" ]; then
		devexctl -j maps "$1" >"$T_TMP/maps.json" 2>"$T_TMP/maps.err" ||
			{ note "devexctl -j maps $1 failed: $(cat "$T_TMP/maps.err")"; return 1; }
		jsonflat "$T_TMP/maps.json" >"$T_TMP/maps.flat" || return 1
	fi
	want=$(echo "$2" | norm_hex)
	awk -F '\t' -v want="$want" -v st="$3" '
		function norm(v) { v = tolower(v); sub(/^0x0*/, "0x", v); return v }
		{ p = $1; sub(/\.[^.]*$/, "", p) }
		$1 ~ /\.start$/ && norm($2) == want { vma = p }
		{ val[$1] = $2 }
		END {
			if (vma == "") { print "novma"; exit }
			k = st; gsub(/-/, "_", k)	# the JSON key of a state: snake_case
			k = vma ".counts." k
			print ((k in val) ? val[k] : 0)
		}' "$T_TMP/maps.flat"
}
