# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/cmddeps/shparse.py: shell code to what the command check needs.

shfmt (Debian's package shfmt, mvdan.cc/sh) parses; `shfmt -ln DIALECT
--to-json` prints the syntax tree of its standard input as JSON.  Here the
tree is reduced to a Parsed: every simple command (its words, with the
function it is in), the functions defined, the array assignments and the
heredocs.  A Word keeps its node, so that its quotes can be told apart
from its expansions without lexing the text again.
"""

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

SHFMT = "shfmt"

# Keys of a node that hold a position ({Offset, Line, Col}) or comments,
# never a node with commands: not walked into (only to save time).
POS_KEYS = {"Pos", "End", "ValuePos", "ValueEnd", "OpPos", "Position", "Comments"}


class ParseError(Exception):
    pass


_trees = {}     # (source bytes, dialect) -> syntax tree


def _shfmt(src, dialect):
    try:
        r = subprocess.run([SHFMT, "-ln", dialect, "--to-json"], input=src,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           check=False)
    except OSError as e:
        raise SystemExit("cmddeps: cannot run %s: %s (scripts/deps installs it)"
                         % (SHFMT, e))
    if r.returncode != 0:
        raise ParseError(r.stderr.decode("utf-8", "replace").strip())
    return json.loads(r.stdout)


def tree(src, dialect):
    """The syntax tree of SRC (bytes).  A POSIX sh text that does not parse
    is tried as bash: busybox ash takes some of bash's syntax."""
    key = (src, dialect)
    if key not in _trees:
        try:
            _trees[key] = _shfmt(src, dialect)
        except ParseError:
            if dialect == "bash":
                raise
            _trees[key] = tree(src, "bash")
    return _trees[key]


def prefetch(items):
    """Parse (source bytes, dialect) pairs in parallel, a few shfmt
    processes at a time; later tree() calls find them.  Errors wait for
    those calls."""
    todo = [k for k in dict.fromkeys(items) if k not in _trees]

    def one(key):
        try:
            return key, tree(*key)
        except ParseError:
            return key, None
    jobs = min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for key, t in pool.map(one, todo):
            if t is not None:
                _trees[key] = t


def _unescape(s, quoted):
    """A Lit's value as the shell reads it: unquoted, a backslash quotes
    any character; inside double quotes only $ ` " \\ and newline."""
    if "\\" not in s:
        return s
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n and (not quoted or s[i + 1] in '$`"\\\n'):
            if s[i + 1] != "\n":
                out.append(s[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


class Word:
    """One word of a command: node is shfmt's Word node."""
    __slots__ = ("node", "src", "line")

    def __init__(self, node, src, line0):
        self.node, self.src = node, src
        self.line = node["Pos"]["Line"] + line0 - 1

    def _text(self, node):
        return self.src[node["Pos"]["Offset"]:node["End"]["Offset"]].decode(
            "utf-8", "replace")

    def parts(self):
        return self.node.get("Parts") or []

    def _join(self, strict):
        """The word without its quotes. @strict: None when it expands
        something; else expansions are kept as written."""
        out = []
        for p in self.parts():
            t = p["Type"]
            if t == "Lit":
                out.append(_unescape(p.get("Value", ""), False))
            elif t == "SglQuoted" and not p.get("Dollar"):
                out.append(p.get("Value", ""))
            elif t == "DblQuoted":
                for q in p.get("Parts") or []:
                    if q["Type"] == "Lit":
                        out.append(_unescape(q.get("Value", ""), True))
                    elif strict:
                        return None
                    else:
                        out.append(self._text(q))
            elif strict:
                return None
            else:
                out.append(self._text(p))
        return "".join(out)

    def literal(self):
        """The word without its quotes, or None when it expands something."""
        return self._join(True)

    def loose(self):
        """The word without its quotes, its expansions left as written: the
        text of a string that is code (sh -c STR) or a path (. FILE)."""
        return self._join(False)

    def quoted_string(self):
        """True for a word that is one quoted string ('...' or "...")."""
        ps = self.parts()
        return len(ps) == 1 and ps[0]["Type"] in ("SglQuoted", "DblQuoted")

    def _param(self):
        """The ParamExp node the word is, quoted or not, or None."""
        ps = self.parts()
        if len(ps) == 1 and ps[0]["Type"] == "DblQuoted":
            ps = ps[0].get("Parts") or []
        if len(ps) != 1 or ps[0]["Type"] != "ParamExp":
            return None
        p = ps[0]
        if any(k in p for k in ("Excl", "Length", "Width", "Slice", "Repl", "Exp", "Names")):
            return None
        return p

    def all_args(self):
        """True for "$@", $@, "$*" and $*."""
        p = self._param()
        return bool(p) and p["Param"]["Value"] in ("@", "*") and "Index" not in p

    def array(self):
        """NAME for "${NAME[@]}" (or [*], quoted or not), else None."""
        p = self._param()
        if not p or "Index" not in p:
            return None
        ix = Word(p["Index"], self.src, 1).literal() if "Pos" in p["Index"] else None
        return p["Param"]["Value"] if ix in ("@", "*") else None


class SimpleCmd:
    __slots__ = ("words", "line", "func")

    def __init__(self, words, line, func):
        self.words, self.line, self.func = words, line, func


class Parsed:
    def __init__(self):
        self.cmds = []       # SimpleCmd, in the order of the text
        self.funcs = {}      # name -> line
        self.arrays = []     # (name, [Word], line)
        self.heredocs = []   # (delimiter, quoted, body, body's line)


def parse(text, dialect, line0=1, func=None, out=None):
    """TEXT (str) parsed: a Parsed, its lines counted from LINE0, its
    commands in function FUNC unless in one of their own.  Raises
    ParseError."""
    src = text.encode("utf-8") if isinstance(text, str) else text
    out = out if out is not None else Parsed()
    _Walk(src, line0, out).node(tree(src, dialect), func)
    return out


class _Walk:
    """Every node of a tree, depth first in the order of the text."""

    def __init__(self, src, line0, out):
        self.src, self.line0, self.out = src, line0, out

    def word(self, node):
        return Word(node, self.src, self.line0)

    def node(self, n, func):
        if isinstance(n, list):
            for x in n:
                self.node(x, func)
            return
        t = n.get("Type")
        if t == "FuncDecl":
            self.out.funcs.setdefault(n["Name"]["Value"], n["Pos"]["Line"] + self.line0 - 1)
            func = n["Name"]["Value"]
        elif t == "CallExpr" and n.get("Args"):
            words = [self.word(a) for a in n["Args"]]
            self.out.cmds.append(SimpleCmd(words, words[0].line, func))
        elif "Array" in n and "Name" in n:      # NAME=( ... ), NAME+=( ... )
            elems = [self.word(e["Value"]) for e in n["Array"].get("Elems") or ()
                     if e.get("Value")]
            self.out.arrays.append((n["Name"]["Value"], elems,
                                    n["Pos"]["Line"] + self.line0 - 1))
        elif "Hdoc" in n:
            self.heredoc(n)
        for k, v in n.items():
            if k not in POS_KEYS and isinstance(v, (dict, list)):
                self.node(v, func)

    def heredoc(self, r):
        """A Redirect with a heredoc: its body as the script's text has it
        (shfmt's End of a heredoc is not where its body ends)."""
        delim = self.word(r["Word"])
        quoted = any(p["Type"] != "Lit" or "\\" in p.get("Value", "") for p in delim.parts())
        dash = self.src[r["OpPos"]["Offset"]:r["OpPos"]["Offset"] + 3] == b"<<-"
        h = r.get("Hdoc")
        if not h:
            return
        lines = self.src[h["Pos"]["Offset"]:].decode("utf-8", "replace").split("\n")
        body, end = [], delim.loose()
        for line in lines:
            if dash:
                line = line.lstrip("\t")
            if line == end:
                break
            body.append(line)
        self.out.heredocs.append((end, quoted, "\n".join(body),
                                  h["Pos"]["Line"] + self.line0 - 1))
