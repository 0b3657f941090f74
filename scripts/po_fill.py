#!/usr/bin/env python3
"""Fill msgstr entries of a .po file from a JSON dict {msgid: msgstr} (or {msgid: [singular, plural]}).

    scripts/po_fill.py ocop/<app>/locale/vi/LC_MESSAGES/django.po translations.json

Entries already translated are kept unless the JSON gives them; fuzzy flags of filled entries are removed.
Prints the msgids still empty."""

import json
import re
import sys


def unquote(lines):
    return "".join(json.loads(line) for line in lines)


def quote(text):
    return json.dumps(text, ensure_ascii=False)


def parse_block(block):
    fields, current = {}, None
    comments = []
    for line in block.splitlines():
        if line.startswith("#"):
            comments.append(line)
            continue
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) (".*")$', line)
        if m:
            current = m.group(1)
            fields[current] = [m.group(2)]
        elif line.startswith('"') and current:
            fields[current].append(line)
    return comments, {k: unquote(v) for k, v in fields.items()}


def main(po_path, json_path):
    with open(json_path, encoding="utf-8") as fh:
        table = json.load(fh)
    with open(po_path, encoding="utf-8") as fh:
        text = fh.read()
    blocks = text.strip("\n").split("\n\n")
    out, missing = [blocks[0]], []
    for block in blocks[1:]:
        comments, f = parse_block(block)
        if "msgid" not in f:
            out.append(block)
            continue
        msgid = f["msgid"]
        value = table.get(msgid)
        if "msgid_plural" in f:
            current = f.get("msgstr[0]", "")
            if value is not None:
                current = value[0] if isinstance(value, list) else value
            if not current:
                missing.append(msgid)
            lines = [c for c in comments if c != "#, fuzzy" and not (c.startswith("#,") and value is not None)]
            if "msgctxt" in f:
                lines.append("msgctxt " + quote(f["msgctxt"]))
            lines += ["msgid " + quote(msgid), "msgid_plural " + quote(f["msgid_plural"]), "msgstr[0] " + quote(current)]
        else:
            current = f.get("msgstr", "")
            if value is not None:
                current = value
            if not current:
                missing.append(msgid)
            lines = [c for c in comments if not (c.startswith("#,") and "fuzzy" in c and value is not None)]
            if "msgctxt" in f:
                lines.append("msgctxt " + quote(f["msgctxt"]))
            lines += ["msgid " + quote(msgid), "msgstr " + quote(current)]
        out.append("\n".join(lines))
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(out) + "\n")
    for msgid in missing:
        print("MISSING:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:3])
