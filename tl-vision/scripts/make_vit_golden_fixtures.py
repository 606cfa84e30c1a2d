#!/usr/bin/python3
"""Makes tl-vision's Vision Transformer golden-test fixtures with torchvision, the reference.

Run with Debian's python3 (torch 1.13, torchvision 0.14.1) from the repository root:

    /usr/bin/python3 tl-vision/scripts/make_vit_golden_fixtures.py

It writes, under tl-vision/src/test/resources/golden/vit/:
  vit_keys.txt      every state_dict key and shape of vit_b_16, vit_b_32 and vit_l_16 with 1000
                    classes, and of the small configurations below ("## model" headers, then
                    "name dim,dim,..." lines, the format of ../torchvision_keys.txt)
  vit_logits.json   eval-mode logits of small torchvision VisionTransformers (image 32, patch 8 or
                    16, 1-2 layers, hidden 16-32) for formula weights and inputs, at the trained
                    image size and, through torchvision's interpolate_embeddings (bicubic,
                    align_corners=True), at 48 and 16 pixels

                    plus "bicubic": F.interpolate(mode="bicubic") of identity matrices, i.e. the
                    resize matrices, for a few lengths with and without align_corners

  hf_vit_keys.txt   the state_dict keys and shapes of Hugging Face transformers'
                    ViTForImageClassification for google/vit-base-patch16-224 (1000 labels), written
                    from transformers' ViT naming (transformers is not installed here; the list
                    agrees with published listings of that checkpoint), for the name-mapping test

Weights and inputs come from the formula of make_golden_fixtures.py (see its docstring): both
sides compute them, nothing but names, shapes and outputs is committed. One exception, so that the
position embeddings (and their interpolation) move the logits: encoder.pos_embedding is the
formula's value times POS_SCALE = 20.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F
import torchvision
from torchvision.models.vision_transformer import VisionTransformer, interpolate_embeddings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden_fixtures import formula_input, set_formula_weights  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'test', 'resources', 'golden', 'vit')

# name: (image_size, patch_size, num_layers, num_heads, hidden_dim, mlp_dim, num_classes)
SMALL = {
    'small_p8': (32, 8, 2, 4, 32, 64, 10),
    'small_p16': (32, 16, 1, 2, 16, 32, 5),
}

POS_SCALE = 20.0

# (configuration, image side the weights are interpolated to, or None, input shape)
CASES = [('small_p8', None, [2, 3, 32, 32]), ('small_p16', None, [2, 3, 32, 32]),
         ('small_p8', 48, [2, 3, 48, 48]), ('small_p8', 16, [1, 3, 16, 16]), ('small_p16', 64, [1, 3, 64, 64])]


def small(name, image_size=None):
    image, patch, layers, heads, hidden, mlp, classes = SMALL[name]
    return VisionTransformer(image_size=image_size or image, patch_size=patch, num_layers=layers, num_heads=heads,
                             hidden_dim=hidden, mlp_dim=mlp, num_classes=classes)


def key_lines(name, model):
    return ['## ' + name] + [key + ' ' + ','.join(str(d) for d in tensor.shape)
                             for key, tensor in model.state_dict().items()]


def write_keys():
    lines = []
    for name in ['vit_b_16', 'vit_b_32', 'vit_l_16']:
        lines += key_lines(name, getattr(torchvision.models, name)(weights=None))
    for name in SMALL:
        lines += key_lines(name, small(name))
    with open(os.path.join(OUT, 'vit_keys.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def write_hf_keys(layers=12, hidden=768, mlp=3072, patch=16, image=224, labels=1000):
    tokens = (image // patch) ** 2 + 1
    lines = ['## google/vit-base-patch16-224',
             'vit.embeddings.cls_token 1,1,%d' % hidden,
             'vit.embeddings.position_embeddings 1,%d,%d' % (tokens, hidden),
             'vit.embeddings.patch_embeddings.projection.weight %d,3,%d,%d' % (hidden, patch, patch),
             'vit.embeddings.patch_embeddings.projection.bias %d' % hidden]
    for n in range(layers):
        p = 'vit.encoder.layer.%d.' % n
        for name in ['attention.attention.query', 'attention.attention.key', 'attention.attention.value',
                     'attention.output.dense']:
            lines += [p + name + '.weight %d,%d' % (hidden, hidden), p + name + '.bias %d' % hidden]
        lines += [p + 'intermediate.dense.weight %d,%d' % (mlp, hidden), p + 'intermediate.dense.bias %d' % mlp,
                  p + 'output.dense.weight %d,%d' % (hidden, mlp), p + 'output.dense.bias %d' % hidden]
        for name in ['layernorm_before', 'layernorm_after']:
            lines += [p + name + '.weight %d' % hidden, p + name + '.bias %d' % hidden]
    lines += ['vit.layernorm.weight %d' % hidden, 'vit.layernorm.bias %d' % hidden,
              'classifier.weight %d,%d' % (labels, hidden), 'classifier.bias %d' % labels]
    with open(os.path.join(OUT, 'hf_vit_keys.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def write_logits():
    cases = []
    for name, resized, shape in CASES:
        torch.manual_seed(0)
        model = small(name)
        set_formula_weights(model)
        with torch.no_grad():
            model.encoder.pos_embedding.mul_(POS_SCALE)
        if resized is not None:
            state = interpolate_embeddings(resized, SMALL[name][1], model.state_dict())
            model = small(name, resized)
            model.load_state_dict(state)
            model.eval()
        with torch.no_grad():
            logits = model(formula_input(shape))
        image, patch, layers, heads, hidden, mlp, classes = SMALL[name]
        cases.append({'name': name, 'config': {'image_size': image, 'patch_size': patch, 'num_layers': layers,
                                               'num_heads': heads, 'hidden_dim': hidden, 'mlp_dim': mlp,
                                               'num_classes': classes},
                      'interpolated_to': resized, 'input': shape,
                      'logits': [[float('%.7g' % v) for v in row] for row in logits.tolist()]})
        print(name, resized, shape, 'max |logit|', float(logits.abs().max()))
    bicubic = []
    for size_in, size_out, align in [(4, 6, True), (4, 2, True), (3, 7, True), (4, 6, False), (5, 3, False)]:
        # row j of the identity, resized along the last axis: column j of the resize matrix
        eye = torch.eye(size_in).reshape(1, size_in, 1, size_in)
        columns = F.interpolate(eye, size=(1, size_out), mode='bicubic', align_corners=align)
        matrix = columns.reshape(size_in, size_out).t()
        bicubic.append({'in': size_in, 'out': size_out, 'align_corners': align,
                        'matrix': [[float('%.7g' % v) for v in row] for row in matrix.tolist()]})
    with open(os.path.join(OUT, 'vit_logits.json'), 'w') as f:
        json.dump({'torch': torch.__version__, 'torchvision': torchvision.__version__, 'pos_scale': POS_SCALE,
                   'cases': cases, 'bicubic': bicubic}, f, indent=1)


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    write_keys()
    write_hf_keys()
    write_logits()
