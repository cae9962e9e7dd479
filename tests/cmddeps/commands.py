# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/cmddeps/commands.py: which commands each script runs, and where.

A command is the first word of a simple command (shparse.py), unless it is
a keyword, a builtin, a function of the script or of the scripts it shares
functions with (scripts.py), a variable or a relative path (the project's
own).  An array run as "${NAME[@]}" runs the first elements of NAME's
assignments.  Through a wrapper (exec, timeout N, env, sudo, xargs, find
-exec, the scripts' own functions that run "$@", an array of wrappers) the
command it runs counts too, and code in a string runs where its string
says: sh -c STR, trap STR, tests/vm/run --run STR (in the guest), and the
heredocs that are scripts (CODE_HEREDOCS, or starting with #!).
"""

import os
import re

from .policy import (BUILTINS, CODE_HEREDOCS, INDIRECT, KEYWORDS, SHELLS,
                     WRAPPERS)
from . import shparse
from .scripts import Use, collect, link_components, shebang, shell_of

ASSIGN_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=")


class Analyzer:
    def __init__(self):
        self.uses = []

    def emit(self, ctx, name, rel, line, comp):
        if not name or name in BUILTINS or name in KEYWORDS:
            return
        if name in comp.funcs:
            return
        if any(ch in name for ch in "*?[]=") or name.startswith("-"):
            return
        if "/" in name and not name.startswith("/"):
            return      # a relative path: the project's own
        self.uses.append(Use(ctx, name, rel, line))

    def array_heads(self, name, comp, seen):
        """The literal first words of array NAME's assignments, and whether
        every assignment is empty or starts with a wrapper."""
        heads, wrapper_only = [], True
        for words, _, rel in comp.arrays.get(name, []):
            if not words:
                continue
            w0 = words[0]
            lit = w0.literal()
            inner = w0.array()
            if lit is not None:
                heads.append((lit, w0.line, rel))
                wrapper_only &= lit in WRAPPERS
            elif inner and inner not in seen:
                h, wo = self.array_heads(inner, comp, seen | {name})
                heads += h
                wrapper_only &= wo
            else:
                wrapper_only = False
        return heads, wrapper_only

    def command(self, words, k, ctx, s, comp, func, allargs):
        """Words[k:] start at command position: emit the command(s)."""
        n = len(words)
        while k < n:
            w = words[k]
            lit = w.literal()
            if lit is None:
                if w.all_args():
                    allargs.append(func)
                    return
                arr = w.array()
                if not arr:
                    return
                heads, wrapper_only = self.array_heads(arr, comp, set())
                for h, hl, hrel in heads:
                    self.emit(ctx, h, hrel, hl, comp)
                if not wrapper_only:
                    return
                k += 1
                continue
            self.emit(ctx, lit, s.rel, w.line, comp)
            if lit in comp.wrappers:
                k += 1 + comp.wrappers[lit]
                continue
            if lit in WRAPPERS:
                if lit == "command" and any(x.literal() in ("-v", "-V") for x in words[k + 1:k + 2]):
                    return
                k = self.skip_wrapper(lit, words, k + 1)
                if k is None:
                    return
                continue
            if lit in SHELLS:
                for j in range(k + 1, n - 1):
                    o = words[j].literal()
                    if o is None or not o.startswith("-"):
                        break
                    if "c" in o[1:] and not o.startswith("--"):
                        self.code(words[j + 1], ctx, s, comp, func, SHELLS[lit])
                        break
                return
            if lit == "trap" and k + 1 < n and words[k + 1].quoted_string():
                self.code(words[k + 1], ctx, s, comp, func, s.dialect)
                return
            if lit == "find":
                for j in range(k + 1, n - 1):
                    if words[j].literal() in ("-exec", "-execdir", "-ok", "-okdir"):
                        self.command(words, j + 1, ctx, s, comp, func, allargs)
                return
            return

    @staticmethod
    def skip_wrapper(name, words, k):
        """The index of the command wrapper NAME runs, after its options
        and arguments; None when it runs none."""
        opts, npos = WRAPPERS[name]
        n = len(words)
        while k < n:
            lit = words[k].literal()
            if lit is not None and lit.startswith("-") and lit != "-":
                if lit == "--":
                    return k + 1
                k += 2 if lit in opts else 1
                continue
            if name in ("env", "sudo") and lit is not None and ASSIGN_RE.match(lit):
                k += 1
                continue
            if npos > 0:
                if name == "flock" and lit is not None and lit.isdigit():
                    return None     # flock FD: no command
                npos -= 1
                k += 1
                continue
            return k
        return None

    def code(self, word, ctx, s, comp, func, dialect):
        """A word whose string is shell code (sh -c, trap, --run)."""
        self.text(word.loose(), word.line, ctx, s, comp, func, dialect)

    def text(self, text, line, ctx, s, comp, func, dialect):
        try:
            p = shparse.parse(text, dialect, line, func)
        except shparse.ParseError as e:
            raise SystemExit("cmddeps: shfmt cannot parse the code at %s:%d: %s"
                             % (s.rel, line, e))
        for name, words, l in p.arrays:
            comp.arrays.setdefault(name, []).append((words, l, s.rel))
        self.simple_cmds(p.cmds, ctx, s, comp, [])

    def simple_cmds(self, cmds, ctx, s, comp, allargs):
        for c in cmds:
            self.command(c.words, 0, ctx, s, comp, c.func, allargs)
            if ctx == "host":
                for j, w in enumerate(c.words[:-1]):
                    if w.literal() == "--run" and c.words[j + 1].quoted_string():
                        self.code(c.words[j + 1], "guest", s, comp, c.func, "posix")

    def script(self, s):
        for ctx in s.contexts:
            self.simple_cmds(s.parsed.cmds, ctx, s, s.comp, [])
        for delim, quoted, body, bline in s.parsed.heredocs:
            sb = shebang(body)
            if (s.rel, delim) in CODE_HEREDOCS:
                ctxs = (CODE_HEREDOCS[(s.rel, delim)],)
            elif sb:
                ctxs = s.contexts
            else:
                continue    # data
            if not quoted:  # what the script written will see
                body = re.sub(r"\\([$`\\])", r"\1", body)
            for ctx in ctxs:
                dialect = SHELLS.get(shell_of(body),
                                     "posix" if ctx == "guest" else s.dialect)
                self.text(body, bline, ctx, s, s.comp, None, dialect)

    def wrappers(self, scripts):
        """Functions that run "$@" (after N shifts) are wrappers."""
        changed = True
        while changed:
            changed = False
            for s in scripts:
                if not s.parsed:
                    continue
                shifts = {}
                for c in s.parsed.cmds:
                    if not c.func:
                        continue
                    if c.words[0].literal() == "shift":
                        a = c.words[1].literal() if len(c.words) > 1 else "1"
                        shifts[c.func] = shifts.get(c.func, 0) + (int(a) if a and a.isdigit() else 1)
                        continue
                    found = []
                    saved = self.uses
                    self.uses = []
                    self.command(c.words, 0, "host", s, s.comp, c.func, found)
                    self.uses = saved
                    if c.func in found and c.func not in s.comp.wrappers:
                        s.comp.wrappers[c.func] = shifts.get(c.func, 0)
                        changed = True


def gather(src):
    """The scripts and every command use in them."""
    scripts = collect(src)
    link_components(scripts)
    an = Analyzer()
    an.wrappers(scripts)
    for s in scripts:
        sb = shebang(s.text)
        for ctx in s.contexts:
            if sb:
                an.uses.append(Use(ctx, sb[0], s.rel, 1))
                if os.path.basename(sb[0]) == "env" and len(sb) > 1:
                    an.uses.append(Use(ctx, sb[1], s.rel, 1))
        if s.parsed:
            an.script(s)
    for ctx, name, rel, why in INDIRECT:
        if os.path.exists(os.path.join(src, rel)):
            an.uses.append(Use(ctx, name, rel, 0, why))
    return scripts, an.uses
