#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The live tests' view of a running tests/live/victim.

  layout.py expect LAYOUT PID OUT [--hidden]
      Read the victim's printed LAYOUT and its /proc/PID/pagemap (decoded
      here, from the documented bits), check they agree (populated pages
      present, the rest none, guard pages markers), and write an
      expectation for jcheck.py pages.  --hidden: devexctl runs without
      CAP_SYS_ADMIN, so it must show no PFNs.
  layout.py maps LAYOUT MAPSJSON
      devexctl -j maps output has each victim VMA with exact counts.
  layout.py range LAYOUT REGION
      Print "START END" (hex) of REGION: anon, guard, markers, gap or file.
"""

import json
import struct
import sys

STATES = ["none", "present", "swap", "swap-like", "device-exclusive",
          "device-private", "migration", "hwpoison", "marker"]
FLAGS = [("soft_dirty", 55), ("exclusive", 56), ("uffd_wp", 57), ("guard", 58), ("file", 61)]


def parse_layout(path):
    lay = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] in ("anon", "guard", "markers", "gap", "file"):
                lay[w[0]] = {"start": int(w[1], 16), "pages": int(w[2]), "rest": w[3:]}
                if w[0] == "file":  # the path may hold spaces
                    lay["file"]["path"] = line.rstrip("\n").split(" ", 3)[3]
            elif w[0] == "populated":
                lay["populated"] = set(int(x) for x in w[1:])
            elif w[0] == "file-populated":
                lay["file-populated"] = set(int(x) for x in w[1:])
    if "anon" not in lay:
        raise SystemExit("layout.py: no 'anon' line in %s" % path)
    return lay


def want_states(lay):
    """region -> list of expected states per page."""
    out = {}
    a = lay["anon"]
    out["anon"] = ["present" if i in lay["populated"] else "none" for i in range(a["pages"])]
    out["guard"] = ["none"] * lay["guard"]["pages"]
    m = lay["markers"]
    guarded = set() if m["rest"] == ["none"] else set(int(x) for x in m["rest"])
    out["markers"] = ["marker" if i in guarded else "present" for i in range(m["pages"])]
    if "gap" in lay:
        out["gap"] = ["none"] * lay["gap"]["pages"]
    if "file" in lay:
        out["file"] = ["present" if i in lay["file-populated"] else "none"
                       for i in range(lay["file"]["pages"])]
    return out


def expect(layout, pid, outp, hidden):
    lay = parse_layout(layout)
    psz = 4096
    states = want_states(lay)
    pages, vmas, errors = [], [], []
    with open("/proc/%d/pagemap" % pid, "rb") as pm:
        for vi, region in enumerate(["anon", "guard", "markers", "gap", "file"]):
            if region not in lay:
                continue
            r = lay[region]
            vmas.append({"name": region, "start": r["start"], "end": r["start"] + r["pages"] * psz})
            pm.seek(r["start"] // psz * 8)
            raw = struct.unpack("<%dQ" % r["pages"], pm.read(8 * r["pages"]))
            for i, e in enumerate(raw):
                present, swap = e >> 63 & 1, e >> 62 & 1
                guard = e >> 58 & 1
                state = "present" if present else "marker" if (swap and guard) else \
                    "none" if not swap else "swap?"
                if state != states[region][i]:
                    errors.append("%s page %d: pagemap says %s (0x%016x), the victim says %s"
                                  % (region, i, state, e, states[region][i]))
                rec = {"addr": r["start"] + i * psz, "vma": len(vmas) - 1, "state": state,
                       "flags": [n for n, b in FLAGS if e >> b & 1]}
                if present and not hidden:
                    rec["pfn"] = e & ((1 << 55) - 1)
                if present and region == "anon" and "exclusive" not in rec["flags"]:
                    errors.append("anon page %d: present but not exclusively mapped" % i)
                if present and region == "file" and "file" not in rec["flags"]:
                    errors.append("file page %d: present without the file bit" % i)
                pages.append(rec)
    if errors:
        raise SystemExit("layout.py: the kernel disagrees with the victim:\n  " +
                         "\n  ".join(errors[:20]))
    with open(outp, "w") as f:
        json.dump({"pid": pid, "page_size": psz, "pfn_visible": not hidden,
                   "vmas": vmas, "pages": pages}, f, indent=1)


def maps(layout, mapsjson):
    lay = parse_layout(layout)
    states = want_states(lay)
    d = json.load(open(mapsjson))
    by_start = {int(v["start"], 16): v for v in d["vmas"]}
    errors = []
    for region, sts in states.items():
        r = lay[region]
        v = by_start.get(r["start"])
        if v is None:
            errors.append("%s: no VMA starts at 0x%x" % (region, r["start"]))
            continue
        if int(v["end"], 16) != r["start"] + r["pages"] * 4096:
            errors.append("%s: VMA ends at %s" % (region, v["end"]))
        # counts are keyed by the JSON key of the state: snake_case.
        want = {s.replace("-", "_"): sts.count(s) for s in STATES}
        if v["counts"] != want:
            errors.append("%s: counts %s, want %s" % (region, v["counts"], want))
        perms = {"anon": "rw-p", "guard": "---p", "markers": "rw-p", "gap": "---p",
                 "file": "rw-s"}[region]
        if v["perms"] != perms:
            errors.append("%s: perms %s, want %s" % (region, v["perms"], perms))
        if region == "file" and v["name"] != r["path"]:
            errors.append("file: name %r, want %r" % (v["name"], r["path"]))
        if region in ("anon", "guard", "markers", "gap") and v["name"] != "":
            errors.append("%s: name %r, want anonymous" % (region, v["name"]))
    if errors:
        raise SystemExit("layout.py maps:\n  " + "\n  ".join(errors))


def main(argv):
    if argv[1] == "expect":
        expect(argv[2], int(argv[3]), argv[4], "--hidden" in argv)
    elif argv[1] == "maps":
        maps(argv[2], argv[3])
    elif argv[1] == "range":
        lay = parse_layout(argv[2])
        r = lay[argv[3]]
        print("0x%x 0x%x" % (r["start"], r["start"] + r["pages"] * 4096))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
