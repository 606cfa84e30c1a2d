#!/usr/bin/python3
"""Makes the TorchScript fixture that TorchScriptBackbonesTest loads.

Writes, next to the tests' resources:
  tl-core/src/test/resources/torchscript/tiny_cnn.pt            a scripted tiny CNN backbone (a few KB)
  tl-core/src/test/resources/torchscript/tiny_cnn_expected.json its parameter names and shapes, the fixed
                                                                input formula and the expected outputs

Rerun it from the repository root with Debian's PyTorch (python3-torch 1.13; the pyenv `python3` on PATH
has no torch):

  /usr/bin/python3 tl-core/scripts/make_torchscript_fixture.py

The output is byte-for-byte deterministic (fixed seed, CPU, float32, and PYTHONHASHSEED=0, which the
script sets by re-executing itself, because TorchScript's generated code lists a module's constants in
set order): rerunning it leaves `git status` clean. Change the network below only together with the
test that reads the outputs.

The module is compiled with torch.jit.script, not traced: tracing bakes BatchNorm's train/eval
branch in at trace time, while a scripted module switches with .train()/.eval() like the Python one,
which is what fine-tuning from Java needs. It is saved in train mode.
"""
import json
import math
import os
import sys

if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch  # noqa: E402 (after the re-exec)
from torch import nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "test", "resources", "torchscript")
BATCH = 2
SAMPLE = (1, 12, 12)


class TinyCnn(nn.Module):
    """conv1 3x3 (1->4) + bn1 + relu, layer1 = conv 3x3 stride 2 (4->8) + BN + ReLU, global average pool."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.relu = nn.ReLU()
        self.layer1 = nn.Sequential(nn.Conv2d(4, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer1(x)
        return torch.flatten(self.pool(x), 1)


def fixed_input():
    """x[i] = sin(0.1 * i) over the flattened (BATCH, 1, 12, 12) tensor, row-major."""
    n = BATCH * SAMPLE[0] * SAMPLE[1] * SAMPLE[2]
    return torch.tensor([math.sin(0.1 * i) for i in range(n)], dtype=torch.float32).reshape(BATCH, *SAMPLE)


def main():
    torch.manual_seed(20240601)
    torch.set_num_threads(1)
    model = TinyCnn()
    with torch.no_grad():
        # non-trivial BatchNorm affine parameters and running statistics, so eval mode is tested
        for bn in (model.bn1, model.layer1[1]):
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.2, 0.2)
            bn.running_mean.uniform_(-0.1, 0.1)
            bn.running_var.uniform_(0.5, 1.5)
    scripted = torch.jit.script(model)
    x = fixed_input()

    scripted.eval()
    with torch.no_grad():
        eval_out = scripted(x)
    scripted.train()
    os.makedirs(OUT, exist_ok=True)
    scripted.save(os.path.join(OUT, "tiny_cnn.pt"))

    # the train-mode output (batch statistics) on a copy, so the saved running statistics stay as set
    with torch.no_grad():
        train_out = torch.jit.load(os.path.join(OUT, "tiny_cnn.pt")).train()(x)

    expected = {
        "description": "tiny_cnn.pt: made by tl-core/scripts/make_torchscript_fixture.py with torch "
        + torch.__version__,
        "parameters": [{"name": n, "shape": list(p.shape)} for n, p in model.named_parameters()],
        "buffers": [{"name": n, "shape": list(b.shape)} for n, b in model.named_buffers()],
        "input": {"shape": [BATCH, *SAMPLE], "formula": "x[i] = sin(0.1 * i), i over the flattened tensor"},
        "eval_output": [[round(float(v), 7) for v in row] for row in eval_out],
        "train_output": [[round(float(v), 7) for v in row] for row in train_out],
    }
    with open(os.path.join(OUT, "tiny_cnn_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
