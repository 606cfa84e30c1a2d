#!/usr/bin/env python3
"""Vendors a class-balanced Fashion-MNIST subset into tl-demo-data (io/tl4j/demo/fashion).

Reads Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist, MIT) and writes gzip IDX files:
  fashion-source-*: 100 training images per class (clean source data for a classifier head),
  fashion-target-*: 250 test images per class (the images a "new camera" transforms).
Images of each class are drawn with a fixed seed and interleaved (0, 1, ..., 9, 0, 1, ...).
Deterministic output: gzip mtime 0.
"""
import gzip
import random
import struct
import sys
from pathlib import Path

SRC = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
OUT = Path(__file__).resolve().parent.parent / "src/main/resources/io/tl4j/demo/fashion"


def read(prefix):
    with gzip.open(SRC / f"{prefix}-images-idx3-ubyte.gz") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        pixels = f.read()
    with gzip.open(SRC / f"{prefix}-labels-idx1-ubyte.gz") as f:
        struct.unpack(">II", f.read(8))
        labels = f.read()
    size = rows * cols
    return [pixels[i * size:(i + 1) * size] for i in range(n)], list(labels), rows, cols


def write(name, images, labels, rows, cols):
    with open(OUT / f"{name}-images-idx3-ubyte.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(struct.pack(">IIII", 2051, len(images), rows, cols))
            f.write(b"".join(images))
    with open(OUT / f"{name}-labels-idx1-ubyte.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
            f.write(struct.pack(">II", 2049, len(labels)))
            f.write(bytes(labels))


def subset(prefix, per_class, seed, name):
    images, labels, rows, cols = read(prefix)
    rng = random.Random(seed)
    by_class = [[i for i, l in enumerate(labels) if l == c] for c in range(10)]
    picked = [sorted(rng.sample(ids, per_class)) for ids in by_class]
    order = [picked[c][k] for k in range(per_class) for c in range(10)]
    write(name, [images[i] for i in order], [labels[i] for i in order], rows, cols)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    subset("train", 100, 14, "fashion-source")
    subset("t10k", 250, 14, "fashion-target")
