#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Validate devexctl's JSON output against the schemas in schema/.

  jsonschema-check.py SCHEMA_DIR COMMAND FILE...
  jsonschema-check.py SCHEMA_DIR --schemas

Checks every schema of SCHEMA_DIR (Draft 2020-12 check_schema), then
validates each FILE against SCHEMA_DIR/COMMAND.schema.json: one document per
file, or for a .jsonl file (monitor's JSON Lines) one per non-empty line.
--schemas checks the schemas only.  Each failure is printed with the file,
the line for JSON Lines, and the JSON path of the offending value.  Exit 0
when all is valid, 1 otherwise, 2 on a usage error; 77 (Automake's skip)
when the jsonschema module is missing.

Works with the jsonschema of Debian 12 (4.10: RefResolver) and with newer
ones (4.18+: the referencing library), so that the schemas' $refs to
common.schema.json resolve from SCHEMA_DIR and never from the network.
"""
import json
import os
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("jsonschema-check: install python3-jsonschema (scripts/deps)", file=sys.stderr)
    sys.exit(77)


def unique_keys(pairs):
    """A JSON object whose key repeats is an error: parsers disagree on which
    value wins (make-exclusive printed "partial" twice before version 1)."""
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise ValueError(f"duplicate key {k!r}")
        obj[k] = v
    return obj


def load_schemas(directory):
    """Every *.schema.json of directory, by file name; exits on a broken one."""
    schemas, bad = {}, 0
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".schema.json"):
            continue
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
            Draft202012Validator.check_schema(schema)
        except (ValueError, jsonschema.exceptions.SchemaError) as e:
            print(f"FAIL: {path}: not a valid Draft 2020-12 schema: {e}")
            bad += 1
            continue
        if not schema.get("$id", "").endswith("/" + name):
            print(f"FAIL: {path}: its $id does not end with /{name}")
            bad += 1
        schemas[name] = schema
    if bad:
        sys.exit(1)
    if not schemas:
        print(f"FAIL: no *.schema.json in {directory}")
        sys.exit(1)
    return schemas


def validator_for(schemas, name):
    """A validator of schemas[name] whose $refs resolve among schemas only."""
    schema = schemas[name]
    try:
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012
    except ImportError:	# jsonschema before 4.18
        store = {s["$id"]: s for s in schemas.values()}
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return Draft202012Validator(schema, resolver=resolver)
    registry = Registry().with_resources(
        (s["$id"], DRAFT202012.create_resource(s)) for s in schemas.values())
    return Draft202012Validator(schema, registry=registry)


def path_of(error):
    p = "$"
    for part in error.absolute_path:
        p += f"[{part}]" if isinstance(part, int) else f".{part}"
    return p


def check_document(validator, where, doc):
    # A key checked by a command's schema and by common.schema.json's target
    # fails twice with the same message: said once.
    said = []
    for e in sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        line = f"FAIL: {where}: {path_of(e)}: {e.message}"
        if line not in said:
            said.append(line)
            print(line)
    return len(said)


def main(argv):
    if len(argv) == 3 and argv[2] == "--schemas":
        load_schemas(argv[1])
        return 0
    if len(argv) < 4:
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        return 2
    directory, command, files = argv[1], argv[2], argv[3:]
    schemas = load_schemas(directory)
    name = command + ".schema.json"
    if name not in schemas:
        print(f"FAIL: no schema for {command}: {os.path.join(directory, name)}")
        return 1
    validator = validator_for(schemas, name)
    failed = 0
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            print(f"FAIL: {path}: {e}")
            failed += 1
            continue
        if path.endswith(".jsonl"):
            docs = [(f"{path}:{n}", line) for n, line in enumerate(text.split("\n"), 1)
                    if line.strip()]
            if not docs:
                print(f"FAIL: {path}: no line to validate")
                failed += 1
        else:
            docs = [(path, text)]
        for where, t in docs:
            try:
                doc = json.loads(t, object_pairs_hook=unique_keys)
            except ValueError as e:
                print(f"FAIL: {where}: not JSON: {e}")
                failed += 1
                continue
            failed += check_document(validator, where, doc)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
