# tests/vm/lib/distro.sh: the "distro" kernel of tests/vm/run: Debian's own
# built 7.3 kernel (linux-binary-ABI-cloud-amd64, the kernel a Debian user
# runs, compiled by Debian with its compiler and its config) instead of one
# built here, plus lib/test_hmm.c built as an out-of-tree module against it
# (Debian enables DEVICE_PRIVATE but not TEST_HMM).
#
# The module is built in a tree prepared from Debian's source of the same
# version and Debian's config (modules_prepare, ~30 s), with Debian's
# Module.symvers for the symbol versions; Debian's kernel was built with a
# newer gcc than bookworm's, which changes only compiler-dependent config
# symbols (CC_HAS_*), not the layout of the structures test_hmm shares with
# the kernel. The module is not signed: Debian's kernel loads it and
# reports the taint. Sourced after kernel.sh; sets KSRC, KBUILD, BZIMAGE
# and TEST_HMM_KO (kernel_headers does the headers, as for the others).
# shellcheck shell=bash

DISTRO_FLAVOUR=cloud-amd64

distro_prepare() {
	local pristine img
	log "kernel source: Debian linux-source-7.3, for test_hmm and the guest programs"
	pristine=$(run_timed 1800 "$REPO/scripts/kernel-source" --version 7.3 --cache "$CACHE") ||
		die "could not fetch the kernel source (scripts/kernel-source --version 7.3)"
	img=$(run_timed 1800 "$REPO/scripts/kernel-source" --version 7.3 --cache "$CACHE" \
		--image "$DISTRO_FLAVOUR") ||
		die "could not fetch Debian's kernel (scripts/kernel-source --image $DISTRO_FLAVOUR)"
	# Only read: every output goes to KBUILD (O=) or the module's directory.
	KSRC=$pristine
	DISTRO_IMAGE=$img
	DISTRO_RELEASE=$(cat "$img/release")
	KBUILD=$CACHE/build/debian-distro
	mkdir -p "$KBUILD"
	# shellcheck disable=SC2034 # used by tests/vm/run and qemu.sh
	BZIMAGE=$img/vmlinuz
	TEST_HMM_KO=$KBUILD/test_hmm/test_hmm.ko
}

# The inputs of the module: Debian's config and symbol versions, the source
# version, the driver's files.
distro_stamp() {
	{
		cat "$DISTRO_IMAGE/package" "$DISTRO_IMAGE/config" "$DISTRO_IMAGE/Module.symvers"
		cat "$KSRC/.devexctl-unpacked" "$KSRC/lib/test_hmm.c" "$KSRC/lib/test_hmm_uapi.h"
	} | sha256sum | cut -c1-16
}

# LOCALVERSION makes the module's vermagic Debian's release.
dmake() {
	make -C "$KSRC" O="$KBUILD" ARCH="$KARCH" LOCALVERSION="$DISTRO_LOCALVERSION" "$@"
}

distro_build() {
	local want version t0 mdir
	want=$(distro_stamp)
	if [ -f "$TEST_HMM_KO" ] && [ "$(cat "$KBUILD/.devexctl-distro" 2>/dev/null)" = "$want" ]; then
		log "test_hmm.ko for Debian's $DISTRO_RELEASE is up to date"
		return 0
	fi
	rm -f "$KBUILD/.devexctl-distro"
	t0=$(date +%s)
	version=$(make -s -C "$KSRC" kernelversion)
	case $DISTRO_RELEASE in
	"$version"*) ;;
	*) die "Debian's kernel $DISTRO_RELEASE is not built from this source ($version)" ;;
	esac
	log "preparing a module tree for Debian's $DISTRO_RELEASE (config, modules_prepare: ~30 s)"
	cp "$DISTRO_IMAGE/config" "$KBUILD/.config"
	cp "$DISTRO_IMAGE/Module.symvers" "$KBUILD/Module.symvers"
	DISTRO_LOCALVERSION=${DISTRO_RELEASE#"$version"}
	{ dmake olddefconfig && dmake -j"$(nproc)" modules_prepare; } >"$KBUILD/build.log" 2>&1 || {
		tail -n 20 "$KBUILD/build.log" >&2
		die "modules_prepare for Debian's config failed (log: $KBUILD/build.log)"
	}
	[ "$(dmake -s kernelrelease)" = "$DISTRO_RELEASE" ] ||
		die "module tree release $(dmake -s kernelrelease) is not Debian's $DISTRO_RELEASE"
	mdir=$KBUILD/test_hmm
	rm -rf "$mdir"
	mkdir -p "$mdir"
	cp "$KSRC/lib/test_hmm.c" "$KSRC/lib/test_hmm_uapi.h" "$mdir/"
	echo 'obj-m := test_hmm.o' >"$mdir/Kbuild"
	dmake M="$mdir" -j"$(nproc)" modules >>"$KBUILD/build.log" 2>&1 || {
		tail -n 20 "$KBUILD/build.log" >&2
		die "test_hmm.ko did not build against Debian's $DISTRO_RELEASE (log: $KBUILD/build.log)"
	}
	[ -f "$TEST_HMM_KO" ] || die "no $TEST_HMM_KO after the module build"
	log "test_hmm.ko built for Debian's $DISTRO_RELEASE in $(( $(date +%s) - t0 )) s"
	echo "$want" >"$KBUILD/.devexctl-distro"
}
