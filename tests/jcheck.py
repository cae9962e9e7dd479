#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check devexctl output against an expectation (see mkfixture.py --expect).

  jcheck.py parse  OUT                      OUT is one JSON document
  jcheck.py assert OUT EXPR...              each EXPR true, with d = the document
  jcheck.py pages  OUT EXPECT [--list] [--text] [--range START END]
                   [--name NAME] [--state S,...]
        devexctl pages output (JSON, or its text table with --text) is
        exactly the expected pages, merged into runs as design.md §5 says
        (or one per page with --list); the JSON contract keys are checked.
  jcheck.py maps   OUT EXPECT               devexctl -j maps: every VMA and count
  jcheck.py same   OUT OTHER [KEY...]       two JSON documents equal but for KEYs

Runs, as computed here from the expectation: pages merge while they are in
the same VMA, adjacent, of the same state, flags and swap type, and their
PFNs (or swap offsets) count up by one.  Exit 0 when all holds, 1 with
the differences otherwise.  parse and same also check that every key of
OUT is snake_case (values, such as state names, keep their dashes).
"""

import json
import re
import sys

FLAGS = ["soft_dirty", "exclusive", "uffd_wp", "guard", "file"]
LETTERS = dict(zip(FLAGS, "dxwgf"))
STATES = ["none", "present", "swap", "swap-like", "device-exclusive",
          "device-private", "migration", "hwpoison", "marker"]
# maps' counts are keyed by the states' JSON keys: snake_case, like every key.
STATE_KEYS = [s.replace("-", "_") for s in STATES]
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
ADDR = re.compile(r"^0x[0-9a-f]+$")
errors = []


def err(msg):
    errors.append(msg)


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        sys.stderr.write("%s: not JSON: %s\n%s\n" % (path, e, data[:400]))
        sys.exit(1)


def addr(v, where):
    if not isinstance(v, str) or not ADDR.match(v):
        err("%s: address %r is not a \"0x…\" string" % (where, v))
        return None
    return int(v, 16)


def expected_pages(exp, rng, name, states):
    out = []
    for p in exp["pages"]:
        v = exp["vmas"][p["vma"]]
        if rng and not rng[0] <= p["addr"] < rng[1]:
            continue
        if name is not None and v["name"] != name:
            continue
        if states and p["state"] not in states:
            continue
        out.append(p)
    return out


def continues(prev, n, p, psz):
    if p["vma"] != prev["vma"] or p["addr"] != prev["addr"] + n * psz:
        return False
    for k in ("state", "flags", "swap_type", "entry_type"):
        if prev.get(k) != p.get(k):
            return False
    for k in ("pfn", "swap_offset"):
        if (k in prev) != (k in p):
            return False
        if k in prev and (prev[k] == "any" or p[k] != prev[k] + n):
            return False
    return True


def expected_runs(pages, psz, per_page):
    runs = []
    for p in pages:
        if runs and not per_page and continues(runs[-1][0], runs[-1][1], p, psz):
            runs[-1][1] += 1
        else:
            runs.append([p, 1])
    return runs


def fmt_run(r):
    return ", ".join("%s=%s" % (k, hex(v) if isinstance(v, int) and not isinstance(v, bool)
                                and k not in ("pages", "swap_type") else v)
                     for k, v in r.items())


def want_run(p, n, psz):
    w = {"start": p["addr"], "end": p["addr"] + n * psz, "pages": n, "state": p["state"]}
    for k in ("pfn", "swap_type", "entry_type", "swap_offset"):
        if k in p:
            w[k] = p[k]
    ign = set(p.get("flags_ignore", []))
    for f in FLAGS:
        if f not in ign:
            w[f] = f in p["flags"]
    return w


def json_run(r, i):
    where = "runs[%d]" % i
    g = {}
    for k in ("start", "end", "pages", "state"):
        if k not in r:
            err("%s: no '%s' key" % (where, k))
            return None
    g["start"] = addr(r["start"], where)
    g["end"] = addr(r["end"], where)
    if not isinstance(r["pages"], int) or isinstance(r["pages"], bool):
        err("%s: pages is not a number" % where)
    g["pages"] = r["pages"]
    g["state"] = r["state"]
    if r["state"] not in STATES:
        err("%s: unknown state %r" % (where, r["state"]))
    if "pfn" in r:
        g["pfn"] = addr(r["pfn"], where)
    if "swap_offset" in r:
        g["swap_offset"] = addr(r["swap_offset"], where)
    for k in ("swap_type", "entry_type"):
        if k in r:
            g[k] = r[k]
    for f in FLAGS:
        if not isinstance(r.get(f), bool):
            err("%s: flag key '%s' missing or not a boolean" % (where, f))
        g[f] = r.get(f)
    return g


def text_run(line, i):
    f = line.split()
    where = "text line %d" % i
    if len(f) not in (6, 7):
        err("%s: %d columns: %r" % (where, len(f), line))
        return None
    g = {"start": addr(f[0], where), "end": addr(f[1], where), "pages": int(f[2]),
         "state": f[3]}
    if f[4] != "-":
        g["pfn"] = addr(f[4], where)
    if len(f[5]) != len(FLAGS):
        err("%s: flags column %r" % (where, f[5]))
    for j, fl in enumerate(FLAGS):
        c = f[5][j] if j < len(f[5]) else "?"
        if c not in (LETTERS[fl], "_"):
            err("%s: flags column %r: bad letter %r" % (where, f[5], c))
        g[fl] = c == LETTERS[fl]
    if len(f) == 7:
        g["entry_type"] = f[6]
    return g


def compare(got, want, what, drop=()):
    n = max(len(got), len(want))
    shown = 0
    for i in range(n):
        g = got[i] if i < len(got) else None
        w = want[i] if i < len(want) else None
        if g is not None and w is not None:
            g = {k: v for k, v in g.items() if k not in drop and (k in w or k not in
                                                                   [x for x in FLAGS])}
            w = {k: v for k, v in w.items() if k not in drop}
            if "pfn" in w and w["pfn"] == "any" and "pfn" in g:
                g["pfn"] = "any"
        if g != w:
            if shown < 8:
                err("%s %d:\n   got  %s\n   want %s" % (what, i, g and fmt_run(g), w and fmt_run(w)))
            shown += 1
    if shown:
        err("%s: %d of %d differ (got %d, want %d)" % (what, shown, n, len(got), len(want)))


def cmd_pages(out, exp_path, args):
    exp = load(exp_path)
    psz = exp["page_size"]
    per_page = "--list" in args
    text = "--text" in args
    rng = name = None
    states = None
    if "--range" in args:
        i = args.index("--range")
        rng = (int(args[i + 1], 0), int(args[i + 2], 0))
    if "--name" in args:
        name = args[args.index("--name") + 1]
    if "--state" in args:
        states = set(args[args.index("--state") + 1].split(","))
    pages = expected_pages(exp, rng, name, states)
    want = [want_run(p, n, psz) for p, n in expected_runs(pages, psz, per_page)]
    got = []
    if text:
        with open(out, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
        if not lines or lines[0].split() != ["START", "END", "PAGES", "STATE", "PFN", "FLAGS"]:
            err("text: no header line")
            lines = [""]
        body = [l for l in lines[1:] if not l.startswith("note:")]
        for i, l in enumerate(body):
            g = text_run(l, i)
            if g:
                got.append(g)
        # The text table carries no swap type or offset.
        compare(got, want, "text run", drop=("swap_type", "swap_offset"))
    else:
        d = load(out)
        for k, t in (("pid", int), ("page_size", int), ("pfn_visible", bool), ("runs", list),
                     ("total_runs", int), ("total_pages", int)):
            if not isinstance(d.get(k), t):
                err("top-level key '%s' missing or not %s" % (k, t.__name__))
        if errors:
            return
        if d["pid"] != exp["pid"] and exp["pid"] is not None:
            err("pid %r, want %r" % (d["pid"], exp["pid"]))
        if d["pfn_visible"] != exp["pfn_visible"]:
            err("pfn_visible %r, want %r" % (d["pfn_visible"], exp["pfn_visible"]))
        if not d["pfn_visible"] and not d.get("pfn_hidden_reason"):
            err("pfn_visible is false but there is no pfn_hidden_reason")
        for i, r in enumerate(d["runs"]):
            g = json_run(r, i)
            if g:
                got.append(g)
                if g["end"] is not None and g["start"] is not None and \
                        g["end"] - g["start"] != g["pages"] * psz:
                    err("runs[%d]: end - start != pages * page_size" % i)
        compare(got, want, "run")
        if d["total_runs"] != len(d["runs"]):
            err("total_runs %d but %d runs" % (d["total_runs"], len(d["runs"])))
        if d["total_pages"] != sum(r.get("pages", 0) for r in d["runs"]):
            err("total_pages %d is not the sum of the runs" % d["total_pages"])
        if d["total_pages"] != len(pages):
            err("total_pages %d, want %d" % (d["total_pages"], len(pages)))


def cmd_maps(out, exp_path, args):
    exp = load(exp_path)
    d = load(out)
    vmas = d.get("vmas")
    if not isinstance(vmas, list):
        err("no 'vmas' array")
        return
    if len(vmas) != len(exp["vmas"]):
        err("%d VMAs, want %d" % (len(vmas), len(exp["vmas"])))
    for i, (g, w) in enumerate(zip(vmas, exp["vmas"])):
        where = "vmas[%d]" % i
        for k in ("start", "end", "perms", "name", "counts"):
            if k not in g:
                err("%s: no '%s' key" % (where, k))
        if errors:
            return
        if addr(g["start"], where) != w["start"] or addr(g["end"], where) != w["end"]:
            err("%s: %s-%s, want %x-%x" % (where, g["start"], g["end"], w["start"], w["end"]))
        for k in ("perms", "name", "pages", "in_pagemap", "deleted"):
            if g.get(k) != w[k]:
                err("%s: %s = %r, want %r" % (where, k, g.get(k), w[k]))
        if addr(g.get("offset"), where) != w["offset"]:
            err("%s: offset %r, want %x" % (where, g.get("offset"), w["offset"]))
        c = g["counts"]
        if not isinstance(c, dict) or sorted(c) != sorted(STATE_KEYS):
            err("%s: counts keys %r, want every state's key" % (where, c and sorted(c)))
            continue
        for s in STATE_KEYS:
            if not isinstance(c[s], int) or isinstance(c[s], bool):
                err("%s: counts[%s] is not a number" % (where, s))
            elif c[s] != w["counts"][s]:
                err("%s (%s): counts[%s] = %d, want %d" % (where, w["name"], s, c[s], w["counts"][s]))
        if sum(c.values()) != (w["pages"] if w["in_pagemap"] else 0):
            err("%s: counts add up to %d, VMA has %d pages" % (where, sum(c.values()), w["pages"]))


def check_keys(v, where="d"):
    """Every object key in @v is snake_case."""
    if isinstance(v, dict):
        for k, x in v.items():
            if not KEY.match(k):
                err("%s: key %r is not snake_case" % (where, k))
            check_keys(x, "%s[%r]" % (where, k))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            check_keys(x, "%s[%d]" % (where, i))


def cmd_same(out, other, keys):
    a, b = load(out), load(other)
    check_keys(a)
    for k in keys:
        a.pop(k, None)
        b.pop(k, None)
    if a != b:
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                err("key %r differs:\n   %s\n   %s" % (k, json.dumps(a.get(k))[:300],
                                                       json.dumps(b.get(k))[:300]))


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    sub, out, rest = argv[1], argv[2], argv[3:]
    if sub == "parse":
        check_keys(load(out))
    elif sub == "assert":
        d = load(out)
        for e in rest:
            try:
                ok = eval("(" + e + "\n)", {"d": d, "re": re, "ADDR": ADDR, "STATES": STATES,
                                               "STATE_KEYS": STATE_KEYS})
            except Exception as ex:  # a failed lookup is a failed assertion
                ok = False
                e += " (%s: %s)" % (type(ex).__name__, ex)
            if not ok:
                err("assertion failed: %s" % e)
    elif sub == "pages":
        cmd_pages(out, rest[0], rest[1:])
    elif sub == "maps":
        cmd_maps(out, rest[0], rest[1:])
    elif sub == "same":
        cmd_same(out, rest[0], rest[1:])
    else:
        sys.stderr.write("jcheck.py: unknown subcommand %s\n" % sub)
        return 2
    for e in errors[:40]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
