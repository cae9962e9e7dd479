# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/cmddeps/policy.py: what the command check accepts without a
package in scripts/deps' list, each with its reason, and what it knows of
the shells and of the project's layout.  The lists only: no code."""

# Debian 12 (bookworm) minbase: `debootstrap --variant=minbase bookworm`, the
# same set as the debian:12 container image.  The packages of bookworm main
# (amd64) with Priority: required or Essential: yes, plus the closure of
# their Depends and Pre-Depends (awk -> mawk; usrmerge | usr-is-merged ->
# usr-is-merged, as debootstrap does).  Regenerate on a release upgrade with
# `python3 tests/cmddeps --derive-minbase` (reads `apt-cache dumpavail`).
MINBASE = set("""
adduser apt base-files base-passwd bash bsdutils coreutils dash debconf
debian-archive-keyring debianutils diffutils dpkg e2fsprogs findutils
gcc-12-base gpgv grep gzip hostname init-system-helpers libacl1
libapt-pkg6.0 libattr1 libaudit-common libaudit1 libblkid1 libbz2-1.0
libc-bin libc6 libcap-ng0 libcap2 libcom-err2 libcrypt1 libdb5.3
libdebconfclient0 libext2fs2 libffi8 libgcc-s1 libgcrypt20 libgmp10
libgnutls30 libgpg-error0 libhogweed6 libidn2-0 liblz4-1 liblzma5 libmd0
libmount1 libnettle8 libp11-kit0 libpam-modules libpam-modules-bin
libpam-runtime libpam0g libpcre2-8-0 libseccomp2 libselinux1
libsemanage-common libsemanage2 libsepol2 libsmartcols1 libss2 libstdc++6
libsystemd0 libtasn1-6 libtinfo6 libudev1 libunistring2 libuuid1
libxxhash0 libzstd1 login logsave mawk mount ncurses-base ncurses-bin
passwd perl-base sed sysvinit-utils tar tzdata usr-is-merged util-linux
util-linux-extra zlib1g
""".split())
MINBASE_PREFER = {"awk": "mawk", "usrmerge": "usr-is-merged"}

# Commands the scripts run that need no listed package, each with its
# reason.  (context, command) -> reason; context is "host" or "guest".
ALLOWLIST = {
    ("host", "sudo"): "scripts/deps runs apt-get through sudo only when not "
    "root, after `command -v sudo` (it cannot install sudo itself)",
    ("host", "git"): "only tests/vm/lib/initramfs.sh, only when tests/vm/run "
    "builds devexctl itself (scripts/test always passes --devexctl), and only "
    "in a git work tree: without git, `git rev-parse` fails and it copies the "
    "tree whole",
    ("host", "_devexctl"): "not a command: the completion function of the "
    "script `devexctl completion bash` writes (tests/cmd/help.sh sources it)",
    ("guest", "getconf"): "bench/measure.sh: `getconf PAGESIZE || echo 4096`; "
    "busybox has no getconf, the guest (x86-64) takes the fallback",
}

# Commands run in a way the parser cannot see: context, command, where, why.
INDIRECT = [
    ("host", "qemu-system-x86_64", "tests/vm/lib/qemu.sh",
     "qemu_cmd prints the command line, qemu_run runs it from an array"),
    ("host", "flex", "tests/vm/lib/kernel.sh", "the kernel build (make bzImage)"),
    ("host", "bison", "tests/vm/lib/kernel.sh", "the kernel build (make bzImage)"),
    ("host", "bc", "tests/vm/lib/kernel.sh", "the kernel build (make bzImage)"),
    ("host", "pahole", "tests/vm/lib/kernel.sh",
     "the stock kernel build (DEBUG_INFO_BTF)"),
]

# What the harness puts into the guest besides busybox
# (tests/vm/lib/initramfs.sh): every tests/vm/guest/*.c as /usr/bin/NAME, the
# guest scripts in /usr/share/devexctl-vm (on the guest's PATH) and these.
GUEST_PROGRAMS = {
    "devexctl": "stage_devexctl",
    "hmm-tests": "guest_programs (the kernel's selftest)",
    "tmux": "stage_tmux (copied from the host: tmux is listed)",
}
# Absolute guest paths of the project's own files.
GUEST_OWN_DIRS = ("/usr/share/devexctl-vm/", "/usr/local/", "/tmp/", "/etc/")

# Host scripts that also run in the guest (bench/run --guest adds it).
DUAL = {"bench/measure.sh"}

# Heredocs that are scripts: (file, delimiter) -> context.  A heredoc whose
# first line is #! is a script run where its file runs.
CODE_HEREDOCS = {
    ("bench/run", "EOF"): "guest",           # bench-guest
    ("bench/tracepoints", "GUEST"): "guest",  # bench-tp
}

SCAN_DIRS = ("scripts", "tests", "bench", ".ci")
SKIP_DIRS = {"tests/work", "tests/fuzz/work", ".deps", ".libs", "autom4te.cache",
             "__pycache__"}
GUEST_DIR = "tests/vm/guest"
SYS_PATH = ("/usr/sbin", "/usr/bin", "/sbin", "/bin")
BUSYBOX = "/bin/busybox"    # what tests/vm/lib/initramfs.sh puts in the guest

KEYWORDS = {
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for",
    "in", "case", "esac", "select", "function", "time", "{", "}", "!", "[[",
    "]]", "coproc",
}
BUILTINS = {
    ".", ":", "[", "alias", "bg", "bind", "break", "builtin", "caller", "cd",
    "command", "compgen", "complete", "compopt", "continue", "declare",
    "dirs", "disown", "echo", "enable", "eval", "exec", "exit", "export",
    "false", "fc", "fg", "getopts", "hash", "help", "history", "jobs", "kill",
    "let", "local", "logout", "mapfile", "popd", "printf", "pushd", "pwd",
    "read", "readarray", "readonly", "return", "set", "shift", "shopt",
    "source", "suspend", "test", "times", "trap", "true", "type", "typeset",
    "ulimit", "umask", "unalias", "unset", "wait",
}

# Commands that run another command: options taking an argument, number of
# positional arguments before the command.
WRAPPERS = {
    "exec": ({"-a"}, 0),
    "command": (set(), 0),
    "builtin": (set(), 0),
    "time": (set(), 0),
    "nohup": (set(), 0),
    "nice": ({"-n"}, 0),
    "env": ({"-u", "-C", "-S"}, 0),
    "sudo": ({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"}, 0),
    "timeout": ({"-k", "-s"}, 1),
    "setpriv": (set(), 0),
    "setsid": (set(), 0),
    "chroot": (set(), 1),
    "stdbuf": ({"-i", "-o", "-e"}, 0),
    "xargs": ({"-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s"}, 0),
    "ionice": ({"-c", "-n"}, 0),
    "taskset": (set(), 1),
    "unshare": (set(), 0),
    "flock": ({"-w", "-E"}, 1),
    "valgrind": (set(), 0),
    "strace": ({"-o", "-e", "-p", "-s"}, 0),
    "busybox": (set(), 0),
    "cttyhack": (set(), 0),  # busybox applet
    "ptyrun": (set(), 0),    # tests/vm/guest/ptyrun.c
    "runas": (set(), 1),     # tests/vm/guest/runas.c
}
# The shells, with the dialect shfmt parses their scripts in (-ln).  Busybox
# ash takes some of bash's syntax: a script that is not POSIX sh is parsed
# again as bash (shparse.py).
SHELLS = {"sh": "posix", "dash": "posix", "ash": "posix", "bash": "bash"}
