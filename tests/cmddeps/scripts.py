# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/cmddeps/scripts.py: the project's scripts, where each runs (host,
guest or both), which shell dialect it is in, and which of them share
functions and arrays because one sources another."""

import os
import re

from .policy import DUAL, GUEST_DIR, SCAN_DIRS, SHELLS, SKIP_DIRS
from . import shparse


class Script:
    def __init__(self, rel, text, contexts):
        self.rel = rel
        self.text = text
        self.contexts = contexts
        self.parsed = None
        self.comp = None
        self.dialect = dialect(text)


class Use:
    """Where a command is used (note: how, for the INDIRECT ones)."""
    __slots__ = ("ctx", "name", "rel", "line", "note")

    def __init__(self, ctx, name, rel, line, note=None):
        self.ctx, self.name, self.rel, self.line = ctx, name, rel, line
        self.note = note


def shebang(text):
    first = text.split("\n", 1)[0]
    if not first.startswith("#!"):
        return None
    return first[2:].split()


def shell_of(text):
    """The shell a script names in its #! line or its shellcheck
    directive, or None."""
    sb = shebang(text)
    if sb:
        prog = os.path.basename(sb[0])
        if prog == "env" and len(sb) > 1:
            prog = sb[1]
        return prog
    m = re.search(r"^# shellcheck shell=(\w+)", text[:2000], re.M)
    return m.group(1) if m else None


def is_shell(rel, text):
    sh = shell_of(text)
    if text.startswith("#!"):
        return sh in SHELLS
    return rel.endswith(".sh") or sh is not None


def dialect(text):
    """shfmt's -ln for a script: from its #! line or shellcheck directive;
    the libraries without either are sourced by bash scripts."""
    return SHELLS.get(shell_of(text), "bash")


def collect(src):
    """Every file with a #! line, and the shell libraries, parsed."""
    scripts = []
    for top in SCAN_DIRS:
        for d, dirs, files in os.walk(os.path.join(src, top)):
            reld = os.path.relpath(d, src)
            dirs[:] = sorted(x for x in dirs
                             if os.path.join(reld, x) not in SKIP_DIRS and x not in SKIP_DIRS)
            for f in sorted(files):
                rel = os.path.join(reld, f)
                if f.endswith((".c", ".h", ".o", ".patch", ".tab", ".log", ".trs")):
                    continue
                try:
                    with open(os.path.join(src, rel), encoding="utf-8") as fh:
                        text = fh.read()
                except (UnicodeDecodeError, OSError):
                    continue
                if not text.startswith("#!") and (f.endswith(".py") or not is_shell(rel, text)):
                    continue
                if reld == GUEST_DIR:
                    ctx = ("guest",)
                elif rel in DUAL:
                    ctx = ("host", "guest")
                else:
                    ctx = ("host",)
                scripts.append(Script(rel, text, ctx))
    shells = [s for s in scripts if is_shell(s.rel, s.text)]
    shparse.prefetch([(s.text.encode("utf-8"), s.dialect) for s in shells])
    for s in shells:
        try:
            s.parsed = shparse.parse(s.text, s.dialect)
        except shparse.ParseError as e:
            raise SystemExit("cmddeps: shfmt cannot parse %s: %s" % (s.rel, e))
    return scripts


class Component:
    """Scripts that source one another share their functions and arrays."""

    def __init__(self):
        self.funcs = {}
        self.arrays = {}     # name -> [([Word], line, rel)]
        self.wrappers = {}   # function -> arguments before the command


def link_components(scripts):
    """Each parsed script's Component: the scripts it sources (. FILE,
    source FILE) and those that source it."""
    by_rel = {s.rel: s for s in scripts if s.parsed}
    parent = {r: r for r in by_rel}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s in by_rel.values():
        for c in s.parsed.cmds:
            if c.words[0].literal() not in (".", "source") or len(c.words) < 2:
                continue
            path = c.words[1].loose()
            path = re.sub(r"^(\$\{[^}]*\}|\$[A-Za-z_0-9]+)", "", path)
            target = None
            tail = path.lstrip("/")
            for r in by_rel:
                if ("/" + r).endswith("/" + tail):
                    target = r
            if target is None:
                same = os.path.join(os.path.dirname(s.rel), os.path.basename(path))
                if same in by_rel:
                    target = same
            if target:
                parent[find(s.rel)] = find(target)
    comps = {}
    for s in by_rel.values():
        s.comp = comps.setdefault(find(s.rel), Component())
        s.comp.funcs.update(s.parsed.funcs)
        for name, words, line in s.parsed.arrays:
            s.comp.arrays.setdefault(name, []).append((words, line, s.rel))
    return comps
