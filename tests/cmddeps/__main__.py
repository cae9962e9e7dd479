# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/cmddeps: every command the project's scripts run must come from a
package that scripts/deps installs, or from one that every minimal Debian
12 has (issue 18: ps and free from procps were missing from the list, and
only a minbase system showed it).

    python3 tests/cmddeps [-v] SRCDIR   check; exit 0 ok, 1 gaps, 77 cannot
                                        check (-v: how each command is provided)
    python3 tests/cmddeps --list SRCDIR the commands found, where (no dpkg)
    python3 tests/cmddeps --derive-minbase  the minbase set from apt's index

A command that is not installed here fails when every package scripts/deps
lists is installed (none of them provides it); while some are not (scripts/
deps has not been run here, say in a package build's chroot) it cannot be
told which package the command needs, and the check skips (77) unless
something else fails.  A command from an installed package that is neither
listed, nor pulled in, nor minbase fails either way.  Not checked: Python
scripts (they run no commands) and Makefile recipes.

What is checked:
  host   every shell script in scripts/, tests/ (but tests/vm/guest/), bench/
         and .ci/: each command must resolve (in /usr/sbin:/usr/bin:/sbin:
         /bin, never /usr/local or a home directory) to a file that dpkg
         says belongs to an acceptable package:
           - listed: in scripts/deps' pkgs=( ... ) or in tests/vm/deps.txt,
           - or a dependency of a listed package: the Depends/Pre-Depends
             closure as dpkg's status file has it, following in an
             "a | b" group only the first alternative (what apt installs on
             a system that has neither; --no-install-recommends, so no
             Recommends),
           - or in MINBASE (policy.py).
         An alternative (/etc/alternatives) is fine when any of the
         installed alternatives' packages is acceptable.
  guest  the scripts in tests/vm/guest/ run in the QEMU guest under
         busybox (tests/vm/lib/initramfs.sh): each command must be a
         busybox applet (/bin/busybox --list-full of busybox-static, which
         tests/vm/deps.txt lists) or a program the harness puts into the
         initramfs (GUEST_PROGRAMS).  So must the `--run 'CMD'` strings
         given to tests/vm/run, and the guest scripts written by heredocs
         (CODE_HEREDOCS).  bench/measure.sh runs on both sides.
  #!     the interpreter of every script (#!/usr/bin/env python3: env and
         python3) on the side it runs.

shfmt parses the scripts (shparse.py); commands.py finds the commands in
the syntax trees (wrappers, code in strings, functions of sourced files).
policy.py's ALLOWLIST and INDIRECT cover what it cannot decide, each with
its reason.
"""

import os
import subprocess
import sys

sys.dont_write_bytecode = True      # nothing into the source tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# pylint: disable=wrong-import-position
from cmddeps.commands import gather                                 # noqa: E402
from cmddeps.packages import (candidates, closure, derive_minbase,  # noqa: E402
                              dpkg_owners, dpkg_status, listed_packages,
                              locate, provider, STATUS)
from cmddeps.policy import (ALLOWLIST, BUSYBOX, GUEST_DIR,          # noqa: E402
                            GUEST_OWN_DIRS, GUEST_PROGRAMS)


def fmt_uses(uses, limit=4):
    locs = []
    for u in uses:
        loc = "%s (%s)" % (u.rel, u.note) if u.note else "%s:%d" % (u.rel, u.line)
        if loc not in locs:
            locs.append(loc)
    more = " (+%d more)" % (len(locs) - limit) if len(locs) > limit else ""
    return ", ".join(locs[:limit]) + more


def by_command(uses):
    by_cmd = {}
    for u in uses:
        by_cmd.setdefault((u.ctx, u.name), []).append(u)
    return by_cmd


def list_uses(src):
    """--list: every command found, for the parser's own test."""
    _, uses = gather(src)
    for (ctx, name), us in sorted(by_command(uses).items()):
        print("%s %s\t%s" % (ctx, name, fmt_uses(us, 100)))
    return 0


def guest_programs(src):
    """What the guest has: busybox's applets (empty without busybox here)
    and the harness' programs, each with where it comes from."""
    applets = set()
    if os.access(BUSYBOX, os.X_OK):
        r = subprocess.run([BUSYBOX, "--list-full"], stdout=subprocess.PIPE,
                           universal_newlines=True, check=False)
        for a in r.stdout.split():
            applets.add("/" + a)
            applets.add(os.path.basename(a))
    ok = {}
    guest_dir = os.path.join(src, GUEST_DIR)
    for f in os.listdir(guest_dir) if os.path.isdir(guest_dir) else ():
        if f.endswith(".c"):
            ok[f[:-2]] = "tests/vm/guest/%s (in /usr/bin)" % f
            ok["/usr/bin/" + f[:-2]] = ok[f[:-2]]
        elif not f.endswith(".tab"):
            ok[f] = "tests/vm/guest/%s (in /usr/share/devexctl-vm)" % f
    for p, why in GUEST_PROGRAMS.items():
        ok[p] = ok["/usr/bin/" + p] = "the harness: " + why
    return applets, ok


def elsewhere(name):
    """Where on $PATH, outside the system directories, NAME is."""
    if name.startswith("/"):
        return None
    for d in os.environ.get("PATH", "").split(":"):
        if d and os.access(os.path.join(d, name), os.X_OK):
            return os.path.join(d, name)
    return None


class Check:
    def __init__(self, src):
        self.listed = listed_packages(src)
        self.inst, provides = dpkg_status()
        self.via = closure(sorted(self.listed), self.inst, provides)
        # Listed but not installed: scripts/deps has not been run here.
        self.absent = sorted(p for p in self.listed if p not in self.inst)
        self.applets, self.guest_ok = guest_programs(src)
        self.fails, self.report, self.missing = [], [], []

    def ok(self, ctx, name, how):
        self.report.append("%-5s %-22s %s" % (ctx, name, how))

    def guest(self, name, uses):
        if name in self.applets:
            self.ok("guest", name, "busybox applet")
        elif name in self.guest_ok:
            self.ok("guest", name, self.guest_ok[name])
        elif name.startswith(GUEST_OWN_DIRS):
            self.ok("guest", name, "the project's own file")
        elif not self.applets:
            self.missing.append(("guest", name, uses))
        else:
            self.fails.append("guest command %s is neither a busybox applet nor a "
                              "program the harness puts into the guest: %s"
                              % (name, fmt_uses(uses)))

    def hosts(self, host):
        """HOST: (name, file it runs) -> uses."""
        cands = {k: candidates(k[1]) for k in host}
        paths = set()
        for direct, alts in cands.values():
            paths |= direct | alts
        owners = dpkg_owners(paths)
        for (name, path), uses in sorted(host.items()):
            direct, alts = cands[(name, path)]
            pk_direct = set().union(*(owners.get(p, set()) for p in direct))
            pk_alts = set().union(*(owners.get(p, set()) for p in alts))
            how = provider(pk_direct, pk_alts, self.listed, self.via)
            if how:
                self.ok("host", name, how)
            elif not pk_direct | pk_alts:
                self.fails.append("host command %s (%s) belongs to no Debian package: %s"
                                  % (name, path, fmt_uses(uses)))
            else:
                self.fails.append(
                    "host command %s comes from %s, which neither scripts/deps nor "
                    "tests/vm/deps.txt lists (nor anything they pull in), and which "
                    "is not in a minbase Debian 12: %s"
                    % (name, " or ".join(sorted(pk_direct | pk_alts)), fmt_uses(uses)))

    def not_installed(self):
        """Commands missing here: a gap when every listed package is
        installed, else (returned) what scripts/deps not run explains."""
        gaps = []   # (what, where)
        guest = [name for ctx, name, _ in self.missing if ctx == "guest"]
        if guest:
            gaps.append(("cannot check the guest's commands: no %s to list the applets "
                         "of (busybox-static, tests/vm/deps.txt, is not installed)"
                         % BUSYBOX, " ".join(guest)))
        for ctx, name, uses in self.missing:
            if ctx == "host":
                other = elsewhere(name)
                gaps.append(("host command %s is not installed%s" % (
                    name, " from a package (only %s)" % other if other else ""),
                    fmt_uses(uses)))
        if self.absent:
            return ["%s: %s" % g for g in gaps]
        self.fails += ["%s; every package scripts/deps lists is installed, so none of "
                       "them provides it: add its package to scripts/deps: %s" % g
                       for g in gaps]
        return []


def check(src, verbose):
    if not os.path.exists(os.path.join(src, "scripts/deps")):
        print("SKIP: no scripts/deps in %s (a distribution tarball?)" % src)
        return 77
    if not os.path.exists(STATUS) or not locate("dpkg-query"):
        print("SKIP: not a Debian system (no dpkg): cannot map commands to packages")
        return 77
    scripts, uses = gather(src)
    by_cmd = by_command(uses)
    c = Check(src)
    host = {}
    for (ctx, name), us in sorted(by_cmd.items()):
        if (ctx, name) in ALLOWLIST:
            c.ok(ctx, name, "allowlisted: " + ALLOWLIST[(ctx, name)])
        elif ctx == "guest":
            c.guest(name, us)
        else:
            path = locate(name)
            if path is None:
                c.missing.append((ctx, name, us))
            else:
                host[(name, path)] = us
    c.hosts(host)
    notes = c.not_installed()
    if verbose:
        for line in sorted(c.report):
            print(line)
    for f in c.fails:
        print("FAIL: " + f)
    for n in notes:
        print("NOT INSTALLED: " + n)
    print("cmddeps: %d shell scripts, %d commands (%d host, %d guest), %d not provided, "
          "%d not installed here"
          % (sum(1 for s in scripts if s.parsed), len(by_cmd),
             sum(1 for k, _ in by_cmd if k == "host"),
             sum(1 for k, _ in by_cmd if k == "guest"), len(c.fails), len(notes)))
    if notes:
        print("%s: scripts/deps has not been run here (of the packages it lists, %s "
              "not installed), so which packages the commands above need cannot be "
              "told: run scripts/deps, then make check"
              % ("note" if c.fails else "SKIP", " ".join(c.absent)))
    if c.fails:
        return 1
    if notes:
        return 77
    return 0


def main(argv):
    if argv[1:2] == ["--derive-minbase"]:
        return derive_minbase()
    if argv[1:2] == ["--list"] and len(argv) == 3:
        return list_uses(argv[2])
    verbose = "-v" in argv[1:]
    args = [a for a in argv[1:] if a != "-v"]
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    return check(args[0], verbose)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
