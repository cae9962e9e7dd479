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

# events: nlmsghdr + genlmsghdr + attributes (cli/uapi_devexcl.h).
def attr(t, payload):
    a = struct.pack("<HH", 4 + len(payload), t) + payload
    return a + b"\0" * (-len(a) % 4)
def u8(v): return struct.pack("<B", v)
def u32(v): return struct.pack("<I", v & 0xffffffff)
def u64(v): return struct.pack("<Q", v)
def msg(cmd, attrs):
    body = struct.pack("<BBH", cmd, 1, 0) + b"".join(attrs)
    return struct.pack("<IHHII", 16 + len(body), 0x20, 0, 0, 0) + body

TS, OPID, OP, PID, CPID, MM, ADDR, PFN, OWNER, ERR, PTE, MAPC, EV, RS, RE, SK, SOPS, SS, SL = range(2, 21)
put("events", "convert", msg(1, [attr(TS, u64(123)), attr(OPID, u64(7)), attr(OP, u8(0)),
                                 attr(PID, u32(42)), attr(CPID, u32(43)), attr(MM, u64(0xdead)),
                                 attr(ADDR, u64(0x7f0000000000)), attr(PFN, u64(0x1234)),
                                 attr(OWNER, u64(0)), attr(ERR, u32(0)), attr(PTE, u32(0x3f)),
                                 attr(MAPC, u32(1))]))
put("events", "convert-failed", msg(1, [attr(OPID, u64(8)), attr(ERR, u32(-16)), attr(ADDR, u64(0x1000))]))
put("events", "restore", msg(2, [attr(OPID, u64(9)), attr(OP, u8(1)), attr(PTE, u32(7)),
                                 attr(PFN, u64(99))]))
put("events", "notify", msg(3, [attr(OPID, u64(7)), attr(EV, u32(7)), attr(RS, u64(0x1000)),
                                attr(RE, u64(0x2000)), attr(SK, u8(1)),
                                attr(SOPS, b"dmirror_interval_invalidate\0"),
                                attr(SS, u64(0)), attr(SL, u64(0xffffffff))]))
put("events", "unknown-attr", msg(3, [attr(200, u64(1)), attr(EV, u32(99))]))
put("events", "bad-string", msg(3, [attr(SOPS, b"no-nul")]))
put("events", "truncated", msg(1, [attr(TS, u64(1))])[:-3])
