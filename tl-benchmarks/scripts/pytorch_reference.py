#!/usr/bin/python3
"""The outside reference for tl4j's JMH benchmarks: the same work in PyTorch eager.

Runs with Debian's python3-torch / python3-torchvision (no other dependencies). Every case runs in a
process of its own so that its peak RSS (ru_maxrss) is its own; the parent prints one JSON list:
[{"case": "ResNet18Training.fullFineTune", "params": {...}, "items_per_s": ..., "seconds_per_op": ...,
  "peak_rss_mib": ..., "peak_rss_measured_mib": ..., "torch": "1.13.1", "threads": 2}, ...]
peak_rss_mib is the whole process's (ru_maxrss); peak_rss_measured_mib the peak during the timed calls.
The case names and parameters are those of the JMH benchmarks they mirror (see ../README.md), so
ResultsReport can pair them:
  ResNet18Training.fullFineTune / .freezeUntilLayer4: one-epoch run from "pretrained" weights
      (state dict loaded inside the operation), Adam 1e-3, linear head, batch 16, 224x224;
  FeatureExtraction.naive / .cached: frozen ResNet-18, `epochs` epochs of head training, features
      recomputed every batch (naive) or computed once, cost included (cached);
  HeadTraining.head: linear head on 512-d feature vectors; also reports the trained head's train_loss and
      train_accuracy on its training vectors (computed after the timing, not timed);
  Inference.predict: ResNet-50 / VGG-16 (+ linear head) on one batch, float images to probabilities;
  VisionInference.predict:<model>: any torchvision name of VISION_CASES, its last classifier layer
      replaced by a linear head, on one batch at its weights' input size (299x299 for inception_v3,
      built as tl-vision builds it: transform_input, no AuxLogits; 224x224 for the others) (not in the
      default cases: pass --cases).
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

CLASSES = 10


def vm_hwm_mib():
    """This process's peak RSS so far (VmHWM), MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("/proc/self/status has no VmHWM")


MEASURED = {}


def timed(operation, warmup, iterations):
    """Median seconds of `iterations` calls after `warmup` calls; records the peak RSS of the timed
    calls alone (the kernel's high-water mark is reset first, as tl4j's PeakRssProfiler does)."""
    for _ in range(warmup):
        operation()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    MEASURED["peak"] = vm_hwm_mib()
    return statistics.median(times)


def images(torch, count, seed, size=224):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(count, 3, size, size, generator=g)
    y = torch.arange(count) % CLASSES
    return x, y


def resnet18_with_head(torch, torchvision):
    model = torchvision.models.resnet18()
    model.fc = torch.nn.Linear(512, CLASSES)
    return model


def order(torch, n, seed):
    return torch.randperm(n, generator=torch.Generator().manual_seed(seed))


def run_case(name, a):
    import torch
    import torchvision

    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    params = {}
    reached = {}  # what the trained model reaches, for cases that train one to the end (HeadTraining.head)
    if name.startswith("ResNet18Training.") or name.startswith("FeatureExtraction."):
        x, y = images(torch, a.samples, 1)
        pretrained = resnet18_with_head(torch, torchvision).state_dict()
        params = {"samples": str(a.samples), "batch": str(a.batch)}
        frozen_names = ["conv1", "bn1", "layer1", "layer2", "layer3"]

        def build(frozen):
            model = resnet18_with_head(torch, torchvision)
            model.load_state_dict(pretrained)
            for child_name, child in model.named_children():
                if child_name in frozen:
                    child.requires_grad_(False)
            trainable = [p for p in model.parameters() if p.requires_grad]
            return model, torch.optim.Adam(trainable, lr=1e-3)

        if name == "ResNet18Training.fullFineTune" or name == "ResNet18Training.freezeUntilLayer4":
            frozen = [] if name.endswith("fullFineTune") else frozen_names

            def epoch():
                model, optimizer = build(frozen)
                model.train()
                for child_name, child in model.named_children():
                    if child_name in frozen:
                        child.eval()
                for idx in order(torch, a.samples, 1).split(a.batch):
                    optimizer.zero_grad(set_to_none=True)
                    loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
                    loss.backward()
                    optimizer.step()

            seconds = timed(epoch, a.warmup, a.iterations)
            items = a.samples
        else:
            params["epochs"] = str(a.epochs)
            cached = name.endswith("cached")

            def run():
                model, _ = build([])
                backbone = torch.nn.Sequential(*list(model.children())[:-1], torch.nn.Flatten()).eval()
                backbone.requires_grad_(False)
                head = model.fc
                optimizer = torch.optim.Adam(head.parameters(), lr=1e-3)
                if cached:
                    with torch.no_grad():
                        features = torch.cat([backbone(chunk) for chunk in x.split(64)])
                for e in range(a.epochs):
                    for idx in order(torch, a.samples, e).split(a.batch):
                        if cached:
                            f = features[idx]
                        else:
                            with torch.no_grad():
                                f = backbone(x[idx])
                        optimizer.zero_grad(set_to_none=True)
                        loss = torch.nn.functional.cross_entropy(head(f), y[idx])
                        loss.backward()
                        optimizer.step()

            seconds = timed(run, a.warmup, a.iterations)
            items = a.samples * a.epochs
    elif name == "HeadTraining.head":
        g = torch.Generator().manual_seed(2)
        features = torch.randn(a.head_samples, 512, generator=g)
        labels = torch.arange(a.head_samples) % CLASSES
        params = {"samples": str(a.head_samples), "batch": str(a.head_batch), "epochs": str(a.head_epochs)}

        def run():
            head = torch.nn.Linear(512, CLASSES)
            optimizer = torch.optim.Adam(head.parameters(), lr=1e-3)
            for e in range(a.head_epochs):
                for idx in order(torch, a.head_samples, e).split(a.head_batch):
                    optimizer.zero_grad(set_to_none=True)
                    loss = torch.nn.functional.cross_entropy(head(features[idx]), labels[idx])
                    loss.backward()
                    optimizer.step()
            return head

        seconds = timed(run, max(a.warmup, 2), max(a.iterations, a.head_iterations))
        items = a.head_samples * a.head_epochs
        head = run()
        with torch.no_grad():
            logits = head(features)
            reached = {"train_loss": torch.nn.functional.cross_entropy(logits, labels).item(),
                       "train_accuracy": (logits.argmax(1) == labels).float().mean().item()}
    elif name.startswith("Inference.predict:") or name.startswith("VisionInference.predict:"):
        arch = name.split(":")[1]
        if arch == "inception_v3":
            model = torchvision.models.inception_v3(aux_logits=False, transform_input=True, init_weights=False)
        else:
            model = getattr(torchvision.models, arch)()
        if arch.startswith("resnet") or arch == "inception_v3":
            model.fc = torch.nn.Linear(model.fc.in_features, CLASSES)
        elif arch.startswith("vit_"):
            model.heads.head = torch.nn.Linear(model.heads.head.in_features, CLASSES)
        else:
            model.classifier[-1] = torch.nn.Linear(model.classifier[-1].in_features, CLASSES)
        model.eval()
        x, _ = images(torch, a.inference_batch, 3, 299 if arch == "inception_v3" else 224)
        array = x.numpy()
        params = {"model": arch, "batch": str(a.inference_batch)}

        def predict():
            with torch.no_grad():
                return torch.softmax(model(torch.from_numpy(array)), 1).numpy()

        seconds = timed(predict, a.warmup + 1, max(a.iterations, 5))
        items = a.inference_batch
        name = name.split(":")[0]
    else:
        raise SystemExit("unknown case " + name)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"case": name, "params": params, "items_per_s": items / seconds, "seconds_per_op": seconds,
            "peak_rss_mib": peak_kib / 1024.0, "peak_rss_measured_mib": MEASURED["peak"], "torch": torch.__version__,
            "threads": a.threads, **reached}


CASES = ["ResNet18Training.fullFineTune", "ResNet18Training.freezeUntilLayer4", "FeatureExtraction.naive",
         "FeatureExtraction.cached", "HeadTraining.head", "Inference.predict:resnet50", "Inference.predict:vgg16"]
VISION_CASES = ["VisionInference.predict:" + m
                for m in ["mobilenet_v3_large", "mobilenet_v3_small", "efficientnet_b0", "convnext_tiny", "resnet50",
                          "vit_b_16", "inception_v3"]]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--samples", type=int, default=256, help="images per epoch (ResNet-18 cases)")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--epochs", type=int, default=10, help="epochs of the feature-extraction runs")
    p.add_argument("--head-samples", type=int, default=2048)
    p.add_argument("--head-batch", type=int, default=32)
    p.add_argument("--head-epochs", type=int, default=5)
    p.add_argument("--head-iterations", type=int, default=5,
                   help="timed runs of HeadTraining.head (a run is ~0.1 s): the median of at least this many")
    p.add_argument("--inference-batch", type=int, default=16)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--iterations", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--cases", default=",".join(CASES), help="comma-separated subset of " + ",".join(CASES + VISION_CASES))
    p.add_argument("--one", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.one:
        print(json.dumps(run_case(a.one, a)))
        return
    results = []
    passthrough = []
    for key, value in vars(a).items():
        if key not in ("cases", "one"):
            passthrough += ["--" + key.replace("_", "-"), str(value)]
    for case in a.cases.split(","):
        out = subprocess.run([sys.executable, __file__, "--one", case] + passthrough,
                             check=True, capture_output=True, text=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print("%-40s %10.2f items/s  peak RSS %7.0f MiB" % (case, result["items_per_s"], result["peak_rss_mib"]),
              file=sys.stderr)
        results.append(result)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
