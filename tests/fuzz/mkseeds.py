#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpora of tests/fuzz/NAME/ (run once; the seeds are committed).

Each seed is a small, valid or nearly valid input in the format its harness
takes (see the fuzz-*.c headers).  Regression inputs of fixed bugs are added
to the same folders by hand, named regress-*.
"""
import os
import struct
import sys

top = os.path.dirname(os.path.abspath(__file__))


def put(name, seed, data):
    os.makedirs(os.path.join(top, name), exist_ok=True)
    with open(os.path.join(top, name, seed), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# maps: lines as the kernel prints them (fs/proc/task_mmu.c show_map_vma).
MAPS = {
    "anon": "7f1c2a000000-7f1c2a021000 rw-p 00000000 00:00 0 \n",
    "file": "55d0c8a00000-55d0c8a02000 r--p 00000000 fe:01 1835046                    /usr/bin/cat\n",
    "heap": "55d0c9b3e000-55d0c9b5f000 rw-p 00000000 00:00 0                          [heap]\n",
    "spaces": "7f00000000-7f00001000 rw-s 00001000 00:05 42   /tmp/a name with  spaces (deleted)\n",
    "vsyscall": "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n",
    "multi": ("00400000-00401000 r-xp 00000000 08:01 12 /bin/x\n"
              "00401000-00402000 rw-p 00001000 08:01 12 /bin/x\n"
              "7ffd1000-7ffd2000 rw-p 00000000 00:00 0 [stack]\n"),
    "bad-order": "2000-1000 rw-p 00000000 00:00 0\n",
    "no-newline": "1000-2000 rw-p 00000000 00:00 0",
    "huge-offset": "1000-2000 rw-p ffffffffffffffff 00:00 18446744073709551615 x\n",
}
for k, v in MAPS.items():
    put("maps", k, v)

# range: first byte picks the page size (0: 4K, 1: 16K, 2: 64K, 3: 2M).
RANGES = ["0x7f0000000000", "0x7f0000000000+2M", "4096-8192", "[heap]",
          "/usr/lib/libc.so.6", "0x1000+0", "1T+1", "0xffffffffffffffff+1",
          "18446744073709551615-1", "0x10-0x8", "12k", "present,device-exclusive",
          "swap-like", "0x7ffffffff000+4K"]
for i, r in enumerate(RANGES):
    put("range", "r%02d" % i, bytes([i % 4]) + r.encode())

# pagemap: a mode byte, then little-endian 64-bit entries.
P = 1 << 63
S = 1 << 62
def swp(t, off):
    return S | (off << 5) | t
ENTRIES = {
    "present-run": (8, [P | 100, P | 101, P | 102, P | (1 << 56) | 103]),
    "devexcl-615": (8, [swp(30, 500), swp(30, 501), 0, swp(29, 7), swp(28, 8)]),
    "pre615": (9, [swp(29, 1), swp(30, 2), swp(27, 3), swp(31, 0)]),
    "nodevice": (10, [swp(28, 1), swp(27, 2), swp(26, 3)]),
    "hidden": (0, [S, S | (1 << 55), P, 1 << 58, 0]),
    "swapfile": (12, [swp(0, 10), swp(0, 11), swp(1, 12)]),
    "hwpoison": (12, [swp(24, 9), swp(23, 9)]),
    "flags": (8, [P | (0x7f << 55) | 5, (1 << 58)]),
}
for k, (mode, pmes) in ENTRIES.items():
    put("pagemap", k, bytes([mode]) + b"".join(struct.pack("<Q", e) for e in pmes))
for i, rel in enumerate(["6.15.0", "7.3.0-1-amd64", "6.14.11", "5.10", "x", "6."]):
    put("pagemap", "release%d" % i, bytes([16 | 32 | 8]) + rel.encode())

# events: byte 0 picks the format (tests/fuzz/fuzz-events.c: index into
# test_formats[] of tests/formats/formats.h, or >= 0x80 to keep the record's
# own common_type), then one raw record laid out as tests/formats/SYSTEM/EVENT
# says (the offsets are read from the format files, not repeated here).
FORMATS = ["device_exclusive/device_exclusive_set", "device_exclusive/device_exclusive_restore",
           "device_exclusive/device_exclusive_remove",
           "mmu_notifier/mmu_notifier_invalidate_range_start",
           "mmu_notifier/mmu_notifier_invalidate_range_end",
           "mmu_notifier/mmu_notifier_invalidate_subscriber",
           "sched/sched_process_fork", "sched/sched_process_exit"]


def fmt_fields(path):
    import re
    with open(os.path.join(top, "..", "formats", path)) as f:
        text = f.read()
    ident = int(re.search(r"^ID: (\d+)", text, re.M).group(1))
    fields = {m.group(1): (int(m.group(2)), int(m.group(3)))
              for m in re.finditer(r"field:[^;]*?(\w+)(?:\[\d+\])?;\toffset:(\d+);\tsize:(\d+);", text)}
    return ident, fields


def record(index, values, keep_type=False):
    ident, fields = fmt_fields(FORMATS[index])
    size = max(o + n for o, n in fields.values())
    rec = bytearray(size)
    values = dict(values, common_type=ident, common_pid=values.get("common_pid", 42))
    for name, v in values.items():
        o, n = fields[name]
        rec[o:o + n] = (v & ((1 << (8 * n)) - 1)).to_bytes(n, "little")
    return bytes([0x80 if keep_type else index]) + bytes(rec)


put("events", "set", record(0, dict(mm=0x1a2b3c4d, addr=0x7f0000001000, pfn=0x3fe85, owner=0,
                                     pte=0x3f, mapcount=1)))
put("events", "restore-fork", record(1, dict(mm=1, addr=0x1000, pfn=0x10, pte=7, mapcount=2, reason=1)))
put("events", "remove-zap", record(2, dict(mm=1, addr=0x2000, pfn=0x20, reason=0)))
put("events", "range-start", record(3, dict(mm=5, start=0x1000, end=0x2000, event=7, owner=0x11, flags=1)))
put("events", "range-end", record(4, dict(mm=5, start=0x1000, end=0x2000, event=1, owner=0, flags=0)))
put("events", "subscriber", record(5, dict(mm=5, sub=0xabcdef01, interval=1, cb=0xffffffff81234561,
                                            start=0x1000, end=0x2000, event=7, owner=0x11, ret=-11)))
put("events", "fork", record(6, dict(parent_pid=100, child_pid=101)))
put("events", "exit", record(7, dict(pid=101)))
put("events", "own-type", record(0, dict(mm=9, addr=0x3000, pfn=1, owner=2, pte=1, mapcount=-1),
                                 keep_type=True))
put("events", "unknown-id", bytes([0x80, 0x39, 0x30]) + bytes(30))
put("events", "unknown-reason", record(2, dict(mm=1, addr=0x2000, pfn=0x20, reason=99)))
# A record cut short of its last field (the decoder must refuse it, not read past).
put("events", "regress-truncated-record", record(5, dict(mm=5, sub=1, cb=2, ret=0))[:-5])

# record: a mode byte (bit 0: JSON output, bit 1: pretty), then a recording
# (doc/record-format.md), gzip with a sync point after every line as the
# writer makes them, or plain text.
import json
import zlib


def rec_lines(source, events, trailer=True, version=1):
    sv = {"schema_version": 1}
    rng = {"start": "0x7f0000000000", "end": "0x7f0000010000"}
    vma = {"start": "0x7f0000000000", "end": "0x7f0000010000", "perms": "rw-p", "name": "",
           "counts": {"none": 12, "present": 2, "device_exclusive": 2}}
    lines = [dict(sv, type="header", format="devexctl-record", version=version, devexctl="0.1.0",
                  kernel="6.15.0", pid=4242, comm="victim", page_size=4096, range=rng,
                  source=source, source_reason="fuzz seed", interval_ms=100,
                  start_mono_ns=1000, start_realtime_ns=2000)]
    snap = dict(sv, type="snapshot", when="start", timestamp_ns=1000, alive=True, range=rng,
                vmas=[vma], runs=[{"addr": "0x7f0000000000", "pages": 12, "state": "none"},
                                  {"addr": "0x7f000000e000", "pages": 2,
                                   "state": "device-exclusive"}])
    lines.append(snap)
    lines.append(dict(sv, type="notifiers", when="start", document=dict(
        sv, pid=4242, subscribers=[{"kind": "interval", "id": "0x0000abcd",
                                    "callback": "dmirror_interval_invalidate"}], total=1)))
    lines += [dict(sv, **e) for e in events]
    lines.append(dict(snap, when="end", timestamp_ns=9000))
    lines.append(dict(sv, type="entries", when="end", document=dict(sv, pid=4242, entries=[],
                                                                     total=2)))
    if trailer:
        lines.append(dict(sv, type="trailer", stopped="duration", timestamp_ns=9001,
                          realtime_ns=3000, events=len(events), lost=0, polls=3))
    return [json.dumps(l, separators=(",", ":")) + "\n" for l in lines]


def gz(lines):
    c = zlib.compressobj(6, zlib.DEFLATED, 31)
    out = b"".join(c.compress(l.encode()) + c.flush(zlib.Z_SYNC_FLUSH) for l in lines)
    return out + c.flush()


POLL = [dict(type="change", timestamp_ns=2000 + i, source="poll", addr="0x7f0000001000",
             pages=1 + i % 2, **{"from": a, "to": b})
        for i, (a, b) in enumerate([("none", "present"), ("present", "device-exclusive"),
                                    ("device-exclusive", "present"), ("present", "none"),
                                    ("none", "marker")])]
TRACE = [dict(type="set", timestamp_ns=2000, source="tracefs", mm="0x1a2b3c4d",
              addr="0x7f0000001000", pfn="0x3fe85", owner="0x00000011"),
         dict(type="subscriber", timestamp_ns=2001, source="tracefs", mm="0x1a2b3c4d",
              sub="0x0000abcd", callback="dmirror_interval_invalidate", ret=0),
         dict(type="restore", timestamp_ns=3000, source="tracefs", addr="0x7f0000001000",
              reason="fault"),
         dict(type="set", timestamp_ns=4000, source="probes", addr="0x7f0000002000"),
         dict(type="restore", timestamp_ns=5000, source="tracefs", addr="0x7f0000002000",
              reason="fork"),
         dict(type="remove", timestamp_ns=6000, source="tracefs", addr="0x7f000000e000",
              reason="zap"),
         dict(type="lost", timestamp_ns=7000, source="tracefs", lost=3)]
put("record", "poll-gz", b"\x00" + gz(rec_lines("poll", POLL)))
put("record", "poll-plain-json", b"\x01" + "".join(rec_lines("poll", POLL)).encode())
put("record", "trace-gz-json", b"\x03" + gz(rec_lines("tracepoints", TRACE)))
put("record", "trace-plain", b"\x00" + "".join(rec_lines("tracepoints", TRACE)).encode())
put("record", "killed", b"\x01" + gz(rec_lines("poll", POLL, trailer=False))[:-10])
put("record", "version-2", b"\x00" + "".join(rec_lines("poll", [], version=2)).encode())
whole = gz(rec_lines("tracepoints", TRACE))
put("record", "cut", b"\x00" + whole[:len(whole) // 2])
flip = bytearray(whole)
flip[len(flip) // 3] ^= 0x55
put("record", "flipped", b"\x01" + bytes(flip))
