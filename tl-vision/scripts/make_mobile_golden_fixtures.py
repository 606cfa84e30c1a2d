#!/usr/bin/python3
"""Makes the golden-test fixtures of tl-vision's mobile architectures with torchvision 0.14.

Run with Debian's python3 (torch 1.13, torchvision 0.14.1) from the repository root:

    /usr/bin/python3 tl-vision/scripts/make_mobile_golden_fixtures.py

It writes, under tl-vision/src/test/resources/golden/mobile/:
  keys_<model>.txt   every state_dict key and shape of the torchvision model with 1000 classes
                     ("name dim,dim,..." lines), for mobilenet_v3_large, mobilenet_v3_small,
                     efficientnet_b0 ... efficientnet_b3 and convnext_tiny
  golden_<model>.json
                     torchvision's eval-mode logits of some of them for small inputs ("cases") and the
                     output of their first layers, features.0 to features.K ("prefixes": with formula
                     weights the input's influence fades with depth, so the logits alone would hardly
                     check the early layers)

Weights and inputs are computed by the formula of make_golden_fixtures.py (its functions are
imported), so nothing but names, shapes and logits is committed.
"""
import json
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden_fixtures import formula_input, set_formula_weights  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'test', 'resources', 'golden', 'mobile')

MODELS = ['mobilenet_v3_large', 'mobilenet_v3_small', 'efficientnet_b0', 'efficientnet_b1', 'efficientnet_b2',
          'efficientnet_b3', 'convnext_tiny']

CASES = [('mobilenet_v3_large', [1, 3, 64, 64]), ('mobilenet_v3_large', [2, 3, 48, 40]),
         ('mobilenet_v3_small', [1, 3, 64, 64]), ('efficientnet_b0', [1, 3, 64, 64]),
         ('efficientnet_b0', [2, 3, 40, 56]), ('efficientnet_b1', [1, 3, 64, 64]),
         ('convnext_tiny', [1, 3, 64, 64])]

PREFIXES = [('mobilenet_v3_large', [1, 3, 64, 64], 6), ('mobilenet_v3_large', [1, 3, 64, 64], 12),
            ('mobilenet_v3_small', [1, 3, 64, 64], 4), ('mobilenet_v3_small', [1, 3, 64, 64], 9),
            ('efficientnet_b0', [1, 3, 64, 64], 3), ('efficientnet_b0', [1, 3, 64, 64], 5),
            ('convnext_tiny', [1, 3, 32, 32], 3), ('convnext_tiny', [1, 3, 32, 32], 5)]


def rounded(values):
    return [float('%.7g' % v) for v in values]


def build(name):
    torch.manual_seed(0)
    return getattr(torchvision.models, name)(weights=None)


def write_keys():
    for name in MODELS:
        lines = [key + ' ' + ','.join(str(d) for d in tensor.shape) for key, tensor in build(name).state_dict().items()]
        with open(os.path.join(OUT, 'keys_' + name + '.txt'), 'w') as f:
            f.write('\n'.join(lines) + '\n')


def write_logits():
    cases = {}
    models = {}
    for name, shape in CASES:
        if name not in models:
            models[name] = build(name)
            set_formula_weights(models[name])
        with torch.no_grad():
            logits = models[name](formula_input(shape))
        cases.setdefault(name, []).append({'model': name, 'input': shape, 'logits': [rounded(row) for row in logits.tolist()]})
        print(name, shape, 'max |logit|', float(logits.abs().max()))
    prefixes = {}
    for name, shape, last in PREFIXES:
        with torch.no_grad():
            output = models[name].features[:last + 1](formula_input(shape))
        prefixes.setdefault(name, []).append({'model': name, 'input': shape, 'last': 'features.%d' % last,
                         'shape': list(output.shape), 'output': rounded(output.flatten().tolist())})
        print(name, shape, 'features.%d' % last, list(output.shape))
    for name in cases:
        with open(os.path.join(OUT, 'golden_' + name + '.json'), 'w') as f:
            json.dump({'torch': torch.__version__, 'torchvision': torchvision.__version__, 'cases': cases[name],
                       'prefixes': prefixes.get(name, [])}, f)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    write_keys()
    write_logits()
