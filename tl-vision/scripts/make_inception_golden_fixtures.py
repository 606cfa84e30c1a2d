#!/usr/bin/python3
"""Makes the golden-test fixtures of tl-vision's Inception-v3 with torchvision 0.14.

Run with Debian's python3 (torch 1.13, torchvision 0.14.1) from the repository root:

    /usr/bin/python3 tl-vision/scripts/make_inception_golden_fixtures.py

It writes, under tl-vision/src/test/resources/golden/inception/:
  keys_inception_v3.txt         every state_dict key and shape of inception_v3 with 1000 classes and
                                the auxiliary classifier ("name dim,dim,..." lines)
  keys_inception_v3_noaux.txt   the same without the auxiliary classifier (aux_logits=False)
  golden_inception_v3_<case>.json
                                torchvision's eval-mode output for a formula input of 1x3x75x75 (the
                                smallest input torchvision allows) up to one layer ("last"), with
                                transform_input on or off: the logits, and the output of maxpool2,
                                Mixed_6a and Mixed_6e (with formula weights the input's influence fades with depth,
                                so the logits alone would hardly check the early layers)

Weights and inputs are computed by the formula of make_golden_fixtures.py (its functions are
imported), so nothing but names, shapes and outputs is committed.
"""
import json
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden_fixtures import formula_input, set_formula_weights  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'test', 'resources', 'golden', 'inception')

INPUT = [1, 3, 75, 75]

# (file suffix, last layer, transform_input)
CASES = [('logits', 'fc', False), ('logits_transform_input', 'fc', True), ('mixed_6a', 'Mixed_6a', False),
         ('mixed_6e_transform_input', 'Mixed_6e', True), ('maxpool2_transform_input', 'maxpool2', True)]


def rounded(values):
    return [float('%.7g' % v) for v in values]


def build(aux, transform_input=False):
    torch.manual_seed(0)
    return torchvision.models.inception_v3(weights=None, aux_logits=aux, transform_input=transform_input,
                                           init_weights=False)


def write_keys():
    for aux, suffix in [(True, ''), (False, '_noaux')]:
        lines = [key + ' ' + ','.join(str(d) for d in tensor.shape) for key, tensor in build(aux).state_dict().items()]
        with open(os.path.join(OUT, 'keys_inception_v3' + suffix + '.txt'), 'w') as f:
            f.write('\n'.join(lines) + '\n')


def run_up_to(model, x, last):
    x = model._transform_input(x)
    for name, child in model.named_children():
        if name == 'AuxLogits':
            continue
        if name == 'fc':
            x = torch.flatten(x, 1)
        x = child(x)
        if name == last:
            return x
    raise ValueError(last)


def write_outputs():
    for suffix, last, transform_input in CASES:
        model = build(False, transform_input)
        set_formula_weights(model)
        model.eval()
        with torch.no_grad():
            output = run_up_to(model, formula_input(INPUT), last)
            if last == 'fc':
                assert torch.allclose(output, model(formula_input(INPUT)))
        print(suffix, list(output.shape), 'max |value|', float(output.abs().max()), 'std', float(output.std()))
        with open(os.path.join(OUT, 'golden_inception_v3_' + suffix + '.json'), 'w') as f:
            json.dump({'torch': torch.__version__, 'torchvision': torchvision.__version__, 'model': 'inception_v3',
                       'input': INPUT, 'transform_input': transform_input, 'last': last,
                       'shape': list(output.shape), 'output': rounded(output.flatten().tolist())}, f)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    write_keys()
    write_outputs()
