#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Build a devexctl snapshot directory from a readable description.

    mkfixture.py DESC SNAPDIR [--expect FILE]

The snapshot is laid out exactly as 'devexctl snapshot PID DIR' writes it
(cli/cmd_snapshot.c): SNAPDIR/PID/{maps,pagemap,status},
SNAPDIR/sys/kernel/osrelease and SNAPDIR/devexctl-snapshot.  pagemap is
sparse, one 64-bit entry per page at offset ADDR / page_size * 8.

The entries are encoded here from the kernel's documented layout
(Documentation/admin-guide/mm/pagemap.rst, include/linux/swap.h), not with
devexctl's decoder, so the tests compare two independent readings.

--expect FILE writes what devexctl must report, as JSON:
  {"pid": N, "page_size": N, "pfn_visible": bool, "swap_layout": "...",
   "vmas": [{"start", "end", "perms", "name", "pages",
             "counts": {state key: n}, "in_pagemap": bool}],
   "pages": [{"addr", "vma", "state", "pfn"?, "flags": [...],
              "swap_type"?, "entry_type"?, "swap_offset"?}]}
Every page of every VMA below the kernel half is listed, in order.  The
counts are keyed as devexctl -j maps keys them: the state name in snake_case
(device_exclusive), as every JSON key.

Description format: one directive per line, '#' starts a comment line.
  release 7.3.4                 kernel release (sys/kernel/osrelease)
  pid 4242
  page_size 4096
  pfn_visible 1                 0: the capture had no CAP_SYS_ADMIN
  swap_layout 6.15              6.15 | pre-6.15 | no-device-private | auto
                                (auto: no key; devexctl derives it from release)
  memory_failure 1              CONFIG_MEMORY_FAILURE: a hwpoison type exists
  layout_source TEXT            free text for the meta file
  status_name NAME              Name: line of DIR/PID/status
  vma START-END PERMS OFFSET MAJ:MIN INODE [NAME]
                                as in /proc/PID/maps; NAME may hold spaces;
                                \\xNN escapes put raw bytes in the name
  maps_raw TEXT                 a verbatim maps line (malformed-input tests)
  page ADDR STATE [ARGS]        one page (ADDR is hex, 0x optional)
  pages ADDR COUNT STATE [ARGS] COUNT pages; pfn= and offset= count up
  entry ADDR type=N offset=N    short for 'page ADDR entry type=N offset=N'
  truncate ADDR                 pagemap ends just before ADDR's entry
  omit FILE                     do not write FILE: maps, pagemap, status,
                                osrelease or meta
STATE and ARGS:
  none                          no entry (with flags=soft_dirty: a hole in a
                                VM_SOFTDIRTY VMA; without flags, writes nothing)
  present    pfn=N
  swap       type=N offset=N   (type defaults to 0)
  device-exclusive pfn=N [kind=write|read]   (kind only before 6.15)
  device-private   pfn=N kind=write|read
  migration  pfn=N kind=read|read-exclusive|write
  hwpoison   pfn=N
  guard                         a guard-region PTE marker
  uffd-marker                   a uffd-wp PTE marker
  entry      type=N offset=N   any swap-format type; expectation from the table
  raw        value=N           a raw pagemap entry (no expectation: 'raw')
Common ARGS: flags=soft_dirty,exclusive,uffd_wp,file (comma list).
Other numbers are decimal or 0x-hex.
"""

import json
import os
import struct
import sys

PM_PRESENT = 1 << 63
PM_SWAP = 1 << 62
PM_FILE = 1 << 61
PM_GUARD = 1 << 58
PM_UFFD_WP = 1 << 57
PM_EXCLUSIVE = 1 << 56
PM_SOFT_DIRTY = 1 << 55
PM_FRAME = (1 << 55) - 1
SWAP_TYPE_SHIFT = 5  # MAX_SWAPFILES_SHIFT

FLAG_BITS = {
    "soft_dirty": PM_SOFT_DIRTY,
    "exclusive": PM_EXCLUSIVE,
    "uffd_wp": PM_UFFD_WP,
    "guard": PM_GUARD,
    "file": PM_FILE,
}
FLAG_ORDER = ["soft_dirty", "exclusive", "uffd_wp", "guard", "file"]
STATES = ["none", "present", "swap", "swap-like", "device-exclusive",
          "device-private", "migration", "hwpoison", "marker"]
KERNEL_HALF = 1 << 63


class DescError(Exception):
    pass


def num(s):
    return int(s, 0)


def swap_types(layout, memory_failure):
    """type number -> (state, entry name), as include/linux/swap.h numbers them.

    From the top of the 5-bit space: the PTE marker at 31, then the device
    types (6.15+: private-write, private-read, exclusive; before 6.15:
    private-write, private-read, exclusive-write, exclusive-read; none
    without CONFIG_DEVICE_PRIVATE), then the three migration types, then
    hwpoison when CONFIG_MEMORY_FAILURE; everything below is a swap file.
    """
    dev = {
        "6.15": ["device-private-write", "device-private-read", "device-exclusive"],
        "pre-6.15": ["device-private-write", "device-private-read",
                     "device-exclusive-write", "device-exclusive-read"],
        "no-device-private": [],
    }[layout]
    top = ["migration-read", "migration-read-exclusive", "migration-write"] + dev + ["pte-marker"]
    if memory_failure:
        top = ["hwpoison"] + top
    first = 32 - len(top)
    table = {}
    for t in range(first):
        table[t] = ("swap", "swap")
    for i, name in enumerate(top):
        if name.startswith("device-exclusive"):
            st = "device-exclusive"
        elif name.startswith("device-private"):
            st = "device-private"
        elif name.startswith("migration"):
            st = "migration"
        elif name == "pte-marker":
            st = "marker"
        else:
            st = name
        table[first + i] = (st, name)
    return table, first


def layout_for_release(release):
    major, _, rest = release.partition(".")
    minor = rest.split(".")[0].split("-")[0]
    try:
        major, minor = int(major), int(minor or 0)
    except ValueError:
        return "pre-6.15"
    return "6.15" if (major, minor) >= (6, 15) else "pre-6.15"


def unescape_name(s):
    """\\xNN -> the byte NN; everything else as UTF-8."""
    out = bytearray()
    i = 0
    while i < len(s):
        if s.startswith("\\x", i) and i + 4 <= len(s):
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            out += s[i].encode()
            i += 1
    return bytes(out)


class Fixture:
    def __init__(self):
        self.release = "7.3.4"
        self.pid = 4242
        self.page_size = 4096
        self.pfn_visible = True
        self.layout = "6.15"
        self.layout_key = True
        self.memory_failure = True
        self.layout_source = "fixture"
        self.status_name = "victim"
        self.maps_lines = []  # bytes
        self.vmas = []        # dicts
        self.entries = {}     # page index -> (raw, expectation or None)
        self.truncate = None
        self.omit = set()

    # -- encoding -------------------------------------------------------
    def table(self):
        return swap_types(self.layout, self.memory_failure)

    def type_for(self, state, kind):
        table, _ = self.table()
        want = {
            "device-exclusive": "device-exclusive" if self.layout == "6.15"
            else "device-exclusive-" + (kind or "write"),
            "device-private": "device-private-" + (kind or "write"),
            "migration": "migration-" + (kind or "read"),
            "hwpoison": "hwpoison",
        }[state]
        for t, (_, name) in table.items():
            if name == want:
                return t
        raise DescError("no swap type '%s' in layout %s (memory_failure %d)"
                        % (want, self.layout, self.memory_failure))

    def encode(self, state, args):
        """(raw entry, expectation dict or None) for one page."""
        flags = [f for f in args.get("flags", "").split(",") if f]
        fbits = 0
        for f in flags:
            if f not in FLAG_BITS:
                raise DescError("unknown flag '%s'" % f)
            fbits |= FLAG_BITS[f]
        exp = {"flags": set(flags)}
        table, _ = self.table()
        if state == "raw":
            return num(args["value"]), None
        if state == "none":
            # no PTE; pagemap still sets soft-dirty in a VM_SOFTDIRTY VMA
            exp["state"] = "none"
            return fbits, exp
        if state == "present":
            pfn = num(args.get("pfn", "0"))
            raw = PM_PRESENT | fbits | (pfn if self.pfn_visible else 0)
            exp["state"] = "present"
            if self.pfn_visible:
                exp["pfn"] = pfn
            return raw, exp
        if state in ("guard", "uffd-marker"):
            # pagemap: PM_SWAP, the marker type when PFNs show, and the
            # guard or uffd-wp bit; the guard bit shows to everyone.
            extra = PM_GUARD if state == "guard" else PM_UFFD_WP
            exp["flags"].add("guard" if state == "guard" else "uffd_wp")
            frame = 31 if self.pfn_visible else 0
            raw = PM_SWAP | extra | fbits | frame
            if state == "guard" or self.pfn_visible:
                exp["state"] = "marker"
            else:
                exp["state"] = "swap-like"
            return raw, exp
        if state in ("swap", "entry"):
            t = num(args.get("type", "0"))
            off = num(args.get("offset", "0"))
            if state == "swap" and table[t][0] != "swap":
                raise DescError("type %d is not a swap file in layout %s" % (t, self.layout))
        else:
            if state not in ("device-exclusive", "device-private", "migration", "hwpoison"):
                raise DescError("unknown state '%s'" % state)
            t = self.type_for(state, args.get("kind"))
            off = num(args.get("pfn", "0"))
        raw = PM_SWAP | fbits
        if self.pfn_visible:
            raw |= t | (off << SWAP_TYPE_SHIFT)
            st, name = table[t]
            exp["state"] = st
            if st == "marker":
                pass
            elif st == "swap":
                exp["swap_type"] = t
                exp["entry_type"] = name
                exp["swap_offset"] = off
            else:
                exp["swap_type"] = t
                exp["entry_type"] = name
                exp["pfn"] = off
        else:
            exp["state"] = "swap-like"
        return raw, exp

    def set_page(self, addr, raw, exp):
        if addr % self.page_size:
            raise DescError("address 0x%x is not page-aligned" % addr)
        if not any(v["start"] <= addr < v["end"] for v in self.vmas):
            raise DescError("address 0x%x is in no VMA" % addr)
        self.entries[addr // self.page_size] = (raw, exp)

    # -- parsing --------------------------------------------------------
    def parse(self, lines):
        for lineno, line in enumerate(lines, 1):
            s = line.rstrip("\n")
            if not s.strip() or s.lstrip().startswith("#"):
                continue
            try:
                self.directive(s)
            except (DescError, ValueError, KeyError, IndexError) as e:
                raise DescError("line %d: %s: %s" % (lineno, s.strip(), e))

    def directive(self, s):
        word, _, rest = s.strip().partition(" ")
        rest = rest.strip()
        if word == "release":
            self.release = rest
            if not self.layout_key:
                self.layout = layout_for_release(rest)
        elif word == "pid":
            self.pid = int(rest)
        elif word == "page_size":
            self.page_size = num(rest)
        elif word == "pfn_visible":
            self.pfn_visible = rest == "1"
        elif word == "swap_layout":
            if rest == "auto":
                self.layout_key = False
                self.layout = layout_for_release(self.release)
            else:
                swap_types(rest, True)  # validates the name
                self.layout = rest
                self.layout_key = True
        elif word == "memory_failure":
            self.memory_failure = rest == "1"
        elif word == "layout_source":
            self.layout_source = rest
        elif word == "status_name":
            self.status_name = rest
        elif word == "omit":
            self.omit.add(rest)
        elif word == "truncate":
            self.truncate = num(rest)
        elif word == "maps_raw":
            self.maps_lines.append(unescape_name(rest))
        elif word == "vma":
            self.vma(rest)
        elif word == "entry":
            self.directive("page " + rest.split(None, 1)[0] + " entry " +
                           (rest.split(None, 1) + [""])[1])
        elif word in ("page", "pages"):
            parts = rest.split()
            addr = int(parts[0], 16)
            if word == "pages":
                count, state, argv = num(parts[1]), parts[2], parts[3:]
            else:
                count, state, argv = 1, parts[1], parts[2:]
            args = dict(a.split("=", 1) for a in argv)
            for i in range(count):
                a = dict(args)
                for k in ("pfn", "offset"):
                    if k in a:
                        a[k] = str(num(a[k]) + i)
                raw, exp = self.encode(state, a)
                self.set_page(addr + i * self.page_size, raw, exp)
        else:
            raise DescError("unknown directive '%s'" % word)

    def vma(self, rest):
        # START-END PERMS OFFSET DEV INODE [NAME...]
        f = rest.split(None, 5)
        start_s, end_s = f[0].split("-")
        start, end = int(start_s, 16), int(end_s, 16)
        perms, offset, dev, inode = f[1], int(f[2], 16), f[3], int(f[4])
        name = f[5] if len(f) > 5 else ""
        if start % self.page_size or end % self.page_size or end <= start:
            raise DescError("bad VMA bounds")
        if self.vmas and start < self.vmas[-1]["end"]:
            raise DescError("VMAs must be in order and not overlap")
        raw_name = unescape_name(name)
        head = "%x-%x %s %08x %s %d" % (start, end, perms, offset, dev, inode)
        if raw_name:
            line = head.encode() + b" " * max(1, 73 - len(head)) + raw_name
        else:
            line = head.encode() + b" "
        self.maps_lines.append(line)
        self.vmas.append({
            "start": start, "end": end, "perms": perms, "offset": offset,
            "name": raw_name.decode("utf-8", "replace"),
            "deleted": raw_name.endswith(b" (deleted)"),
        })

    # -- output ---------------------------------------------------------
    def write(self, d):
        pdir = os.path.join(d, str(self.pid))
        os.makedirs(pdir, exist_ok=True)
        os.makedirs(os.path.join(d, "sys", "kernel"), exist_ok=True)
        if "maps" not in self.omit:
            with open(os.path.join(pdir, "maps"), "wb") as f:
                for line in self.maps_lines:
                    f.write(line + b"\n")
        if "status" not in self.omit:
            with open(os.path.join(pdir, "status"), "w") as f:
                f.write("Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%d\nPid:\t%d\n"
                        % (self.status_name, self.pid, self.pid))
        if "pagemap" not in self.omit:
            size = 0
            for v in self.vmas:
                if v["start"] < KERNEL_HALF:
                    size = max(size, v["end"] // self.page_size * 8)
            if self.truncate is not None:
                size = self.truncate // self.page_size * 8
            with open(os.path.join(pdir, "pagemap"), "wb") as f:
                for idx in sorted(self.entries):
                    raw, _ = self.entries[idx]
                    if raw and idx * 8 < size:
                        f.seek(idx * 8)
                        f.write(struct.pack("<Q", raw))
                f.truncate(size)
        if "osrelease" not in self.omit:
            with open(os.path.join(d, "sys", "kernel", "osrelease"), "w") as f:
                f.write(self.release + "\n")
        if "meta" not in self.omit:
            meta = ["# devexctl snapshot: replay with 'devexctl --proc DIR COMMAND PID'",
                    "# written by tests/mkfixture.py",
                    "format 1", "pid %d" % self.pid, "time 0",
                    "page_size %d" % self.page_size,
                    "pfn_visible %d" % self.pfn_visible,
                    "pfn_reason %s" % ("-" if self.pfn_visible else
                                       "PFNs and swap types hidden: fixture without CAP_SYS_ADMIN")]
            if self.layout_key:
                meta.append("swap_layout %s" % self.layout)
            meta += ["memory_failure %d" % self.memory_failure,
                     "layout_source %s" % self.layout_source]
            with open(os.path.join(d, "devexctl-snapshot"), "w") as f:
                f.write("\n".join(meta) + "\n")

    def expectation(self):
        pages = []
        vmas = []
        for vi, v in enumerate(self.vmas):
            counts = {s.replace("-", "_"): 0 for s in STATES}
            inpm = v["start"] < KERNEL_HALF
            for a in range(v["start"], v["end"], self.page_size) if inpm else []:
                raw, exp = self.entries.get(a // self.page_size, (0, None))
                if raw == 0:
                    exp = {"state": "none", "flags": set()}
                if exp is None:
                    exp = {"state": "raw", "flags": set()}
                rec = {"addr": a, "vma": vi, "state": exp["state"],
                       "flags": sorted(exp["flags"], key=FLAG_ORDER.index)}
                for k in ("pfn", "swap_type", "entry_type", "swap_offset"):
                    if k in exp:
                        rec[k] = exp[k]
                pages.append(rec)
                key = exp["state"].replace("-", "_")
                if key in counts:
                    counts[key] += 1
            vmas.append({"start": v["start"], "end": v["end"], "perms": v["perms"],
                         "offset": v["offset"], "name": v["name"], "deleted": v["deleted"],
                         "pages": (v["end"] - v["start"]) // self.page_size,
                         "in_pagemap": inpm, "counts": counts})
        return {"pid": self.pid, "page_size": self.page_size,
                "pfn_visible": self.pfn_visible, "swap_layout": self.layout,
                "release": self.release, "vmas": vmas, "pages": pages}


def main(argv):
    args = argv[1:]
    expect = None
    if "--expect" in args:
        i = args.index("--expect")
        expect = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.stderr.write("usage: mkfixture.py DESC SNAPDIR [--expect FILE]\n")
        return 2
    fx = Fixture()
    try:
        with open(args[0], encoding="utf-8") as f:
            fx.parse(f)
    except DescError as e:
        sys.stderr.write("mkfixture.py: %s: %s\n" % (args[0], e))
        return 1
    fx.write(args[1])
    if expect:
        with open(expect, "w") as f:
            json.dump(fx.expectation(), f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
