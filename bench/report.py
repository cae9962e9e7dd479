#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/report.py: the benchmark's table and JSON from what measure.sh wrote.

    report.py RESDIR [--machine TEXT] [--date TEXT] [--quick]

RESDIR/ENV/WORKLOAD/ holds one workload's measurements (ENV: host, guest).
Writes RESDIR/results.json and RESDIR/results.md and prints the table.
Checks the counts every tool reports against what bench-target made;
exits 1 when a devexctl or floor count is wrong or a result is missing
(the quick mode's assertion).  Never fails on a time: the targets are
reported met or missed, nothing more.
"""
import json
import os
import re
import statistics
import sys

# tool: (what it is, counts to check)
TOOLS = {
    "scan": "floor: one PAGEMAP_SCAN pass over the range",
    "pread": "floor: pagemap pread, 64K-entry batches, over the range",
    "page-types": "page-types -p PID -a RANGE (tools/mm, same kernel tree)",
    "pages": "devexctl pages PID RANGE",
    "pages-quiet": "devexctl pages PID RANGE --state hwpoison: the same walk, no line printed",
    "pages-1": "devexctl pages PID ADDR: one page, the fixed cost of a run",
    "pages-marker": "devexctl pages PID RANGE --state marker: the needles",
    "scan-marker": "floor: one PAGEMAP_SCAN pass asking for PAGE_IS_SWAPPED only",
    "version": "devexctl --version: loading the program and its libraries",
    "start": "floor: starting a C program that does nothing (a floor's own fixed cost)",
    "scan-all": "floor: one PAGEMAP_SCAN pass over the address space",
    "pread-all": "floor: pagemap pread of every VMA",
    "maps": "devexctl maps PID",
    "procmaps": "read /proc/PID/maps alone",
    "entries-floor": "debugfs devexcl/entries read alone",
    "entries": "devexctl entries PID RANGE",
}
ABBREV_STATES = ("present", "none")
# The printed lines of each listing, (workload dir, tool): their floor's share.
LINES = {}
# A printed line's share of a listing's floor (issue 17: text at the cost of its bytes).
NS_PER_LINE = 100
WORKLOADS = ("dense", "dense-thp", "sparse", "needle", "vmas", "dense16", "sparse1t",
             "needle16", "excl")
NONPRESENT = ("swap", "swap-like", "device-exclusive", "device-private",
              "migration", "hwpoison", "marker")


def load_runs(path):
    runs = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) == 5 and p[0] == "run":
                wall, user, sys_, rss = (int(x) for x in p[1:])
                runs.append((wall / 1000.0, (user + sys_) / 1000.0, rss / 1024.0))
    return runs


def lock_stats(path):
    """Hold times of the target's mmap_lock.

    The trace also holds the tool's own mm (exec, mmap, brk: write locks);
    the target's is the one the tool only ever read-locks.
    """
    held, open_, written = {}, {}, set()
    pat = re.compile(r"-(\d+)\s+\[\d+\].*?\s([\d.]+): (mmap_lock_\w+): mm=(\w+)")
    with open(path) as f:
        for line in f:
            m = pat.search(line)
            if not m:
                continue
            pid, ts, ev, mm = m.group(1), float(m.group(2)), m.group(3), m.group(4)
            if "write=true" in line:
                written.add(mm)
            if ev == "mmap_lock_acquire_returned" and "success=true" in line:
                open_[(pid, mm)] = ts
            elif ev == "mmap_lock_released" and (pid, mm) in open_:
                held.setdefault(mm, []).append((ts - open_.pop((pid, mm))) * 1e6)
    held = {mm: d for mm, d in held.items() if mm not in written}
    if not held:
        return None
    d = max(held.values(), key=len)
    return {"holds": len(d), "median_us": round(statistics.median(d), 1),
            "max_us": round(max(d), 1), "total_ms": round(sum(d) / 1000, 2)}


def expected(wdir):
    exp, info = {}, {}
    with open(os.path.join(wdir, "target.txt")) as f:
        for line in f:
            p = line.split()
            if p and p[0] == "expect":
                exp[p[1]] = int(p[2])
            elif p and p[0] == "range":
                info["start"], info["end"] = int(p[1], 16), int(p[2], 16)
            elif p and p[0] == "skip":
                info["skip"] = " ".join(p[1:])
            elif len(p) == 2:
                info[p[0]] = p[1]
    return exp, info


def count_check(tool, out, wdir, exp, info):
    """None when the tool has no counts to check, else (ok, what)."""
    present = exp.get("present", 0)
    special = sum(v for k, v in exp.items() if k in NONPRESENT)
    if tool == "scan-marker":
        m = re.search(r"^swapped (\d+)", out, re.M)
        got = int(m.group(1)) if m else None
        return got == exp.get("marker", 0), "swapped=%s" % got
    if tool in ("scan", "pread"):
        got = dict((l.split()[0], int(l.split()[1])) for l in out.splitlines() if l.strip())
        want = {"present": present, "swapped": special}
        if "none" in exp:
            want["none"] = exp["none"]
        ok = all(got.get(k) == v for k, v in want.items())
        return ok, " ".join("%s=%s" % (k, got.get(k)) for k in want)
    if tool == "page-types":
        # It counts the pages it finds a pagemap entry for: present or swapped.
        m = re.search(r"^\s*total\s+(\d+)", out, re.M)
        got = int(m.group(1)) if m else None
        return got == present + special, "present+swapped=%s" % got
    if tool in ("pages", "pages-marker"):
        got = {}
        for line in out.splitlines():
            p = line.split()
            if len(p) >= 4 and p[0].startswith("0x") and p[2].isdigit():
                got[p[3]] = got.get(p[3], 0) + int(p[2])
        want = {k: v for k, v in exp.items() if k != "vmas"}
        if tool == "pages-marker":
            want = {"marker": exp.get("marker", 0)}
        ok = all(got.get(k, 0) == v for k, v in want.items()) and \
            all(k in want for k in got)
        lines = sum(1 for l in out.splitlines() if l.startswith("0x"))
        LINES[(wdir, tool)] = lines
        return ok, " ".join("%s=%d" % kv for kv in sorted(got.items())) + " (%d lines)" % lines
    if tool == "maps":
        with open(os.path.join(wdir, "maps.json")) as f:
            doc = json.load(f)
        got, nv = {}, 0
        for v in doc["vmas"]:
            s, e = int(v["start"], 16), int(v["end"], 16)
            if s >= info["start"] and e <= info["end"]:
                nv += 1
                for k, c in v["counts"].items():
                    # JSON keys are snake_case; the expectations name states.
                    k = k.replace("_", "-")
                    if c:
                        got[k] = got.get(k, 0) + c
        want = {k: v for k, v in exp.items() if k != "vmas"}
        ok = got == want and exp.get("vmas", nv) == nv
        return ok, " ".join("%s=%d" % kv for kv in sorted(got.items()))
    if tool in ("entries", "entries-floor"):
        if tool == "entries-floor":
            m = re.search(r"entries (\d+)", out)
            got = int(m.group(1)) if m else None
        else:
            got = sum(1 for l in out.splitlines() if l.startswith("0x"))
        want = exp.get("device-exclusive", 0)
        return got == want, "entries=%s" % got
    return None


def workload(env, wl, wdir):
    exp, info = expected(wdir)
    tools = {}
    if "skip" in info:
        return {"env": env, "workload": wl, "expect": exp, "tools": tools,
                "skipped": info["skip"]}
    for tool in TOOLS:
        cmd = os.path.join(wdir, tool + ".cmd")
        if not os.path.exists(cmd):
            continue
        r = {"what": TOOLS[tool], "cmd": open(cmd).read().strip()}
        runs = load_runs(os.path.join(wdir, tool + ".runs"))
        if runs:
            r["runs"] = len(runs)
            r["wall_ms"] = round(statistics.median(x[0] for x in runs), 2)
            r["cpu_ms"] = round(statistics.median(x[1] for x in runs), 2)
            r["peak_rss_mib"] = round(max(x[2] for x in runs), 2)
        try:
            out = open(os.path.join(wdir, tool + ".out")).read()
            c = count_check(tool, out, wdir, exp, info)
        except (OSError, ValueError, KeyError) as e:
            c = (False, "unreadable: %s" % e)
        if c:
            r["counts_ok"], r["counts"] = c
            if (wdir, tool) in LINES:
                r["lines"] = LINES[(wdir, tool)]
        lp = os.path.join(wdir, tool + ".lock")
        if os.path.exists(lp):
            r["mmap_lock"] = lock_stats(lp)
        tools[tool] = r
    return {"env": env, "workload": wl, "expect": exp, "tools": tools}


def tui_keys(env, wdir):
    """The TUI's key-to-redraw times (bench/tui-key.sh)."""
    exp, info = expected(wdir)
    if "skip" in info:
        return {"env": env, "workload": "tui-dense16", "expect": exp, "tools": {},
                "skipped": info["skip"]}
    first, down = None, []
    try:
        for line in open(os.path.join(wdir, "keys.txt")):
            p = line.split()
            if len(p) == 2 and p[0] == "first":
                first = float(p[1])
            elif len(p) == 2 and p[0] == "down" and float(p[1]) >= 0:
                down.append(float(p[1]))
    except OSError:
        pass
    r = {"what": "devexctl tui: a key (Down onto the big VMA) to the last byte of the redraw",
         "cmd": "bench/tui-key.sh (bench-tuikey in a 120x40 pty)"}
    if down:
        r.update({"runs": len(down), "wall_ms": round(statistics.median(down), 2),
                  "max_ms": round(max(down), 2), "first_screen_ms": first})
    return {"env": env, "workload": "tui-dense16", "expect": exp, "tools": {"tui-key": r}}


def floor_ms(w, tool, floor, key="wall_ms"):
    """A listing's floor: the walk's floor plus NS_PER_LINE for each line it printed."""
    t = w["tools"]
    if floor not in t or key not in t[floor] or "lines" not in t.get(tool, {}):
        return None
    return t[floor][key] + t[tool]["lines"] * NS_PER_LINE / 1e6


def ratio(w, a, b, key="wall_ms"):
    t = w["tools"]
    if isinstance(b, tuple):
        cands = [t[x][key] for x in b if x in t and key in t[x]]
        bv = min(cands) if cands else None
    else:
        bv = t.get(b, {}).get(key)
    av = t.get(a, {}).get(key)
    return round(av / bv, 2) if av and bv else None


def bare(w, a, fl, n_floors=1):
    """Wall ratio with each process's start taken off: devexctl's (version), the floors' (start)."""
    t = w["tools"]
    av, v, st = (t.get(x, {}).get("wall_ms") for x in (a, "version", "start"))
    if None in (av, fl, v, st) or fl - n_floors * st <= 0:
        return None
    return round((av - v) / (fl - n_floors * st), 2)


def targets(ws):
    out = []

    def add(name, value, limit, better, cpu=None, nostart=None):
        def ok(v):
            return None if v is None else (v <= limit if better == "le" else v >= limit)
        out.append({"target": name, "value": value, "cpu_value": cpu, "limit": limit,
                    "met": ok(value), "cpu_met": ok(cpu), "without_start": nostart})

    def both(name, w, a, b, limit, better):
        t = w["tools"]
        fl = min((t[x]["wall_ms"] for x in (b if isinstance(b, tuple) else (b,))
                  if "wall_ms" in t.get(x, {})), default=None)
        nostart = None
        if better == "le":
            nostart = bare(w, a, fl)
        add(name, ratio(w, a, b), limit, better, ratio(w, a, b, "cpu_ms"), nostart)

    def over(w, a, fl, key):
        av = w["tools"].get(a, {}).get(key)
        return round(av / fl, 2) if av and fl else None

    def listing(name, w, floor, limit):
        fl = floor_ms(w, "pages", floor)
        add(name, over(w, "pages", fl, "wall_ms"), limit, "le",
            over(w, "pages", floor_ms(w, "pages", floor, "cpu_ms"), "cpu_ms"),
            bare(w, "pages", fl))

    def maps_floor(name, w, limit):
        t = w["tools"]
        fl = {k: t["procmaps"][k] + t["scan-all"][k] for k in ("wall_ms", "cpu_ms")
              if k in t.get("procmaps", {}) and k in t.get("scan-all", {})}
        add(name, over(w, "maps", fl.get("wall_ms"), "wall_ms"), limit, "le",
            over(w, "maps", fl.get("cpu_ms"), "cpu_ms"),
            bare(w, "maps", fl.get("wall_ms"), 2))

    for w in ws:
        if w["env"] != "host":
            continue
        wl = w["workload"]
        if wl == "sparse":
            both("sparse: pages / scan floor <= 1.3", w, "pages", "scan", 1.3, "le")
            both("sparse: page-types / pages >= 8", w, "page-types", "pages", 8, "ge")
        if wl == "dense":
            both("dense: pages / pread floor <= 1.2", w, "pages", "pread", 1.2, "le")
            both("dense: page-types / pages >= 8", w, "page-types", "pages", 8, "ge")
        if wl == "dense-thp":
            both("dense-thp: pages / pread floor <= 1.2", w, "pages", "pread", 1.2, "le")
        if wl == "dense":
            both("dense: pages without output / pread floor <= 1.2", w, "pages-quiet", "pread",
                 1.2, "le")
        if wl == "sparse":
            both("sparse: pages without output / scan floor <= 1.3", w, "pages-quiet", "scan",
                 1.3, "le")
        if wl in ("dense", "dense-thp", "sparse", "vmas"):
            both("%s: maps / better floor <= 1.3" % wl, w, "maps", ("scan-all", "pread-all"),
                 1.3, "le")
        if wl == "vmas":
            both("vmas: maps / read of /proc/PID/maps <= 1.5", w, "maps", "procmaps", 1.5, "le")
        if wl in ("needle", "needle16"):
            both("%s: pages --state marker / scan with its mask <= 1.3" % wl, w,
                 "pages-marker", "scan-marker", 1.3, "le")
        if wl in ("sparse", "sparse1t"):
            listing("%s: pages / (scan floor + %d ns a line) <= 1.15" % (wl, NS_PER_LINE), w,
                    "scan", 1.15)
        if wl in ("dense", "dense16"):
            listing("%s: pages / (pread floor + %d ns a line) <= 1.15" % (wl, NS_PER_LINE), w,
                    "pread", 1.15)
        if wl in ("dense", "dense-thp", "sparse", "vmas", "dense16", "sparse1t"):
            maps_floor("%s: maps / (/proc/PID/maps + one scan) <= 1.2" % wl, w, 1.2)
        if wl == "tui-dense16" and "tui-key" in w["tools"]:
            r = w["tools"]["tui-key"]
            add("TUI on dense16: key to redrawn screen <= 100 ms (median)", r.get("wall_ms"),
                100, "le")
            add("TUI on dense16: key to redrawn screen <= 100 ms (slowest)", r.get("max_ms"),
                100, "le")
    rss = [(w["workload"], t, w["tools"][t].get("peak_rss_mib"))
           for w in ws for t in ("pages", "maps", "entries") if t in w["tools"]]
    if rss:
        worst = max(r[2] or 0 for r in rss)
        add("peak RSS of devexctl <= 8 MiB on every workload (worst)", worst, 8, "le")
    return out


def table(ws):
    lines = []
    for w in ws:
        if "skipped" in w:
            lines.append("\n### %s: %s: skipped (%s)\n" % (w["env"], w["workload"],
                                                          w["skipped"]))
            continue
        lines.append("\n### %s: %s (expect %s)\n" % (w["env"], w["workload"],
                     ", ".join("%s %d" % kv for kv in w["expect"].items())))
        lines.append("| tool | wall ms | CPU ms | peak RSS MiB | wall x scan | wall x pread | "
                     "CPU x scan | CPU x pread | mmap_lock holds (median / max us) | counts |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
        for tool, r in w["tools"].items():
            base = ("scan-all", "pread-all") if tool in ("maps", "procmaps", "scan-all", "pread-all") \
                else ("scan", "pread")
            lk = r.get("mmap_lock")
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                tool, r.get("wall_ms", "-"), r.get("cpu_ms", "-"), r.get("peak_rss_mib", "-"),
                ratio(w, tool, base[0]) or "-", ratio(w, tool, base[1]) or "-",
                ratio(w, tool, base[0], "cpu_ms") or "-",
                ratio(w, tool, base[1], "cpu_ms") or "-",
                "%d (%s / %s)" % (lk["holds"], lk["median_us"], lk["max_us"]) if lk else "-",
                ("ok " if r.get("counts_ok") else "WRONG ") + r.get("counts", "")
                if "counts_ok" in r else "-"))
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    res = args.pop(0)
    opts = {"machine": "", "date": "", "quick": False}
    while args:
        a = args.pop(0)
        if a == "--quick":
            opts["quick"] = True
        else:
            opts[a[2:]] = args.pop(0)
    ws = []
    for env in ("host", "guest"):
        d = os.path.join(res, env)
        if not os.path.isdir(d):
            continue
        for wl in WORKLOADS:
            if os.path.isdir(os.path.join(d, wl)):
                ws.append(workload(env, wl, os.path.join(d, wl)))
        if os.path.isdir(os.path.join(d, "tui-dense16")):
            ws.append(tui_keys(env, os.path.join(d, "tui-dense16")))
    # The quick mode's workloads are 1/16 the size: no target applies.
    tg = [] if opts["quick"] else targets(ws)
    doc = {"date": opts["date"], "machine": opts["machine"], "quick": opts["quick"],
           "workloads": ws, "targets": tg}
    with open(os.path.join(res, "results.json"), "w") as f:
        json.dump(doc, f, indent=1)
    md = ("Date: %s  \nMachine: %s\n%s\n\n### Targets (host)\n\n"
          "| target | wall | CPU | met (wall / CPU) | wall without the starts |\n"
          "|---|---:|---:|---|---:|\n") % (
        opts["date"], opts["machine"], table(ws))
    word = {True: "met", False: "MISSED", None: "-"}
    md += "\n".join("| %s | %s | %s | %s / %s | %s |" % (
        t["target"], t["value"], t["cpu_value"] if t["cpu_value"] is not None else "-",
        word[t["met"]], word[t["cpu_met"]],
        t["without_start"] if t["without_start"] is not None else "-") for t in tg) + "\n"
    with open(os.path.join(res, "results.md"), "w") as f:
        f.write(md)
    print(md)
    bad = []
    for w in ws:
        for tool, r in w["tools"].items():
            if "wall_ms" not in r:
                bad.append("%s/%s/%s: no result" % (w["env"], w["workload"], tool))
            if tool != "page-types" and r.get("counts_ok") is False:
                bad.append("%s/%s/%s: counts %s" % (w["env"], w["workload"], tool, r["counts"]))
    if not ws:
        bad.append("no results in %s" % res)
    for w in ws:
        if "skipped" in w:
            print("bench: SKIP: %s/%s: %s" % (w["env"], w["workload"], w["skipped"]),
                  file=sys.stderr)
    for b in bad:
        print("bench: FAIL: " + b, file=sys.stderr)
    checks = sum(1 for w in ws for t, r in w["tools"].items()
                 if t != "page-types" and ("counts_ok" in r or "wall_ms" not in r))
    print("bench: %d passed, %d failed" % (checks - len(bad) if checks >= len(bad) else 0, len(bad)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
