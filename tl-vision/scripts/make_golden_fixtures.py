#!/usr/bin/python3
"""Makes tl-vision's golden-test fixtures with torchvision, the reference implementation.

Run with Debian's python3 (torch 1.13, torchvision 0.14.1) from the repository root:

    /usr/bin/python3 tl-vision/scripts/make_golden_fixtures.py

It writes, under tl-vision/src/test/resources/golden/:
  torchvision_keys.txt   every state_dict key and shape of resnet18..152 and vgg11..19(_bn) with
                         1000 classes ("## model" headers, then "name dim,dim,..." lines)
  logits.json            torchvision's eval-mode logits of resnet18, resnet50, vgg16_bn and vgg11
                         for inputs and weights computed by formula (below)
  tiny_resnet.pt         a scripted torchvision-layout ResNet (BasicBlock, widths 8 and 16,
                         3x3 stride-1 stem) below its head, weights by formula, for TorchScript tests
  tiny_resnet.json       its features for the formula input
  tiny_resnet_f16.safetensors, tiny_resnet_bf16.safetensors
                         its weights in half precisions, plus hf_tiny_resnet/ (model.safetensors in F32
                         and a timm-style config.json), for the weight-source tests

Weights are not committed: both sides compute them. For a tensor named n with m elements,
    u[i] = ((i * 2654435761 + crc32(n)) mod 2**32) / 2**32 - 0.5     (float64, in [-0.5, 0.5))
and the value, computed in float64 and rounded to float32, is
    running_var: 1 + 0.5 * (u + 0.5)      running_mean: 0.2 * u      any bias: 0.2 * u
    1-d weight (BatchNorm): 1 + 0.4 * u   other weights: u * sqrt(24 / fan_in), fan_in = m / shape[0]
The input tensor uses the name "input" and the value 4 * u. num_batches_tracked is left as it is.
"""
import json
import os
import struct
import zlib

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'test', 'resources', 'golden')


def uniform(name, count):
    i = np.arange(count, dtype=np.uint64)
    h = (i * np.uint64(2654435761) + np.uint64(zlib.crc32(name.encode('utf-8')))) & np.uint64(0xFFFFFFFF)
    return h.astype(np.float64) / 4294967296.0 - 0.5


def formula(name, shape):
    count = int(np.prod(shape)) if len(shape) else 1
    u = uniform(name, count)
    if name.endswith('running_var'):
        v = 1.0 + 0.5 * (u + 0.5)
    elif name.endswith('running_mean') or name.endswith('bias'):
        v = 0.2 * u
    elif len(shape) == 1:
        v = 1.0 + 0.4 * u
    else:
        v = u * np.sqrt(24.0 / (count / shape[0]))
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def set_formula_weights(model):
    state = model.state_dict()
    for name, tensor in state.items():
        if name.endswith('num_batches_tracked'):
            continue
        tensor.copy_(formula(name, list(tensor.shape)))
    model.eval()


def formula_input(shape):
    return torch.from_numpy((4.0 * uniform('input', int(np.prod(shape)))).astype(np.float32).reshape(shape))


def write_keys():
    lines = []
    for name in ['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152',
                 'vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn']:
        model = getattr(torchvision.models, name)(weights=None)
        lines.append('## ' + name)
        for key, tensor in model.state_dict().items():
            lines.append(key + ' ' + ','.join(str(d) for d in tensor.shape))
    with open(os.path.join(OUT, 'torchvision_keys.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


CASES = [('resnet18', [2, 3, 64, 64]), ('resnet18', [1, 3, 224, 224]), ('resnet50', [2, 3, 48, 40]),
         ('vgg16_bn', [2, 3, 96, 160]), ('vgg11', [2, 3, 64, 64])]


def write_logits():
    cases = []
    models = {}
    for name, shape in CASES:
        if name not in models:
            torch.manual_seed(0)
            models[name] = getattr(torchvision.models, name)(weights=None)
            set_formula_weights(models[name])
        with torch.no_grad():
            logits = models[name](formula_input(shape))
        cases.append({'model': name, 'input': shape,
                      'logits': [[float('%.7g' % v) for v in row] for row in logits.tolist()]})
        print(name, shape, 'max |logit|', float(logits.abs().max()))
    with open(os.path.join(OUT, 'logits.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'torchvision': torchvision.__version__, 'cases': cases}, f)


class TinyResNet(nn.Module):
    """torchvision's ResNet layout with BasicBlocks [1, 1], widths 8 and 16, a 3x3 stride-1 stem, no fc."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = nn.Sequential(BasicBlock(8, 8))
        self.layer2 = nn.Sequential(BasicBlock(8, 16, 2, nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False),
                                                                      nn.BatchNorm2d(16))))
        self.avgpool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer2(self.layer1(x))
        return torch.flatten(self.avgpool(x), 1)


def write_safetensors(path, tensors, dtype_name):
    header = {}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        if dtype_name == 'BF16':
            data = tensor.to(torch.bfloat16).view(torch.int16).numpy().tobytes()
        elif dtype_name == 'F16':
            data = tensor.to(torch.float16).numpy().tobytes()
        else:
            data = tensor.to(torch.float32).numpy().tobytes()
        header[name] = {'dtype': dtype_name, 'shape': list(tensor.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode('utf-8')
    head += b' ' * ((8 - len(head) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(head)))
        f.write(head)
        for blob in blobs:
            f.write(blob)


def write_tiny():
    model = TinyResNet()
    set_formula_weights(model)
    shape = [2, 3, 32, 32]
    with torch.no_grad():
        features = model(formula_input(shape))
    torch.jit.script(model).save(os.path.join(OUT, 'tiny_resnet.pt'))
    with open(os.path.join(OUT, 'tiny_resnet.json'), 'w') as f:
        json.dump({'input': shape, 'features': features.tolist()}, f)
    state = {k: v for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')}
    write_safetensors(os.path.join(OUT, 'tiny_resnet_f16.safetensors'), state, 'F16')
    write_safetensors(os.path.join(OUT, 'tiny_resnet_bf16.safetensors'), state, 'BF16')
    hf = os.path.join(OUT, 'hf_tiny_resnet')
    os.makedirs(hf, exist_ok=True)
    # a Hugging Face timm directory keeps num_batches_tracked when the checkpoint has it
    write_safetensors(os.path.join(hf, 'model.safetensors'), dict(model.state_dict()), 'F32')
    with open(os.path.join(hf, 'config.json'), 'w') as f:
        json.dump({'architecture': 'tiny_resnet', 'num_classes': 0, 'num_features': 16,
                   'pretrained_cfg': {'input_size': [3, 32, 32]}}, f, indent=2)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    write_keys()
    write_tiny()
    write_logits()
