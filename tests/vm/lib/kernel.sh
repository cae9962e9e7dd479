# tests/vm/lib/kernel.sh: kernel source, patches, config and build for tests/vm/run.
# Sourced; expects REPO, CACHE, CONFIG_NAME, KVER, KERNEL_TREE, EXTRA_PATCHES[] and
# the log/die/run_timed helpers from tests/vm/run. Sets KSRC, KBUILD, BZIMAGE,
# KHDR (installed uapi headers) and KHDR_STAMP.
# shellcheck shell=bash

KARCH=x86_64
: "${DEVEXCTL_BUILD_TIMEOUT:=5400}"

# Files a patch creates, changes, deletes or renames (paths relative to -p1).
patch_files() {
	awk '
		/^(\+\+\+|---) / {
			p = $2; sub(/\t.*/, "", p)
			if (p == "/dev/null") next
			sub(/^[^\/]*\//, "", p); print p; next
		}
		/^rename (from|to) / { print $3 }
	' "$@" | sort -u
}

# The series applies to 7.3 only, and never to the stock config (a
# distribution-like kernel without it).
patch_set() {
	local p
	if [ "$CONFIG_NAME" != stock ] && [ -d "$REPO/kernel-debugfs/patches" ]; then
		# 0000-cover-letter.patch carries no diff
		find "$REPO/kernel-debugfs/patches" -maxdepth 1 -name '*.patch' \
			! -name '0000-*' | LC_ALL=C sort
	fi
	for p in "${EXTRA_PATCHES[@]}"; do
		[ -f "$p" ] || die "--kernel-patch $p: no such file"
		readlink -f -- "$p"
	done
}

patch_set_hash() {
	local p
	while IFS= read -r p; do
		printf '%s\n' "$(basename "$p")"
		cat "$p"
	done | sha256sum | cut -c1-16
}

# apply_patch_set WORK PRISTINE PATCH...: make WORK = PRISTINE + PATCHes for
# every file the old or the new set touches. The new content is built in a
# stage dir holding only those files; a file in WORK is rewritten (new mtime)
# only when its content changes, so make rebuilds only what really changed.
apply_patch_set() {
	local work=$1 pristine=$2 stage f p
	shift 2
	stage=$work.stage
	rm -rf "$stage"
	mkdir -p "$stage"
	{
		cat "$work/.devexctl-touched" 2>/dev/null || true
		[ $# -eq 0 ] || patch_files "$@"
	} | sort -u >"$stage.files"
	while IFS= read -r f; do
		if [ -z "$f" ] || [ ! -f "$pristine/$f" ]; then continue; fi
		mkdir -p "$stage/$(dirname "$f")"
		cp -p "$pristine/$f" "$stage/$f"
	done <"$stage.files"
	for p in "$@"; do
		log "applying $(basename "$p")"
		patch -d "$stage" -p1 -N -s -r - --no-backup-if-mismatch <"$p" >&2 ||
			die "patch $p does not apply to $(cat "$pristine/.devexctl-unpacked")"
	done
	# Record the union first: an interrupted update is redone by the next run.
	cp "$stage.files" "$work/.devexctl-touched"
	rm -f "$work/.devexctl-patches"
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		if [ -f "$stage/$f" ]; then
			cmp -s "$stage/$f" "$work/$f" 2>/dev/null && continue
			mkdir -p "$work/$(dirname "$f")"
			cp "$stage/$f" "$work/$f"
		else
			rm -f -- "$work/$f"
		fi
	done <"$stage.files"
	[ $# -eq 0 ] || patch_files "$@" >"$work/.devexctl-touched"
	[ $# -gt 0 ] || rm -f "$work/.devexctl-touched"
	rm -rf "$stage" "$stage.files"
}

# The source tree a run builds from, named for the lock that keeps two runs
# from patching or building it at once (runs of other trees go on).
kernel_tree_name() {
	if [ -n "$KERNEL_TREE" ]; then
		echo "tree-$(printf '%s' "$(cd "$KERNEL_TREE" 2>/dev/null && pwd || echo "$KERNEL_TREE")" |
			sha256sum | cut -c1-12)"
	elif [ "$CONFIG_NAME" = distro ]; then
		echo distro
	elif [ "$KVER" != 7.3 ]; then
		echo "linux-$KVER"
	elif [ "$CONFIG_NAME" = stock ]; then
		echo linux-stock
	else
		echo linux
	fi
}

# Pristine Debian tree + patches -> $CACHE/work/linux (7.3 with the series),
# linux-stock (7.3 without it) or linux-6.12. Incremental: only files whose
# patched content differs from the last run are rewritten.
kernel_prepare_debian_tree() {
	local pristine work want have
	local -a patches
	log "kernel source: Debian linux-source-$KVER (download + unpack ~2 min on the first run only)"
	pristine=$(run_timed 1800 "$REPO/scripts/kernel-source" --version "$KVER" --cache "$CACHE") ||
		die "could not fetch the kernel source (scripts/kernel-source --version $KVER)"
	work=$CACHE/work/$(kernel_tree_name)
	mapfile -t patches < <(patch_set)
	want=$(printf '%s\n' "${patches[@]}" | grep . | patch_set_hash || true)
	[ ${#patches[@]} -gt 0 ] || want=none
	if [ ! -f "$work/.devexctl-copied" ]; then
		log "copying pristine tree to $work (~20 s)"
		# Builds of this tree would mix old and new objects.
		if [ "$work" = "$CACHE/work/linux" ]; then
			rm -rf "$work" "$CACHE/build/debian-"{plain,debug,nodevexcl}
		else
			rm -rf "$work" "$CACHE/build/$(kernel_build_name)"
		fi
		mkdir -p "$CACHE/work"
		cp -a "$pristine" "$work"
		touch "$work/.devexctl-copied"
	fi
	have=$(cat "$work/.devexctl-patches" 2>/dev/null || echo "none")
	if [ "$want" != "$have" ]; then
		apply_patch_set "$work" "$pristine" "${patches[@]}"
		echo "$want" >"$work/.devexctl-patches"
	fi
	KSRC=$work
	KBUILD=$CACHE/build/$(kernel_build_name)
}

# Build directory name: debian-CONFIG for 7.3, debian-6.12-CONFIG otherwise.
# nodevexcl builds in plain's directory: the two differ only in
# CONFIG_DEVEXCL_DEBUG (kernel-debugfs/config/nodevexcl), so switching
# between them rebuilds the few files that symbol reaches (Kbuild's
# include/config/ dependencies) rather than a whole kernel. A copy of the
# directory would not do: objtool's build records its absolute output path,
# and a rebuilt objtool rebuilds every object.
kernel_build_name() {
	if [ "$KVER" = 7.3 ] && [ "$CONFIG_NAME" = nodevexcl ]; then
		echo "debian-plain"
	elif [ "$KVER" = 7.3 ]; then
		echo "debian-$CONFIG_NAME"
	else
		echo "debian-$KVER-$CONFIG_NAME"
	fi
}

kernel_prepare_tree() {
	if [ -n "$KERNEL_TREE" ]; then
		[ -f "$KERNEL_TREE/Makefile" ] || die "--kernel-tree $KERNEL_TREE: no kernel Makefile there"
		[ ${#EXTRA_PATCHES[@]} -eq 0 ] ||
			die "--kernel-patch cannot be combined with --kernel-tree (apply it to your tree)"
		KSRC=$(cd "$KERNEL_TREE" && pwd)
		KBUILD=$CACHE/build/tree-$(printf '%s' "$KSRC" | sha256sum | cut -c1-12)-$CONFIG_NAME
		log "using kernel tree $KSRC (no kernel-debugfs/patches applied)"
	else
		kernel_prepare_debian_tree
	fi
	mkdir -p "$KBUILD"
	BZIMAGE=$KBUILD/arch/x86/boot/bzImage
}

kernel_fragments() {
	echo "$REPO/kernel-debugfs/config/plain"
	[ "$CONFIG_NAME" = plain ] || echo "$REPO/kernel-debugfs/config/$CONFIG_NAME"
	# The devexcl patch's own symbol, only when the tree has it.
	if [ "$CONFIG_NAME" != nodevexcl ] &&
		grep -qs '^config DEVEXCL_DEBUG$' "$KSRC/mm/Kconfig"; then
		echo "$REPO/kernel-debugfs/config/devexcl"
	fi
}

kmake() {
	make -C "$KSRC" O="$KBUILD" ARCH="$KARCH" "$@"
}

# Every CONFIG_X=v and "# CONFIG_X is not set" line of the fragments must hold.
kernel_verify_config() {
	local frag line sym val bad=0
	for frag in "$@"; do
		while IFS= read -r line; do
			case $line in
			CONFIG_*=*)
				if ! grep -qxF -- "$line" "$KBUILD/.config"; then
					sym=${line%%=*}
					val=$(grep -E "^(# )?${sym}[= ]" "$KBUILD/.config" || echo "absent")
					log "config: wanted $line, got: $val"
					bad=1
				fi
				;;
			"# CONFIG_"*" is not set")
				sym=${line#"# "}; sym=${sym%% *}
				if grep -qE "^$sym=" "$KBUILD/.config"; then
					log "config: wanted $sym off, got: $(grep -E "^$sym=" "$KBUILD/.config")"
					bad=1
				fi
				;;
			esac
		done <"$frag"
	done
	[ "$bad" = 0 ] || die "requested config symbols did not survive olddefconfig (missing dependencies?) in $KBUILD/.config"
}

kernel_configure() {
	local -a frags
	local want
	mapfile -t frags < <(kernel_fragments)
	want=$( { echo "$KARCH"; cat "${frags[@]}"; } | sha256sum | cut -c1-16)
	if [ -f "$KBUILD/.config" ] && [ "$(cat "$KBUILD/.devexctl-config" 2>/dev/null)" = "$want" ]; then
		return 0
	fi
	log "configuring kernel ($CONFIG_NAME): tinyconfig + ${frags[*]##*/} (~30 s)"
	rm -f "$KBUILD/.devexctl-config"
	{
		kmake tinyconfig &&
		(cd "$KBUILD" && "$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KBUILD" "$KBUILD/.config" "${frags[@]}") &&
		kmake olddefconfig
	} >"$KBUILD/config.log" 2>&1 || {
		tail -n 30 "$KBUILD/config.log" >&2
		die "kernel configuration failed (log: $KBUILD/config.log)"
	}
	kernel_verify_config "${frags[@]}"
	# DEBUG_INFO_BTF silently goes without pahole; the fragment above already
	# insists on it, but say what to install.
	if [ "$CONFIG_NAME" = stock ] && ! grep -qx 'CONFIG_DEBUG_INFO_BTF=y' "$KBUILD/.config"; then
		die "CONFIG_DEBUG_INFO_BTF did not survive olddefconfig: install pahole (dwarves)"
	fi
	echo "$want" >"$KBUILD/.devexctl-config"
}

kernel_build() {
	local before after t0 est
	kernel_configure
	before=$(stat -c %Y "$BZIMAGE" 2>/dev/null || echo 0)
	case $CONFIG_NAME in
	debug) est="~10 min" ;;
	stock) est="~7 min (debug info and BTF)" ;;
	*) est="~4 min" ;;
	esac
	if [ "$before" = 0 ]; then
		log "building kernel ($CONFIG_NAME) from scratch: $est on $(nproc) cores (log: $KBUILD/build.log)"
	else
		log "building kernel ($CONFIG_NAME) incrementally (no-op in ~15 s when nothing changed)"
	fi
	t0=$(date +%s)
	if ! run_timed "$DEVEXCTL_BUILD_TIMEOUT" make -C "$KSRC" O="$KBUILD" ARCH="$KARCH" \
		-j"$(nproc)" bzImage >"$KBUILD/build.log" 2>&1; then
		grep -E 'error|Error' "$KBUILD/build.log" | head -n 20 >&2 || true
		tail -n 20 "$KBUILD/build.log" >&2
		die "kernel build failed (log: $KBUILD/build.log)"
	fi
	after=$(stat -c %Y "$BZIMAGE")
	if [ "$after" = "$before" ]; then
		log "kernel up to date ($(( $(date +%s) - t0 )) s)"
	else
		log "kernel built in $(( $(date +%s) - t0 )) s: $BZIMAGE"
	fi
}

# The uapi headers guest programs build against: one install per source
# tree (plain, debug and nodevexcl share work/linux's), outside the build
# directories since headers_install needs no configuration. They follow
# the uapi sources, not the config or the rest of the patch set: a breaker
# patch to mm/ or a switch between configs keeps them (~40 s saved each).
kernel_headers() {
	local dir want
	dir=$CACHE/headers/$(kernel_tree_name)
	# shellcheck disable=SC2034 # used by initramfs.sh
	KHDR=$dir/usr/include
	KHDR_STAMP=$dir/.devexctl-headers
	want=$(uapi_stamp)
	[ "$(cat "$KHDR_STAMP" 2>/dev/null)" != "$want" ] || return 0
	log "installing kernel uapi headers for guest programs (~40 s)"
	rm -rf "$dir"
	mkdir -p "$dir"
	make -C "$KSRC" O="$dir" ARCH="$KARCH" headers_install >"$dir/headers.log" 2>&1 || {
		tail -n 5 "$dir/headers.log" >&2
		die "make headers_install failed (log: $dir/headers.log)"
	}
	echo "$want" >"$KHDR_STAMP"
}

# What the installed uapi headers depend on: the content of every uapi file
# the patch set touches in a Debian tree; for a --kernel-tree, the kernel
# image (reinstalled whenever it was rebuilt).
uapi_stamp() {
	local f
	if [ -n "$KERNEL_TREE" ]; then
		stat -c %Y "$BZIMAGE"
		return
	fi
	{
		echo "$KSRC"
		{ grep -E '(^|/)uapi/' "$KSRC/.devexctl-touched" 2>/dev/null || true; } |
			while IFS= read -r f; do
				echo "$f"
				cat "$KSRC/$f" 2>/dev/null || true
			done
	} | sha256sum | cut -c1-16
}

kernel_release() {
	cat "$KBUILD/include/config/kernel.release" 2>/dev/null || echo unknown
}
