# tests/vm/lib/qemu.sh: boot the guest and turn its console into a result.
# Sourced; expects BZIMAGE, INITRAMFS, VM_NONCE, KVM, SHELL_MODE, KEEP,
# VERBOSE, GUEST_TIMEOUT, CONFIG_NAME, CACHE, HERE (tests/vm) and
# log/warn/die/run_timed.
# shellcheck shell=bash

# Kernel log lines that fail a run even when the job passed.
BAD_LOG_RE='WARNING:|BUG:|Oops|Call Trace|lockdep|KASAN|UBSAN'
# Boot banners of the debug config that match BAD_LOG_RE but report nothing.
BENIGN_LOG_RE='RCU lockdep checking is enabled'

qemu_cmd() {
	# RDRAND seeds the guest's CRNG at boot: until it is seeded, %p and the
	# tracepoints' mm/owner/subscriber ids (ptr_to_hashval()) are all 0.
	local -a accel=(-accel tcg,thread=single -cpu qemu64,+rdrand)
	[ "$KVM" = 0 ] || accel=(-accel kvm -cpu host)
	# devexcl_owner=on: the page_ext owner records of device-exclusive
	# entries (kernel-debugfs/patches 0005); ignored without the series.
	printf '%s\n' qemu-system-x86_64 "${accel[@]}" -m 1G -smp 2 -nographic -no-reboot \
		-kernel "$BZIMAGE" -initrd "$INITRAMFS" \
		-append "console=ttyS0 panic=-1 loglevel=4 devexcl_owner=on${APPEND:+ $APPEND}"
}

run_dir_setup() {
	if [ "$KEEP" = 1 ]; then
		RUN_DIR=$CACHE/runs/$(date +%Y%m%d-%H%M%S)-$$
		mkdir -p "$RUN_DIR"
	else
		RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/devexctl-vm.XXXXXX")
		trap 'rm -rf "$RUN_DIR" ${BOOT_DIR:+"$BOOT_DIR"}' EXIT
	fi
}

# section NAME: the console lines between the -NAME-BEGIN and -NAME-END markers.
section() {
	awk -v b="DEVEXCTL-VM-$VM_NONCE-$1-BEGIN" -v e="DEVEXCTL-VM-$VM_NONCE-$1-END" '
		index($0, e) { on = 0 }
		on { print }
		index($0, b) { on = 1 }
	' "$RUN_DIR/console.log"
}

marker_value() {
	sed -n "s/.*DEVEXCTL-VM-$VM_NONCE-$1 \\([^ ]*\\).*/\\1/p" "$RUN_DIR/console.log" | head -n1
}

qemu_shell() {
	local -a cmd
	mapfile -t cmd < <(qemu_cmd)
	log "starting an interactive guest (boot ~5 s with TCG; leave the shell or press Ctrl-A x to quit)"
	"${cmd[@]}"
}

qemu_run() {
	local -a cmd
	local rc=0 t0
	mapfile -t cmd < <(qemu_cmd)
	log "booting $CONFIG_NAME kernel under QEMU ($([ "$KVM" = 1 ] && echo KVM || echo TCG)), timeout ${GUEST_TIMEOUT}s; the suite usually takes ~1-2 min (debug: several)"
	t0=$(date +%s)
	if [ "$VERBOSE" = 1 ]; then
		{
			rc=0
			run_timed "$GUEST_TIMEOUT" "${cmd[@]}" </dev/null 2>"$RUN_DIR/qemu.err" || rc=$?
			echo "$rc" >"$RUN_DIR/qemu.rc"
		} | tee "$RUN_DIR/console.log" >&2
		rc=$(cat "$RUN_DIR/qemu.rc")
	else
		run_timed "$GUEST_TIMEOUT" "${cmd[@]}" </dev/null >"$RUN_DIR/console.log" \
			2>"$RUN_DIR/qemu.err" || rc=$?
	fi
	sed -i 's/\r$//' "$RUN_DIR/console.log"
	QEMU_RC=$rc
	QEMU_SECS=$(( $(date +%s) - t0 ))
}

extract_outputs() {
	section JOB >"$RUN_DIR/job.log"
	section DMESG >"$RUN_DIR/dmesg.log"
	if grep -q "DEVEXCTL-VM-$VM_NONCE-OUT-BEGIN" "$RUN_DIR/console.log"; then
		mkdir -p "$RUN_DIR/out"
		section OUT | base64 -d | tar -C "$RUN_DIR/out" -xzf - ||
			warn "could not unpack the guest's \$OUT files"
	fi
}

print_failure_logs() {
	local klog=$RUN_DIR/dmesg.log
	[ -s "$klog" ] || klog=$RUN_DIR/console.log
	{
		echo "==================== kernel log ($klog) ===================="
		cat "$klog"
		echo "==================== guest job output ===================="
		cat "$RUN_DIR/job.log"
		[ ! -s "$RUN_DIR/qemu.err" ] || { echo "==================== qemu stderr ===================="; cat "$RUN_DIR/qemu.err"; }
		echo "========================================================"
	} >&2
}

qemu_boot_and_report() {
	local status booted klog bad='' passed=0
	if [ "$SHELL_MODE" = 1 ]; then
		qemu_shell
		return
	fi
	run_dir_setup
	qemu_run
	extract_outputs
	booted=$(marker_value BOOTED)
	status=$(marker_value STATUS)
	[ -n "$booted" ] && log "guest reached /init at ${booted}s kernel uptime; QEMU ran ${QEMU_SECS}s"
	klog=$RUN_DIR/dmesg.log
	[ -s "$klog" ] || klog=$RUN_DIR/console.log
	bad=$(grep -E "$BAD_LOG_RE" "$klog" | grep -vE "$BENIGN_LOG_RE" | head -n 5 || true)
	if [ -n "$bad" ] && [ "${IGNORE_KLOG:-0}" = 1 ]; then
		log "kernel log has warnings (ignored, --ignore-kernel-log):"
		printf '%s\n' "$bad" >&2
		bad=
	fi
	if [ -z "$status" ]; then
		[ "$QEMU_RC" != 124 ] || log "guest timed out after ${GUEST_TIMEOUT}s"
		print_failure_logs
		log "FAIL: no exit status from the guest (QEMU exit $QEMU_RC; kernel panic, hang or timeout?)"
		status=1
	elif [ -n "$bad" ]; then
		print_failure_logs
		log "FAIL: the kernel log has warnings or errors:"
		printf '%s\n' "$bad" >&2
		[ "$status" != 0 ] || status=1
	elif [ "$status" != 0 ]; then
		print_failure_logs
		log "FAIL: guest job exited with status $status"
	else
		[ "$VERBOSE" = 1 ] || cat "$RUN_DIR/job.log"
		passed=1
	fi
	# The JSON the guest tests kept (save_json): the guest has no python to
	# validate it against schema/, so here, whatever the job's status.
	if ! "$HERE/check-json" "$RUN_DIR/out/json" >&2; then
		log "FAIL: the guest's devexctl JSON output does not follow schema/"
		status=1
	elif [ "$passed" = 1 ]; then
		log "PASS: guest job exited 0, kernel log clean"
	fi
	[ "$KEEP" = 0 ] || log "run directory kept: $RUN_DIR (console.log, job.log, dmesg.log, out/; out/json: the guest's JSON, validated)"
	return "$status"
}
