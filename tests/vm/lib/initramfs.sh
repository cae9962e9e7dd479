# tests/vm/lib/initramfs.sh: guest userland and the initramfs for tests/vm/run.
# Sourced; expects REPO, HERE, CACHE, KSRC, KBUILD, KHDR, KHDR_STAMP, CONFIG_NAME, RUN_CMD,
# SHELL_MODE, ADDS[], DEVEXCTL_BIN, TEST_HMM_KO (distro only) and
# log/warn/die/run_timed. Sets INITRAMFS,
# VM_NONCE and GUEST_DEVEXCTL (path of devexctl put in the guest, or empty).
# shellcheck shell=bash

GUEST_DIR=/usr/share/devexctl-vm

# newer_than OUT IN...: true when OUT is missing or older than any IN.
newer_than() {
	local out=$1 f
	shift
	[ -e "$out" ] || return 0
	for f in "$@"; do
		[ "$f" -nt "$out" ] && return 0
	done
	return 1
}

# build_static OUT "SRC..." CFLAGS...: static guest program, rebuilt when stale.
build_static() {
	local out=$1 srcs=$2
	shift 2
	# shellcheck disable=SC2086
	newer_than "$out" $srcs "$KHDR_STAMP" || return 0
	log "compiling $(basename "$out") (static)"
	# shellcheck disable=SC2086
	gcc -static -O2 -Wall -U_FORTIFY_SOURCE -isystem "$KHDR" -o "$out.tmp" $srcs "$@" \
		>"$out.log" 2>&1 || { cat "$out.log" >&2; die "could not build $out"; }
	mv "$out.tmp" "$out"
}

guest_programs() {
	local sel=$KSRC/tools/testing/selftests c
	# Per source tree, as the headers: plain, debug and nodevexcl share them.
	GUEST_BIN=$CACHE/guest/$(kernel_tree_name)
	mkdir -p "$GUEST_BIN"
	# vm_util.c needs the THP settings helpers: hugepage_settings.c in 7.x,
	# thp_settings.c before.
	for c in hugepage_settings thp_settings; do
		[ -f "$sel/mm/$c.c" ] && break
	done
	build_static "$GUEST_BIN/hmm-tests" \
		"$sel/mm/hmm-tests.c $sel/mm/vm_util.c $sel/mm/$c.c" \
		-I "$KSRC" -I "$sel" -I "$sel/mm" -isystem "$KSRC/tools/include/uapi" \
		-lrt -lpthread -lm
	# Every tests/vm/guest/*.c becomes /usr/bin/NAME in the guest.
	for c in "$HERE"/guest/*.c; do
		build_static "$GUEST_BIN/$(basename "$c" .c)" "$c" -I "$KSRC" -lpthread
	done
}

is_elf() { [ "$(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

find_built_devexctl() {
	local d=$1 f
	for f in "$d/cli/.libs/devexctl" "$d/cli/devexctl" "$d/devexctl" "$d/src/devexctl"; do
		if [ -f "$f" ] && is_elf "$f"; then echo "$f"; return 0; fi
	done
	f=$(find "$d" -name devexctl -type f -perm -u+x 2>/dev/null | head -n1)
	[ -n "$f" ] && is_elf "$f" && echo "$f"
}

# sync_cli_source: copy the repo's source files to $CACHE/devexctl-src (the
# tracked ones, plus untracked, not ignored ones at the top or under cli/, m4/,
# man/; none over 8 MiB: test runs leave big sparse files around), only those
# that changed, keeping mtimes. Building from this copy never touches the
# work tree, and works whether or not the work tree is configured in-tree.
sync_cli_source() {
	local src=$CACHE/devexctl-src f
	mkdir -p "$src"
	if ! git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
		warn "$REPO is not a git work tree: copying it whole"
		cp -a "$REPO/." "$src/"
		rm -f "$src/config.status"
		echo "$src"
		return 0
	fi
	while IFS= read -r -d '' f; do
		[ -f "$REPO/$f" ] || continue
		[ "$(stat -c %s "$REPO/$f")" -le 8388608 ] || continue
		cmp -s "$REPO/$f" "$src/$f" 2>/dev/null && continue
		mkdir -p "$src/$(dirname "$f")"
		cp -p "$REPO/$f" "$src/$f"
	done < <(git -C "$REPO" ls-files -z -c
		git -C "$REPO" ls-files -z -o --exclude-standard | grep -zE '^([^/]+|(cli|m4|man)/.*)$' || true)
	echo "$src"
}

# configure_and_make SRC BUILDDIR CONFIGURE-ARGS...: out-of-tree Autotools build.
configure_and_make() {
	local src=$1 b=$2
	shift 2
	mkdir -p "$b"
	if [ ! -f "$b/Makefile" ] || [ "$src/configure" -nt "$b/config.status" ]; then
		(cd "$b" && run_timed 600 "$src/configure" "$@") >"$b/configure.log" 2>&1 || {
			tail -n 15 "$b/configure.log" >&2
			return 1
		}
	fi
	(cd "$b" && run_timed 1200 make -j"$(nproc)") >"$b/make.log" 2>&1 || {
		grep -E 'error|Error' "$b/make.log" | head -n 15 >&2
		return 1
	}
}

# Build cli/ out of tree in the cache: static when configure offers
# --enable-static-devexctl, else dynamic (its libraries go into the guest).
build_devexctl() {
	local src bin
	if [ ! -f "$REPO/configure.ac" ] || [ ! -f "$REPO/Makefile.am" ]; then
		warn "no configure.ac/Makefile.am in $REPO: devexctl not built"
		return 1
	fi
	src=$(sync_cli_source)
	if [ ! -x "$src/configure" ] || [ ! -f "$src/Makefile.in" ] ||
		[ "$src/configure.ac" -nt "$src/configure" ] || [ "$src/Makefile.am" -nt "$src/Makefile.in" ]; then
		log "autoreconf -fi in $src (~30 s)"
		(cd "$src" && run_timed 600 autoreconf -fi) >"$CACHE/autoreconf.log" 2>&1 || {
			tail -n 15 "$CACHE/autoreconf.log" >&2
			warn "autoreconf failed: devexctl not built"
			return 1
		}
	fi
	if "$src/configure" --help 2>/dev/null | grep -q -- '--enable-static-devexctl'; then
		log "building static devexctl in $CACHE/devexctl-static (~1 min first time)"
		if configure_and_make "$src" "$CACHE/devexctl-static" --enable-static-devexctl; then
			bin=$(find_built_devexctl "$CACHE/devexctl-static") && { echo "$bin"; return 0; }
		fi
		warn "static devexctl build failed; trying a dynamic build"
	else
		warn "configure has no --enable-static-devexctl; building devexctl dynamically"
	fi
	log "building dynamic devexctl in $CACHE/devexctl-dynamic (~1 min first time)"
	configure_and_make "$src" "$CACHE/devexctl-dynamic" || { warn "devexctl build failed"; return 1; }
	find_built_devexctl "$CACHE/devexctl-dynamic" || { warn "no devexctl binary after the build"; return 1; }
}

# copy_with_libs ROOT BIN DEST: put BIN at DEST and, if it is dynamic, its
# shared libraries and loader at their host paths.
copy_with_libs() {
	local root=$1 bin=$2 dest=$3 lib
	install -D -m 0755 "$bin" "$root$dest"
	if ldd "$bin" >/dev/null 2>&1; then
		for lib in $(ldd "$bin" | grep -oE '/[^ ]+' | sort -u); do
			[ -e "$lib" ] || continue
			install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
		done
	fi
}

stage_devexctl() {
	local root=$1 bin=
	GUEST_DEVEXCTL=
	if [ -n "$DEVEXCTL_BIN" ]; then
		[ -f "$DEVEXCTL_BIN" ] || die "--devexctl $DEVEXCTL_BIN: no such file"
		bin=$DEVEXCTL_BIN
	else
		bin=$(build_devexctl) || bin=
	fi
	if [ -z "$bin" ]; then
		warn "devexctl is missing in the guest: the suite's devexctl tests will fail; --run still works"
		return 0
	fi
	ldd "$bin" >/dev/null 2>&1 && log "devexctl is dynamic: copying its libraries into the initramfs"
	copy_with_libs "$root" "$bin" /usr/bin/devexctl
	stage_plot "$root" "$bin"
	GUEST_DEVEXCTL=$bin
	log "devexctl for the guest: $GUEST_DEVEXCTL"
}

# report --svg/--png in the guest: the plot helper built beside devexctl, at
# the path configure compiled into devexctl (doc/heatmap.md), with its
# libraries (cairo's), fontconfig's configuration and one font, DejaVu Sans
# (fonts-dejavu-core; bold is synthesised), so that the pictures have text.
stage_plot() {
	local root=$1 bin=$2 plot path font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
	plot=$(dirname "$bin")/devexctl-plot
	if [ ! -x "$plot" ]; then
		warn "no devexctl-plot beside $bin (configure --without-cairo?): report --svg/--png fail in the guest"
		return 0
	fi
	path=$(grep -aoE '/[[:alnum:]_.+/-]*/devexctl-plot' "$bin" | head -n1)
	copy_with_libs "$root" "$plot" "${path:-/usr/libexec/devexctl/devexctl-plot}"
	if [ -d /etc/fonts ]; then
		mkdir -p "$root/etc"
		cp -rL /etc/fonts "$root/etc/"	# conf.d's links resolved
	else
		warn "no /etc/fonts on the host (fontconfig): the guest's heatmaps have no text"
	fi
	if [ -f "$font" ]; then
		install -D -m 0644 "$font" "$root$font"
	else
		warn "no $font on the host (fonts-dejavu-core): the guest's heatmaps have no text"
	fi
}

# tmux drives the tui from the in-guest tests (t-devexctl-tui), as on the
# host; its panes are TERM=screen, its locale C.UTF-8.
stage_tmux() {
	local root=$1
	command -v tmux >/dev/null || { warn "no tmux on the host: the guest tui test will skip"; return 0; }
	copy_with_libs "$root" "$(command -v tmux)" /usr/bin/tmux
	# tmux 3.3 refuses to start without a UTF-8 locale (libc-bin's C.utf8).
	if [ -d /usr/lib/locale/C.utf8 ]; then
		mkdir -p "$root/usr/lib/locale"
		cp -a /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
	fi
}

stage_busybox() {
	local root=$1 p
	install -D -m 0755 /bin/busybox "$root/bin/busybox"
	while IFS= read -r p; do
		[ -e "$root/$p" ] || [ -L "$root/$p" ] || {
			mkdir -p "$root/$(dirname "$p")"
			ln -s /bin/busybox "$root/$p"
		}
	done < <(/bin/busybox --list-full)
}

# The vt100 terminfo entry, for `devexctl tui` on a pty in the tests.
# The terminfo entries the guest's tui runs need: vt100 (ptyrun), screen (tmux panes).
stage_terminfo() {
	local d t
	for t in v/vt100 s/screen; do
		for d in /lib/terminfo /usr/share/terminfo; do
			[ -f "$d/$t" ] || continue
			install -D -m 0644 "$(readlink -f "$d/$t")" "$1/usr/share/terminfo/$t"
			continue 2
		done
		warn "no ${t#*/} terminfo entry on the host: guest tests cannot run devexctl tui on it"
	done
}

# The distro kernel's test_hmm is a module; /init loads it.
stage_modules() {
	local root=$1
	[ -n "${TEST_HMM_KO:-}" ] || return 0
	mkdir -p "$root/lib/modules"
	install -m 0644 "$TEST_HMM_KO" "$root/lib/modules/test_hmm.ko"
}

stage_adds() {
	local root=$1 spec host guest
	for spec in "${ADDS[@]}"; do
		host=${spec%%:*}
		guest=${spec#*:}
		[ "$guest" != "$spec" ] || guest=/usr/local/bin/$(basename "$host")
		[ -e "$host" ] || die "--add $host: no such file"
		case $guest in /*) ;; *) guest=/$guest ;; esac
		mkdir -p "$root$(dirname "$guest")"
		cp -a -- "$host" "$root$guest"
	done
}

stage_job() {
	local root=$1 mode
	if [ "$SHELL_MODE" = 1 ]; then
		mode=shell
		echo "exec sh -l" >"$root/etc/devexctl-job.sh"
	elif [ -n "$RUN_CMD" ]; then
		mode=run
		printf '%s\n' "$RUN_CMD" >"$root/etc/devexctl-job.sh"
	else
		mode=suite
		echo "exec $GUEST_DIR/run-suite" >"$root/etc/devexctl-job.sh"
	fi
	VM_NONCE=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
	cat >"$root/etc/devexctl-vm.conf" <<CONF
VM_MODE=$mode
VM_NONCE=$VM_NONCE
VM_CONFIG=$CONFIG_NAME
CONF
}

stage_root() {
	local root=$1 f
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,proc,sys,dev,tmp,root,home/user,"$GUEST_DIR"}
	stage_busybox "$root"
	install -m 0755 "$HERE/guest/init" "$root/init"
	for f in "$HERE"/guest/*; do
		case $f in *.c|*/init) continue ;; esac
		install -m 0755 "$f" "$root$GUEST_DIR/"
	done
	for f in "$GUEST_BIN"/*; do
		case $f in *.log|*.tmp) continue ;; esac
		install -m 0755 "$f" "$root/usr/bin/"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:unprivileged:/home/user:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\nuser:x:1000:\n' >"$root/etc/group"
	stage_devexctl "$root"
	stage_tmux "$root"
	stage_terminfo "$root"
	stage_modules "$root"
	stage_adds "$root"
	stage_job "$root"
}

initramfs_build() {
	local dir root
	guest_programs
	dir=$CACHE/initramfs/$(basename "$KBUILD")
	root=$dir/root
	stage_root "$root"
	INITRAMFS=$dir/initramfs.gz
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
		>"$INITRAMFS.tmp" || die "cpio failed"
	mv "$INITRAMFS.tmp" "$INITRAMFS"
	log "initramfs: $INITRAMFS ($(du -h "$INITRAMFS" | cut -f1))"
}
