#!/usr/bin/env python3
"""PyTorch's side of tl4j's GPU check (tl-benchmarks/gpu-headline.sh).

Writes, into --out, the seeded weights and inputs that io.tl4j.benchmarks.GpuHeadline loads, and
PyTorch's outputs for them, then times the same workloads in PyTorch eager on --device:
  resnet50.safetensors / resnet18.safetensors  torchvision networks without fc (BatchNorm statistics
                                               calibrated on the images, so eval outputs are well scaled)
  images.f32                                   32 x 3 x 224 x 224 float32, little-endian
  resnet50_features.f32                        ResNet-50's pooled features of those images (eval)
  minilm/, bertbase/                           BertModel directories (config.json, model.safetensors,
                                               tokenizer.json) shaped like all-MiniLM-L6-v2 and BERT-base
  texts.txt, <encoder>_embed.f32               16 texts and their mean-pooled, L2-normalised embeddings
Each workload prints: RESULT gpu-pytorch workload=... per_s_median=... per_s_min=... per_s_max=...
"""
import argparse
import os
import shutil
import statistics
import time

import numpy as np
import torch
import torchvision
from safetensors.torch import save_file
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel

WORDS = ("the model was trained on a few hundred labelled examples and then evaluated on held out data "
         "while the service answered requests from users who wanted fast and honest predictions").split()


def throughput(work, examples, sync, warmup=3, repeats=10):
    for _ in range(warmup):
        work()
    sync()
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        sync()
        rates.append(examples / (time.perf_counter() - start))
    return sorted(rates)


def report(workload, device, rates):
    print(f"RESULT gpu-pytorch workload={workload} device={device} per_s_median={statistics.median(rates):.1f} "
          f"per_s_min={rates[0]:.1f} per_s_max={rates[-1]:.1f}", flush=True)


def calibrated(model, images):
    """Replaces random BatchNorm statistics by the images' own (cumulative average), then eval mode."""
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(images)
    return model.eval()


def state(model):
    return {k: v.contiguous() for k, v in model.state_dict().items()
            if not k.endswith("num_batches_tracked") and not k.startswith("fc.")}


def resnets(out, dev, sync, images):
    r50 = calibrated(torchvision.models.resnet50(), images)
    save_file(state(r50), os.path.join(out, "resnet50.safetensors"))
    r50.fc = torch.nn.Identity()
    with torch.no_grad():
        on_cpu = r50(images)
    r50 = r50.to(dev)
    with torch.no_grad():
        on_device = r50(images.to(dev)).cpu()
    on_device.numpy().astype("<f4").tofile(os.path.join(out, "resnet50_features.f32"))
    print(f"resnet50 features: PyTorch {dev} against PyTorch cpu max diff "
          f"{(on_device - on_cpu).abs().max().item():.2e}, max abs {on_cpu.abs().max().item():.2e}", flush=True)

    def features():
        with torch.no_grad():
            return r50(images.to(dev)).cpu()
    report("resnet50_features", dev, throughput(features, len(images), sync))
    del r50

    r18 = calibrated(torchvision.models.resnet18(), images)
    save_file(state(r18), os.path.join(out, "resnet18.safetensors"))
    r18.fc = torch.nn.Linear(512, 10)
    r18 = r18.to(dev)
    g = torch.Generator().manual_seed(42)
    data = torch.randn(256, 3, 224, 224, generator=g)
    labels = torch.arange(256) % 10
    optimizer = torch.optim.Adam(r18.parameters(), lr=1e-3)

    def epoch():
        r18.train()
        order = torch.randperm(256, generator=g)
        for start in range(0, 256, 32):
            index = order[start:start + 32]
            x, y = data[index].to(dev), labels[index].to(dev)
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(r18(x), y)
            loss.backward()
            optimizer.step()
        return loss.item()
    report("resnet18_finetune", dev, throughput(epoch, 256, sync, warmup=1, repeats=3))


def encoders(out, dev, sync, tokenizer_file):
    texts = [" ".join(WORDS[(i + j) % len(WORDS)] for j in range(90)) + f" ({i})" for i in range(16)]
    with open(os.path.join(out, "texts.txt"), "w") as f:
        f.write("\n".join(texts) + "\n")
    tokenizer = Tokenizer.from_file(tokenizer_file)
    tokenizer.enable_truncation(128)
    tokenizer.no_padding()
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    shapes = {"minilm": (384, 6, 12, 1536), "bertbase": (768, 12, 12, 3072)}
    for name, (hidden, layers, heads, intermediate) in shapes.items():
        torch.manual_seed(7)
        config = BertConfig(vocab_size=30522, hidden_size=hidden, num_hidden_layers=layers,
                            num_attention_heads=heads, intermediate_size=intermediate)
        model = BertModel(config, add_pooling_layer=False).eval()
        directory = os.path.join(out, name)
        model.save_pretrained(directory)  # model.safetensors
        shutil.copy(tokenizer_file, os.path.join(directory, "tokenizer.json"))
        model = model.to(dev)

        def embed():
            encoded = tokenizer.encode_batch(texts)
            ids = torch.tensor([e.ids for e in encoded], device=dev)
            mask = torch.tensor([e.attention_mask for e in encoded], device=dev)
            types = torch.tensor([e.type_ids for e in encoded], device=dev)
            with torch.no_grad():
                hidden_states = model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden_states.dtype)
            pooled = (hidden_states * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1).cpu()
        reference = embed()
        reference.numpy().astype("<f4").tofile(os.path.join(out, name + "_embed.f32"))
        with torch.no_grad():
            model.cpu()
            encoded = tokenizer.encode_batch(texts)
            mask = torch.tensor([e.attention_mask for e in encoded])
            hidden_states = model(input_ids=torch.tensor([e.ids for e in encoded]), attention_mask=mask,
                                  token_type_ids=torch.tensor([e.type_ids for e in encoded])).last_hidden_state
            m = mask.unsqueeze(-1).to(hidden_states.dtype)
            on_cpu = torch.nn.functional.normalize((hidden_states * m).sum(1) / m.sum(1), dim=1)
            model.to(dev)
        print(f"{name}: PyTorch {dev} against PyTorch cpu max diff {(reference - on_cpu).abs().max().item():.2e}",
              flush=True)
        print(f"{name}: {len(tokenizer.encode_batch(texts)[0].ids)} tokens per text", flush=True)
        report(name + "_embed", dev, throughput(embed, len(texts), sync))
        del model


def operation_cost(dev, sync):
    """Microseconds per call of BERT-base's feed-forward linear (16 x 95 x 768 -> 3072) and an add, as GpuHeadline."""
    g = torch.Generator().manual_seed(3)
    x = torch.randn(16, 95, 768, generator=g).to(dev)
    weight = (torch.randn(3072, 768, generator=g) * 0.02).to(dev)
    bias = torch.zeros(3072, device=dev)
    operations = {"linear": lambda a: torch.nn.functional.linear(a, weight, bias),
                  "linear_nobias": lambda a: torch.nn.functional.linear(a, weight),
                  "add": lambda a: a + a}
    with torch.no_grad():
        for name, op in operations.items():
            for round in range(2):
                start = time.perf_counter()
                for block in range(20):
                    for i in range(100):
                        last = op(x)
                    last[0, 0, 0].item()
                micros = (time.perf_counter() - start) * 1e6 / 2000
            print(f"RESULT gpu-pytorch workload=op_{name} device={dev} us_per_call={micros:.1f}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--tokenizer", required=True, help="all-MiniLM-L6-v2's tokenizer.json")
    p.add_argument("--device", default="cuda")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    dev = torch.device(args.device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    print(f"torch {torch.__version__} torchvision {torchvision.__version__} device {dev}"
          + (f" ({torch.cuda.get_device_name(0)})" if dev.type == "cuda" else ""), flush=True)
    if dev.type == "cuda":
        print(f"cudnn.allow_tf32={torch.backends.cudnn.allow_tf32} matmul.allow_tf32={torch.backends.cuda.matmul.allow_tf32}"
              f" float32_matmul_precision={torch.get_float32_matmul_precision()}", flush=True)
    torch.manual_seed(0)
    images = torch.randn(32, 3, 224, 224, generator=torch.Generator().manual_seed(1))
    images.numpy().astype("<f4").tofile(os.path.join(args.out, "images.f32"))
    resnets(args.out, dev, sync, images)
    encoders(args.out, dev, sync, args.tokenizer)
    operation_cost(dev, sync)
    if dev.type == "cuda":
        print(f"peak GPU memory {torch.cuda.max_memory_allocated() / 2**20:.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
