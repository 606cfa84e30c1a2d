#!/usr/bin/python3
"""Counts the parameters and multiply-accumulates of every torchvision network tl-vision builds.

Run with Debian's python3 (torch 1.13, torchvision 0.14.1) from the repository root:

    /usr/bin/python3 tl-vision/scripts/count_params_and_macs.py

tl-vision's networks are torchvision's (same state_dict keys and shapes, logits equal within 1e-4 in
the golden tests), so torchvision's modules stand in for them. It prints a Markdown table for
tl-vision/README.md: parameters with the ImageNet head and without it (the backbone), the input
size of the weights' evaluation transform, and the MACs of one image at that size, counted, not
timed, so the numbers do not depend on the machine or its load.

MACs count convolutions (output elements x input channels per group x kernel area) and linear
layers (output elements x input features), and for ViT the attention's input and output
projections and its two N x N products, which torchvision runs inside nn.MultiheadAttention
without calling its Linear modules. BatchNorm, LayerNorm, activations, pooling, softmax and
additions are left out, as torchvision's documentation ("GFLOPS") and fvcore leave them out.
Inception-v3's auxiliary classifier is not counted: evaluation does not run it.
"""
import torch
import torchvision

# name, input size of the weights' evaluation transform (Preprocessing.torchvision), torchvision's
# documented GFLOPS (MACs) at that size, from the weights tables of torchvision 0.15+
MODELS = [
    ("resnet18", 224, 1.81), ("resnet34", 224, 3.66), ("resnet50", 224, 4.09), ("resnet101", 224, 7.80),
    ("resnet152", 224, 11.51), ("vgg11", 224, 7.61), ("vgg11_bn", 224, 7.61), ("vgg13", 224, 11.31),
    ("vgg13_bn", 224, 11.31), ("vgg16", 224, 15.47), ("vgg16_bn", 224, 15.47), ("vgg19", 224, 19.63),
    ("vgg19_bn", 224, 19.63), ("mobilenet_v3_small", 224, 0.06), ("mobilenet_v3_large", 224, 0.22),
    ("efficientnet_b0", 224, 0.39), ("efficientnet_b1", 240, 0.69), ("efficientnet_b2", 288, 1.09),
    ("efficientnet_b3", 300, 1.83), ("convnext_tiny", 224, 4.46), ("inception_v3", 299, 5.71),
    ("vit_b_32", 224, 4.41), ("vit_b_16", 224, 17.56), ("vit_l_16", 224, 61.55),
]


def count_macs(model, size):
    total = [0]

    def conv(module, inputs, output):
        kh, kw = module.kernel_size
        total[0] += output.numel() * (module.in_channels // module.groups) * kh * kw

    def linear(module, inputs, output):
        total[0] += output.numel() * module.in_features

    def attention(module, inputs, output):
        n, d = output[0].shape[-2], output[0].shape[-1]  # called with keyword arguments: (B, N, D) output
        total[0] += n * d * 3 * d + n * d * d + 2 * n * n * d

    hooks = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, torch.nn.MultiheadAttention):
            hooks.append(m.register_forward_hook(attention))
        elif isinstance(m, torch.nn.Linear) and not isinstance(
                m, torch.nn.modules.linear.NonDynamicallyQuantizableLinear):
            hooks.append(m.register_forward_hook(linear))
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in hooks:
        h.remove()
    return total[0]


def head_parameters(model, name):
    if name.startswith("resnet") or name == "inception_v3":
        head = model.fc
    elif name.startswith("vit"):
        head = model.heads.head
    else:
        head = model.classifier[-1]
    return sum(p.numel() for p in head.parameters())


def main():
    print("| name | parameters (ImageNet head) | backbone parameters | input | MACs per image | "
          "torchvision's documented GFLOPS |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, size, documented in MODELS:
        kwargs = {"aux_logits": False, "init_weights": False} if name == "inception_v3" else {}
        model = torchvision.models.get_model(name, weights=None, **kwargs).eval()
        params = sum(p.numel() for p in model.parameters())
        backbone = params - head_parameters(model, name)
        macs = count_macs(model, size)
        print(f"| `{name}` | {params / 1e6:.2f} M | {backbone / 1e6:.2f} M | {size} | {macs / 1e9:.2f} G | "
              f"{documented:.2f} |")


if __name__ == "__main__":
    main()
