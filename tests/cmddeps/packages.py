# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/cmddeps/packages.py: the package side of the command check.

The packages scripts/deps installs (its pkgs=( ... ) and
tests/vm/deps.txt), what dpkg says is installed and what each installed
package depends on, the closure of the listed ones, which file a command
name runs and which package owns it (usrmerge twins, /etc/alternatives),
and the minbase set from apt's index (--derive-minbase)."""

import os
import re
import subprocess

from .policy import MINBASE, MINBASE_PREFER, SYS_PATH

STATUS = "/var/lib/dpkg/status"


def listed_packages(src):
    """scripts/deps' pkgs=( ... ) and tests/vm/deps.txt."""
    with open(os.path.join(src, "scripts/deps"), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"(^|\s)#[^\n]*", r"\1", text)
    m = re.search(r"^pkgs=\(([^)]*)\)", text, re.M)
    if not m:
        raise SystemExit("cmddeps: no pkgs=( ... ) in scripts/deps")
    pkgs = {p: "scripts/deps" for p in m.group(1).split()}
    txt = os.path.join(src, "tests/vm/deps.txt")
    if os.path.exists(txt):
        with open(txt, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    pkgs.setdefault(line, "tests/vm/deps.txt")
    return pkgs


def dpkg_status(path=STATUS):
    """Installed packages: name -> (depends groups, provides)."""
    inst, provides = {}, {}
    with open(path, encoding="utf-8", errors="replace") as f:
        paras = f.read().split("\n\n")
    for p in paras:
        fields, key = {}, None
        for line in p.split("\n"):
            if line[:1] in (" ", "\t"):
                if key:
                    fields[key] += " " + line.strip()
                continue
            k, _, v = line.partition(":")
            key = k
            fields[k] = v.strip()
        name = fields.get("Package")
        if not name or not fields.get("Status", "").endswith(" installed"):
            continue
        groups = inst.setdefault(name, [])
        for fld in ("Pre-Depends", "Depends"):
            for g in fields.get(fld, "").split(","):
                alts = [re.split(r"[\s(:]", a.strip(), 1)[0] for a in g.split("|")]
                if alts and alts[0]:
                    groups.append(alts)
        for pr in fields.get("Provides", "").split(","):
            pr = re.split(r"[\s(:]", pr.strip(), 1)[0]
            if pr:
                provides.setdefault(pr, set()).add(name)
    return inst, provides


def closure(roots, inst, provides):
    """Package -> the chain of packages that pulls it in."""
    via = {}
    todo = [(r, (r,)) for r in roots]
    while todo:
        p, chain = todo.pop(0)
        if p in via:
            continue
        if p not in inst:
            for q in sorted(provides.get(p, ())):
                todo.append((q, chain + (q,)))
            continue
        via[p] = chain
        for alts in inst[p]:
            todo.append((alts[0], chain + (alts[0],)))
    return via


def usr_twin(p):
    for a, b in (("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/"),
                 ("/bin/", "/usr/bin/"), ("/sbin/", "/usr/sbin/"),
                 ("/usr/lib/", "/lib/"), ("/lib/", "/usr/lib/")):
        if p.startswith(a):
            return b + p[len(a):]
    return p


def alternatives(name, admindir="/var/lib/dpkg/alternatives"):
    """The paths that alternative link NAME (master or slave) may point to."""
    try:
        files = sorted(os.listdir(admindir))
    except OSError:
        return []
    for f in files:
        try:
            with open(os.path.join(admindir, f), encoding="utf-8") as fh:
                lines = fh.read().split("\n")
        except OSError:
            continue
        if len(lines) < 3:
            continue
        slaves = []
        i = 2
        while i < len(lines) and lines[i]:
            slaves.append(lines[i])
            i += 2
        i += 1
        if f != name and name not in slaves:
            continue
        col = None if f == name else slaves.index(name)
        out = []
        while i + 1 < len(lines) and lines[i]:
            alt = lines[i]
            sl = lines[i + 2:i + 2 + len(slaves)]
            out.append(alt if col is None else (sl[col] if col < len(sl) else ""))
            i += 2 + len(slaves)
        return [p for p in out if p]
    return []


def locate(name):
    """The file a command name runs, in the system directories only."""
    if name.startswith("/"):
        return name if os.path.exists(name) else None
    for d in SYS_PATH:
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def candidates(path):
    """Paths dpkg may know the command by: (direct, via alternatives)."""
    direct, alts = {path, usr_twin(path)}, set()
    p, seen = path, set()
    while os.path.islink(p) and p not in seen:
        seen.add(p)
        t = os.readlink(p)
        t = os.path.normpath(os.path.join(os.path.dirname(p), t))
        if t.startswith("/etc/alternatives/"):
            for a in alternatives(os.path.basename(t)):
                alts |= {a, usr_twin(a), os.path.realpath(a)}
        direct |= {t, usr_twin(t)}
        p = t
    r = os.path.realpath(path)
    direct |= {r, usr_twin(r)}
    return direct, alts


def dpkg_owners(paths):
    """path -> {package} for the paths dpkg knows."""
    owners = {}
    paths = sorted(p for p in paths if not any(ch in p for ch in "*?[]\\"))
    if not paths:
        return owners
    r = subprocess.run(["dpkg-query", "-S"] + paths, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True, check=False)
    for line in r.stdout.splitlines():
        if line.startswith("diversion by "):
            continue
        pk, sep, p = line.partition(": ")
        if sep:
            owners.setdefault(p, set()).update(x.strip().split(":")[0] for x in pk.split(","))
    return owners


def derive_minbase():
    """Print bookworm's minbase set from the local apt index (maintainers)."""
    r = subprocess.run(["apt-cache", "dumpavail"], stdout=subprocess.PIPE,
                       universal_newlines=True, check=True)
    pk = {}
    for para in r.stdout.split("\n\n"):
        f = dict(re.findall(r"^([A-Za-z-]+): ?(.*)$", para, re.M))
        if f.get("Package") and f.get("Architecture") in ("amd64", "all", None):
            pk.setdefault(f["Package"], f)
    todo = [n for n, f in pk.items()
            if f.get("Priority") == "required" or f.get("Essential") == "yes"]
    seen = set()
    while todo:
        n = todo.pop()
        n = MINBASE_PREFER.get(n, n)
        if n in seen or n not in pk:
            continue
        seen.add(n)
        for fld in ("Pre-Depends", "Depends"):
            for g in pk[n].get(fld, "").split(","):
                a = re.split(r"[\s(:|]", g.strip(), 1)[0]
                if a:
                    todo.append(a)
    print(" ".join(sorted(seen)))
    return 0


def provider(pk_direct, pk_alts, listed, via):
    """How a command whose file the packages PK_DIRECT own (PK_ALTS: the
    packages of its other alternatives) is provided, or None: the first of
    a listed package, a minbase one, one that a listed package pulls in."""
    order = sorted(pk_direct) + sorted(pk_alts - pk_direct)
    for rule in ("listed", "minbase", "via"):
        for pk in order:
            how = None
            if rule == "listed" and pk in listed:
                how = "%s (listed in %s)" % (pk, listed[pk])
            elif rule == "minbase" and pk in MINBASE:
                how = "%s (minbase)" % pk
            elif rule == "via" and pk in via:
                how = "%s (via %s)" % (pk, " -> ".join(via[pk]))
            if how:
                return how if pk in pk_direct else how + ", an alternative"
    return None
