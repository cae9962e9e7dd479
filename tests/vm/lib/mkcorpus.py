#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write tests/vm/guest/devexcl-corpus.tab: the hostile-input corpus for the
devexcl debugfs files (run by tests/vm/guest/t-devexcl-corpus).

The systematic rows (u64 boundaries in every field, lengths, bytes) get their
expected errno from model(), which is the documented ABI
(Documentation/mm/devexcl.rst, kernel-debugfs/README.md) written down once
more; the hand-written rows (HAND) check answers over a known layout.
Regenerate after changing either:  tests/vm/lib/mkcorpus.py
"""
import os
import sys

FILES = ["info", "entries", "notifiers", "make_exclusive", "revert"]
PID_MAX_LIMIT = 4194304          # x86_64, 64-bit: 4 * 1024 * 1024
TASK_SIZE = 0x7FFFFFFFF000       # x86_64 4-level paging (QEMU TCG has no LA57)
MAX_ACTION = 64 << 20            # make_exclusive/revert: at most 64 MiB a write
INPUT_MAX = 63                   # bytes

U64 = ["0", "1", "4095", "4096", "2147483647", "2147483648", "4294967295",
       "4294967296", "9223372036854775807", "9223372036854775808",
       "18446744073709551615", "18446744073709551616",
       "99999999999999999999999", "0x0", "0x1", "0xfff", "0x1000",
       "0x7fffffff", "0x80000000", "0xffffffff", "0x100000000",
       "0x7fffffffffffffff", "0x8000000000000000", "0xffffffffffffffff",
       "0x10000000000000000", "0xfffffffffffff000", "0x40000000",
       "0x40001000", "0x7ffffffff000", "0x7ffffffff001", "0x800000000000",
       "0xffff800000000000", "0xffffffffff600000", "0xffffffffff601000",
       "-1", "-0", "+4096", "0x", "0X1000", "010000", "08", "1e3", "0b1"]
PIDS = ["0", "1", "2", "4194304", "4194305", "32768", "-1", "2147483648",
        "2147483647", "4294967296", "18446744073709551615",
        "18446744073709551616", "0x1", "0x0", "@KT@", "@P@"]


def kstrtoul(s):
    """The kernel's kstrtoul(s, 0): None when it fails."""
    t = s[1:] if s.startswith("+") else s
    base = 10
    if t[:2].lower() == "0x":
        t, base = t[2:], 16
    elif t.startswith("0") and len(t) > 1:
        t, base = t[1:], 8
    digits = "0123456789abcdef"[:base]
    if not t or any(c not in digits for c in t.lower()):
        return None
    v = int(t, base)
    return v if v < 1 << 64 else None


def pid_kind(tok):
    """exists, kthread or none, for the PID tokens used here."""
    if tok in ("@P@", "@KT@"):
        return "exists" if tok == "@P@" else "kthread"
    return {1: "exists", 2: "kthread"}.get(kstrtoul(tok), "none")


def model(fields):
    """Expected answer of each file to "f0[,f1,f2]" (already split)."""
    out = {"info": "EINVAL"}
    vals = []
    split = len(fields) == 4 and fields[3] == "split"
    if split:                    # make_exclusive only: "PID,START,END,split"
        exp = model(fields[:3])
        return dict({f: "EINVAL" for f in FILES},
                    make_exclusive=exp["make_exclusive"])
    for f in fields:
        v = 1 if f in ("@P@", "@KT@") else kstrtoul(f)
        if v is None or len(fields) not in (1, 3):
            return dict(out, **{f: "EINVAL" for f in FILES[1:]})
        vals.append(v)
    for f in FILES[1:]:
        ranged = len(vals) == 3
        if vals[0] == 0 or vals[0] > PID_MAX_LIMIT:
            out[f] = "EINVAL"
            continue
        if f in ("make_exclusive", "revert") and not ranged:
            out[f] = "EINVAL"
            continue
        if ranged and (vals[1] % 4096 or vals[2] % 4096 or vals[1] >= vals[2]):
            out[f] = "EINVAL"
            continue
        if f == "notifiers" and ranged:
            out[f] = "EINVAL"
            continue
        kind = pid_kind(fields[0])
        if kind == "none":
            out[f] = "ESRCH"
            continue
        if kind == "kthread":
            out[f] = "EINVAL"
            continue
        if ranged and vals[2] > TASK_SIZE:
            out[f] = "EINVAL"
            continue
        if (ranged and f in ("make_exclusive", "revert") and
                vals[2] - vals[1] > MAX_ACTION):
            out[f] = "EINVAL"
            continue
        out[f] = "ok"
    return out


def safe_for_init(fields, exp):
    """Never convert pages of init (PID 1) or of any real range of it."""
    return not (pid_kind(fields[0]) == "exists" and fields[0] != "@P@" and
                len(fields) == 3)


rows = []


def add(inp, exp, why):
    rows.append((inp, [exp[f] for f in FILES], why))


def add_model(inp, why):
    fields = inp.split(",")
    exp = model(fields)
    if not safe_for_init(fields, exp):
        return
    add(inp, exp, why)


# Hand-written rows over dxlayout's map (see dxlayout.c); the answers read
# back must contain the given line. Order matters: each row undoes itself.
HAND = [
    ("@P@,@A@,@BE@", "ok:# 0 entries", "EINVAL", "ok:# ok=8 failed=0 skipped=5",
     "ok:# ok=8 failed=0 skipped=5", "across the hole between a and b"),
    ("@P@,@G0@,@G0E@", "ok:# 0 entries", "EINVAL", "ok:# ok=0 failed=0 skipped=1",
     "ok:# ok=0 failed=0 skipped=1", "inside a guard page"),
    ("@P@,@G5@,@HE@", "ok:# 0 entries", "EINVAL", "ok:# ok=0 failed=0 skipped=5",
     "ok:# ok=0 failed=0 skipped=5", "guard page and hole"),
    ("@P@,@H@,@HE@", "ok:# 0 entries", "EINVAL",
     "ok:skipped reason=not_present pages=4", "ok:# ok=0 failed=0 skipped=4", "a hole"),
    ("@P@,@AREA@,@AREAE@", "ok:# 0 entries", "EINVAL", "ok:# ok=8 failed=0 skipped=8",
     "ok:# ok=8 failed=0 skipped=8", "the whole area with guards and hole"),
    ("@P@,@RO@,@ROE@", "ok:# 0 entries", "EINVAL",
     "ok:skipped reason=not_writable pages=2", "ok:# ok=0 failed=0 skipped=2",
     "read-only mapping (left alone: not writable)"),
    ("@P@,@SH@,@SHE@", "ok:# 0 entries", "EINVAL", "ok:# ok=0 failed=2 skipped=0",
     "ok:# ok=0 failed=0 skipped=2", "shared mapping (-EOPNOTSUPP per page)"),
    ("@P@,@SH@,@ROE@", "ok:# 0 entries", "EINVAL", "ok:# ok=0 failed=2 skipped=2",
     "ok:# ok=0 failed=0 skipped=4", "shared then read-only"),
    ("@P@,@H@,@HE@,split", "EINVAL", "EINVAL", "ok:# ok=0 failed=0 skipped=4",
     "EINVAL", "split: make_exclusive only"),
    ("@P@,@A@,@AE@,Split", "EINVAL", "EINVAL", "EINVAL", "EINVAL",
     "split is spelt in lower case"),
    ("@P@,@A@,@AE@,split,split", "EINVAL", "EINVAL", "EINVAL", "EINVAL",
     "split twice"),
    ("@P@,split", "EINVAL", "EINVAL", "EINVAL", "EINVAL", "split without a range"),
    ("@P@,0xffffffffff600000,0xffffffffff601000", "EINVAL", "EINVAL", "EINVAL",
     "EINVAL", "the vsyscall page"),
    ("@P@,0xffffffffff600000,0xfffffffffffff000", "EINVAL", "EINVAL", "EINVAL",
     "EINVAL", "vsyscall page to the top"),
    ("@P@,0x7ffffffff000,0x800000000000", "EINVAL", "EINVAL", "EINVAL",
     "EINVAL", "the page at TASK_SIZE"),
    ("@P@,0x7fffffffe000,0x7ffffffff000", "ok", "EINVAL", "ok", "ok",
     "the last page below TASK_SIZE"),
    ("@P@,0x800000000000,0x800000001000", "EINVAL", "EINVAL", "EINVAL",
     "EINVAL", "past TASK_SIZE"),
    ("@P@,0xffff800000000000,0xffff800000001000", "EINVAL", "EINVAL",
     "EINVAL", "EINVAL", "kernel half"),
    ("@P@,0x0,0x1000", "ok:# 0 entries", "EINVAL", "ok:# ok=0 failed=0 skipped=1",
     "ok:# ok=0 failed=0 skipped=1", "page 0"),
    ("@P@,0x0,0x4000000", "ok", "EINVAL", "ok", "ok", "exactly 64 MiB"),
    ("@P@,0x0,0x4001000", "ok", "EINVAL", "EINVAL", "EINVAL",
     "one page over 64 MiB"),
    ("@P@", "ok", "ok:# 0 subscribers", "EINVAL", "EINVAL", "whole mm"),
    ("@P@,@A@,@AE@", "ok:# 0 entries", "EINVAL", "ok:# ok=4 failed=0",
     "ok:# ok=4 failed=0 skipped=0", "the four pages of a"),
]
for inp, e, n, m, r, why in HAND:
    add(inp, {"info": "EINVAL", "entries": e, "notifiers": n,
              "make_exclusive": m, "revert": r}, why)

# PIDs alone and in every position of a request.
for p in PIDS:
    add_model(p, "pid alone")
    if p != "1":
        add_model(p + ",0x1000,0x2000", "pid of a ranged request")
# Every u64 boundary as START and as END, and as the lone field.
for v in U64:
    add_model("@P@," + v + ",0x2000", "start boundary")
    add_model("@P@,0x0," + v, "end boundary")
    n = kstrtoul(v)
    if n is None or n <= 2 or n > 32767:     # 3..32767 may be a live PID
        add_model(v, "lone field")
# Field counts and separators.
for inp in ["@P@,", ",@P@", "@P@,,", "@P@,0x1000", "@P@,0x1000,",
            "@P@,0x1000,0x2000,", "@P@,0x1000,0x2000,0x3000",
            "@P@,0x1000,0x2000,0x3000,0x4000", ",", ",,", ",,,",
            "@P@,,0x2000", "@P@;0x1000;0x2000", "@P@ 0x1000 0x2000",
            "@P@:0x1000:0x2000", "@P@, 0x1000,0x2000", "@P@,0x1000 ,0x2000",
            "@P@,0x1000,0x2000 x", "@P@-0x1000-0x2000",
            "@P@,0x1000-0x2000", "@P@,0x1000+4K", "@P@,4K,8K",
            "pid=@P@", "@P@,start,end"]:
    fields = inp.split(",")
    exp = model(fields) if all(x for x in fields) else \
        {f: "EINVAL" for f in FILES}
    exp["info"] = "EINVAL"
    add(inp, exp, "field count or separator")
# Lengths: N bytes of '1' (0 and 1 are "" and "1"; 2-7 could name a
# live PID, so they are left out).
for n in [0, 1, 8, 62, 63, 64, 65, 100, 127, 128, 255, 256, 511, 512, 1023,
          1024, 2047, 2048, 4095, 4096, 4097, 8191, 8192, 16384, 65535, 65536]:
    exp = model(["1" * n]) if 0 < n <= INPUT_MAX else \
        {f: "EINVAL" for f in FILES}
    add("len:%d" % n, exp, "length")
# A valid request padded with blanks to 63 (accepted) and 64 bytes (not).
add("@P@@PAD63@", model(["@P@"]), "padded with blanks to 63 bytes")
add("@P@@PAD64@", {f: "EINVAL" for f in FILES}, "padded with blanks to 64 bytes")
# Bytes: NULs, control characters, non-ASCII, UTF-8.
BAD = {f: "EINVAL" for f in FILES}
for inp in ["\\0", "\\0\\0\\0\\0", "@P@\\0", "\\0@P@", "@P@\\0,0x1000,0x2000",
            "@P@,0x1000\\0,0x2000", "@P@,0x1000,0x2000\\0",
            "\\xff", "\\xfe\\xff", "\\x80", "@P@\\xff", "\\xc3\\xa9",
            "\\xef\\xbc\\x91", "\\xe2\\x80\\x8b@P@", "@P@\\x7f",
            "\\x1b[2J", "@P@\\x08", "\\x01", "\\x1f", "@P@,0x1000\\x00\\x00"]:
    add(inp, BAD, "bytes")
for c in range(1, 32):
    if chr(c) in "\t\n\v\f\r":
        continue        # whitespace: strim() removes it at either end
    add("@P@\\x%02x" % c, BAD, "control byte after the PID")
for c in "\t\n\v\f\r ":
    add("\\x%02x@P@\\x%02x" % (ord(c), ord(c)), model(["@P@"]),
        "whitespace around the request is trimmed")
# Zombies and a bad user pointer.
add("zombie:", {"info": "EINVAL", "entries": "ESRCH", "notifiers": "ESRCH",
                "make_exclusive": "EINVAL", "revert": "EINVAL"}, "zombie pid")
add("zombie:,0x1000,0x2000", {"info": "EINVAL", "entries": "ESRCH",
                              "notifiers": "EINVAL", "make_exclusive": "ESRCH",
                              "revert": "ESRCH"}, "zombie pid, ranged")
for n in [1, 4, 63]:
    add("fault:%d" % n, {"info": "EINVAL", **{f: "EFAULT" for f in FILES[1:]}},
        "unmapped buffer")
for n in [0, 64, 4096]:
    add("fault:%d" % n, BAD, "unmapped buffer, bad length first")

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "guest", "devexcl-corpus.tab")
seen = set()
with open(out, "w") as f:
    f.write("# devexcl hostile-input corpus, generated by tests/vm/lib/mkcorpus.py.\n"
            "# INPUT<TAB>info<TAB>entries<TAB>notifiers<TAB>make_exclusive<TAB>revert<TAB>why\n"
            "# INPUT: dxwrite escapes (\\0, \\xHH); len:N = N bytes of '1'; zombie:SUFFIX =\n"
            "# an unreaped child's PID then SUFFIX; fault:N = N bytes from an unmapped\n"
            "# address; @NAME@ = a value from t-devexcl-corpus (target PID, dxlayout map).\n"
            "# Cells: errno name, ok, or ok:LINE (the answer read back has LINE).\n")
    n = 0
    for inp, exp, why in rows:
        if inp in seen:
            continue
        seen.add(inp)
        f.write("\t".join([inp or "\"\""] + exp + [why]) + "\n")
        n += 1
print("%d rows x %d files = %d writes -> %s" % (n, len(FILES), n * len(FILES),
                                                os.path.relpath(out)), file=sys.stderr)
