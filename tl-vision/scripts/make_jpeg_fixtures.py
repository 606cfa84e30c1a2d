#!/usr/bin/python3
"""Makes the fixture that compares tl-vision's JPEG decoding (Java's ImageIO, through DJL) with Pillow's
(libjpeg-turbo), the decoder torchvision's and timm's reference evaluation reads photos with.

Run with Debian's python3 (Pillow 9.4) from the repository root:

    /usr/bin/python3 tl-vision/scripts/make_jpeg_fixtures.py

It writes, under tl-vision/src/test/resources/golden/jpeg/:
  photo420.jpg  a 48x36 synthetic photo (smooth colour gradients, a disk with a soft edge, thin stripes,
                mild noise) saved by Pillow at quality 90 with 4:2:0 chroma subsampling (Pillow's default,
                and most cameras' and browsers')
  photo444.jpg  the same image at quality 90 without chroma subsampling
  progressive.jpg  the same image as a progressive JPEG at quality 75, 4:2:0
  gray.jpg      its luma as a one-channel JPEG, quality 90
  golden.json   for each file, Pillow's decoded 8-bit pixels, (H, W, 3) row-major RGB ("pixels";
                convert("RGB") for the grey file, as a pipeline reads it)
"""
import json
import os

import numpy as np
import PIL
import PIL.Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "golden", "jpeg")


def photo(width=48, height=36):
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    r = 40 + 180 * x / width
    g = 60 + 150 * y / height
    b = 120 + 80 * np.sin(x / 7.0) * np.cos(y / 5.0)
    disk = np.clip(9 - np.hypot(x - 30, y - 16), 0, 1)
    r, g, b = r * (1 - disk) + 230 * disk, g * (1 - disk) + 40 * disk, b * (1 - disk) + 50 * disk
    stripes = (x.astype(int) // 2 % 2 == 0) & (y > 27)
    r, g, b = np.where(stripes, 20, r), np.where(stripes, 20, g), np.where(stripes, 20, b)
    noise = np.random.default_rng(7).normal(0, 3, size=(height, width, 3))
    return np.clip(np.stack([r, g, b], axis=-1) + noise, 0, 255).round().astype(np.uint8)


def main():
    os.makedirs(OUT, exist_ok=True)
    image = PIL.Image.fromarray(photo())
    files = {
        "photo420.jpg": lambda p: image.save(p, quality=90, subsampling=2),
        "photo444.jpg": lambda p: image.save(p, quality=90, subsampling=0),
        "progressive.jpg": lambda p: image.save(p, quality=75, subsampling=2, progressive=True),
        "gray.jpg": lambda p: image.convert("L").save(p, quality=90),
    }
    golden = {"pillow": PIL.__version__, "files": {}}
    for name, save in files.items():
        path = os.path.join(OUT, name)
        save(path)
        pixels = np.asarray(PIL.Image.open(path).convert("RGB"))
        golden["files"][name] = {"height": pixels.shape[0], "width": pixels.shape[1],
                                 "pixels": pixels.reshape(-1).tolist()}
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
