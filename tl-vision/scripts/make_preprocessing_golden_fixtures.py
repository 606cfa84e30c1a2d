#!/usr/bin/python3
"""Makes the golden-test fixture of tl-vision's evaluation preprocessing with PIL and torchvision 0.14.

Run with Debian's python3 (Pillow 9.4, torch 1.13, torchvision 0.14.1) from the repository root:

    /usr/bin/python3 tl-vision/scripts/make_preprocessing_golden_fixtures.py

It writes, under tl-vision/src/test/resources/golden/preprocessing/:
  pattern.png   a 45x34 RGB image whose pixels follow a formula (r = (37x + 11y) mod 256,
                g = (x^2 + 3y) mod 256, b = 7xy mod 256): every shifted or mis-sized pixel shows, and its
                sharp wrap-arounds make bicubic overshoot (what rounding between Pillow's passes clips)
  golden.json   for each case, the 8-bit pixels (3, crop, crop), row-major ("pixels") that reach the
                normalisation when the PIL image goes through:
                - "torchvision" cases: torchvision's weights transform, F.resize(img, [resize], interpolation)
                  then F.center_crop(img, [crop]) (offset round((side - crop) / 2), halves to even), or with
                  "squash" F.resize(img, [resize, resize]) and no crop; this is how torchvision's and timm's
                  reference evaluation reads photos (PIL images)
                - "convnext" cases: Hugging Face transformers' ConvNextImageProcessor.resize with its own
                  arithmetic written out below (transformers is not installed here): shortest_edge < 384,
                  the shorter side resized to int(shortest_edge / crop_pct) (PIL, reducing_gap=None), then
                  image_transforms.center_crop to shortest_edge (offset (side - crop) // 2, rounded down)

The script also prints how far torchvision's tensor path (F.resize(tensor, antialias=True), libtorch's
antialiased kernels in float, one rounding at the end) lands from the PIL path, in 8-bit levels: Pillow
rounds and clips to 8 bits after its horizontal pass, which changes bicubic upscaling of sharp edges
by several levels.
"""
import json
import os

import numpy as np
import PIL
import PIL.Image
import torch
import torchvision
import torchvision.transforms.functional as F
from torchvision.io import read_image
from torchvision.transforms import InterpolationMode

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "golden",
                   "preprocessing")
PIL_FILTERS = {"bilinear": PIL.Image.BILINEAR, "bicubic": PIL.Image.BICUBIC}
# (resize, crop, interpolation, squash): upscale; downscale with a half-pixel crop offset (rounded to even);
# small downscale, another offset; bicubic upscale (the case the tensor path misses most); strong bicubic
# upscale; strong bilinear downscale (a stretched filter); squashed bicubic downscale without crop
TORCHVISION = [(40, 24, "bilinear", False), (28, 21, "bicubic", False), (23, 20, "bilinear", False),
               (36, 25, "bicubic", False), (70, 30, "bicubic", False), (12, 12, "bilinear", False),
               (20, 20, "bicubic", True)]
# (shortest_edge, crop_pct, interpolation): int(20 / 0.666) = 30 -> 39x30, whose width offset is
# (39 - 20) // 2 = 9 where torchvision's rounding gives 10
CONVNEXT = [(20, 0.666, "bicubic")]


def pattern(width=45, height=34):
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([(37 * x + 11 * y) % 256, (x * x + 3 * y) % 256, (7 * x * y) % 256], axis=-1)
    return rgb.astype(np.uint8)


def torchvision_transform(img, resize, crop, mode, squash):
    size = [resize, resize] if squash else [resize]
    if isinstance(img, torch.Tensor):
        img = F.resize(img, size, interpolation=InterpolationMode(mode), antialias=True)
    else:
        img = F.resize(img, size, interpolation=InterpolationMode(mode))
    img = F.center_crop(img, [crop])
    return img if isinstance(img, torch.Tensor) else F.pil_to_tensor(img)


def convnext_resize(img, shortest_edge, crop_pct, mode):
    """ConvNextImageProcessor.resize for shortest_edge < 384 on a PIL image, as (3, crop, crop) uint8."""
    resize_shortest_edge = int(shortest_edge / crop_pct)
    # image_transforms.get_resize_output_image_size(default_to_square=False)
    short, long = (img.width, img.height) if img.width <= img.height else (img.height, img.width)
    new_short, new_long = resize_shortest_edge, int(resize_shortest_edge * long / short)
    width, height = (new_short, new_long) if img.width <= img.height else (new_long, new_short)
    resized = np.array(img.resize((width, height), resample=PIL_FILTERS[mode], reducing_gap=None))
    # image_transforms.center_crop
    top = (height - shortest_edge) // 2
    left = (width - shortest_edge) // 2
    crop = resized[top:top + shortest_edge, left:left + shortest_edge]
    return torch.from_numpy(crop).permute(2, 0, 1).contiguous()


def main():
    os.makedirs(OUT, exist_ok=True)
    png = os.path.join(OUT, "pattern.png")
    PIL.Image.fromarray(pattern()).save(png)
    tensor = read_image(png)
    cases = []
    for resize, crop, mode, squash in TORCHVISION:
        pil = torchvision_transform(PIL.Image.open(png).convert("RGB"), resize, crop, mode, squash)
        out = torchvision_transform(tensor, resize, crop, mode, squash)
        gap = (out.int() - pil.int()).abs()
        print(f"resize {resize} crop {crop} {mode}{' squash' if squash else ''}: tensor path differs from PIL by "
              f"up to {gap.max().item()} levels (mean {gap.float().mean().item():.3f})")
        cases.append({"kind": "torchvision", "resize": resize, "crop": crop, "interpolation": mode,
                      "squash": squash, "pixels": pil.flatten().tolist()})
    for shortest_edge, crop_pct, mode in CONVNEXT:
        pixels = convnext_resize(PIL.Image.open(png).convert("RGB"), shortest_edge, crop_pct, mode)
        cases.append({"kind": "convnext", "shortest_edge": shortest_edge, "crop_pct": crop_pct,
                      "interpolation": mode, "pixels": pixels.flatten().tolist()})
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump({"torchvision": torchvision.__version__, "pillow": PIL.__version__, "image": "pattern.png",
                   "cases": cases}, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
