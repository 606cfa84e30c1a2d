#!/usr/bin/python3
"""Makes the golden-test fixture of tl-vision's evaluation preprocessing with torchvision 0.14.

Run with Debian's python3 (torch 1.13, torchvision 0.14.1) from the repository root:

    /usr/bin/python3 tl-vision/scripts/make_preprocessing_golden_fixtures.py

It writes, under tl-vision/src/test/resources/golden/preprocessing/:
  pattern.png   a 45x34 RGB image whose pixels follow a formula (r = (37x + 11y) mod 256,
                g = (x^2 + 3y) mod 256, b = 7xy mod 256): every shifted or mis-sized pixel shows
  golden.json   for each case (resize, crop, interpolation), the output of torchvision's weights
                transform, ImageClassification's steps: F.resize(img, [resize], interpolation,
                antialias=True), F.center_crop(img, [crop]), convert_image_dtype(float), normalize
                with ImageNet's mean and std, as (3, crop, crop) values, row-major ("values"); and the
                same transform of the PIL image ("pil"), which is how torchvision's and timm's reference
                evaluation reads photos

The image is read as an 8-bit tensor (torchvision.io.read_image); resized values are rounded back
to 8 bits (bicubic clamped to 0..255). torchvision 0.14 resizes tensors without antialiasing unless
asked (antialias=True became the default in 0.17); libtorch's antialiased kernels, which DJL's
resize uses, are PIL's filters (bicubic with a = -0.5), so the two paths agree within about one
8-bit level except when bicubic upscales. The script prints how far the PIL path lands from the
tensor path for each case.
"""
import json
import os

import numpy as np
import PIL.Image
import torch
import torchvision
import torchvision.transforms.functional as F
from torchvision.io import read_image
from torchvision.transforms import InterpolationMode

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "golden",
                   "preprocessing")
MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
# upscale; downscale with a half-pixel crop offset (rounded to even); small downscale, another offset
CASES = [(40, 24, "bilinear"), (28, 21, "bicubic"), (23, 20, "bilinear"), (36, 25, "bicubic")]


def pattern(width=45, height=34):
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([(37 * x + 11 * y) % 256, (x * x + 3 * y) % 256, (7 * x * y) % 256], axis=-1)
    return rgb.astype(np.uint8)


def transform(img, resize, crop, mode):
    if isinstance(img, torch.Tensor):
        img = F.resize(img, [resize], interpolation=InterpolationMode(mode), antialias=True)
    else:
        img = F.resize(img, [resize], interpolation=InterpolationMode(mode))
    img = F.center_crop(img, [crop])
    if not isinstance(img, torch.Tensor):
        img = F.pil_to_tensor(img)
    img = F.convert_image_dtype(img, torch.float)
    return F.normalize(img, mean=MEAN, std=STD)


def main():
    os.makedirs(OUT, exist_ok=True)
    png = os.path.join(OUT, "pattern.png")
    PIL.Image.fromarray(pattern()).save(png)
    tensor = read_image(png)
    cases = []
    for resize, crop, mode in CASES:
        out = transform(tensor, resize, crop, mode)
        pil = transform(PIL.Image.open(png).convert("RGB"), resize, crop, mode)
        print(f"resize {resize} crop {crop} {mode}: PIL path differs by up to "
              f"{(out - pil).abs().max().item():.3f} (mean {(out - pil).abs().mean().item():.4f})")
        cases.append({"resize": resize, "crop": crop, "interpolation": mode,
                      "values": [round(v, 4) for v in out.flatten().tolist()],
                      "pil": [round(v, 4) for v in pil.flatten().tolist()]})
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump({"torchvision": torchvision.__version__, "image": "pattern.png", "mean": MEAN, "std": STD,
                   "cases": cases}, f)


if __name__ == "__main__":
    main()
