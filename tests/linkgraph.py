#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The dependency graphs of cli/ and their cycles.

  python3 tests/linkgraph.py BUILDDIR SRCDIR [--allow FILE,FILE,...]...

Link graph: A -> B when cli/A.o uses a symbol cli/B.o defines (nm).
Include graph: A.h -> B.h when cli/A.h includes "B.h".
Prints every cycle (strongly connected component of more than one file)
with its edges; exits 1 when a cycle is not exactly one of the --allow sets.
"""
import collections
import glob
import os
import re
import subprocess
import sys


def link_graph(build):
    defs, uses = {}, collections.defaultdict(set)
    for obj in sorted(glob.glob(os.path.join(build, "cli", "*.o"))):
        name = re.sub(r"^(libdevexctl_a|devexctl)-", "", os.path.basename(obj))[:-2]
        out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in "TDBR":
                defs[f[2]] = name
            elif len(f) == 2 and f[0] == "U":
                uses[name].add(f[1])
    nodes = set(defs.values()) | set(uses)
    return {n: {defs[s] for s in uses[n] if s in defs and defs[s] != n} for n in nodes}


def include_graph(src):
    g = {}
    for h in sorted(glob.glob(os.path.join(src, "cli", "*.h"))):
        with open(h, encoding="utf-8") as f:
            inc = re.findall(r'^#include "([^"]+)"', f.read(), re.M)
        g[os.path.basename(h)] = {i for i in inc if i != "config.h"}
    return g


def cycles(g):
    """Tarjan's strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    allowed = [frozenset(a.split(",")) for i, a in enumerate(argv) if i and argv[i - 1] == "--allow"]
    graphs = {"link": link_graph(argv[1]), "include": include_graph(argv[2])}
    if not graphs["link"]:
        print("linkgraph: no cli/*.o under %s" % argv[1])
        return 1
    bad = 0
    for kind, g in graphs.items():
        found = cycles(g)
        for comp in found:
            known = frozenset(comp) in allowed
            bad += not known
            print("%s cycle%s: %s" % (kind, " (allowed)" if known else "", " ".join(comp)))
            for a in comp:
                print("    %s -> %s" % (a, " ".join(sorted(b for b in g[a] if b in comp))))
        print("%s graph: %d files, %d edges, %d cycles" %
              (kind, len(g), sum(len(v) for v in g.values()), len(found)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
