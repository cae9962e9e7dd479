#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The JSON writer's hardest output parses with python3 and means what was written.
. "${top_srcdir:-.}/tests/lib.sh"
need_python
"$TEST_JSON" --emit > "$WORK/emit.json" || fail "test-json --emit failed"
"$PY" - "$WORK/emit.json" <<'PYEOF' || fail "python3 check of the JSON writer's output"
import json, sys
text = open(sys.argv[1], "rb").read()
text.decode("utf-8")            # strict: the writer never emits invalid UTF-8
dec = json.JSONDecoder()
s = text.decode()
docs, i = [], 0
while i < len(s):
    while i < len(s) and s[i].isspace():
        i += 1
    if i == len(s):
        break
    d, i = dec.raw_decode(s, i)
    docs.append(d)
assert len(docs) == 2, len(docs)
d, pretty = docs
st = d["strings"]
R = "\ufffd"
want = {
    "plain": "plain",
    "quote": 'say "hi"',
    "backslash": "C:\\path\\",
    "controls": "\x01\x02\x08\x0c\r\n\t\x1b\x1f\x7f",
    "utf8": "\u00e9\u20ac\U0001F600",
    "bad-ff": "a" + R + "b",
    "bad-truncated": R * 2,
    "bad-overlong": R * 2,
    "bad-surrogate": R * 3,
    "bad-too-big": R * 4,
    "bad-continuation": R * 2,
    "bad-f8": R * 5,
    "mixed": '[anon:\u00e9 ' + R + ' "q" \\ \x01]',
    'key "quoted" ' + R: "value",
}
for k, v in want.items():
    assert st.get(k) == v, (k, st.get(k), v)
assert set(st) == set(want), set(st) ^ set(want)
assert d["numbers"] == [0, 2**64 - 1, -2**63, -1]
assert d["nested"] == pretty, "compact and pretty documents differ"
assert pretty == {"a": [1, 2, {"b": None}], "t": True, "f": False, "i": -5, "o": {}, "e": [],
                  "s": 'x"y', "n": "", 'k"ey\n': 2**64 - 1, "min": -2**63}
print("json writer output parses:", len(st), "strings")
PYEOF
pass
