#!/usr/bin/python3
"""Golden fixtures for tl4j's wav2vec2 / HuBERT encoder and its CTC loss.

Run with Debian's python3 (torch 1.13, torchaudio 0.13):

    /usr/bin/python3 tl-speech/scripts/make_wav2vec2_fixtures.py

Writes, under tl-speech/src/test/resources/wav2vec2/:
  golden.json      small torchaudio models (weights from a formula keyed by Hugging Face name), their
                   inputs (a formula too) and outputs; CTC losses and gradients from torch.nn.functional.ctc_loss
  base-keys.tsv    Hugging Face name and shape of every encoder tensor of wav2vec2-base, hubert-base and
                   wav2vec2-large, from torchaudio's models renamed as
                   torchaudio.models.wav2vec2.utils.import_huggingface_model maps them
The Java tests compute the same formulas, so no weights are committed.
"""
import json
import math
import os

import torch
import torchaudio
from torchaudio.models import wav2vec2_model

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "wav2vec2")


def hf_name(torchaudio_name):
    """torchaudio's parameter name -> Hugging Face's (the inverse of import_huggingface_model)."""
    if torchaudio_name.startswith("encoder.feature_projection."):
        return torchaudio_name[len("encoder."):]
    if torchaudio_name.startswith("encoder.transformer."):
        return "encoder." + torchaudio_name[len("encoder.transformer."):]
    if torchaudio_name.startswith("aux."):
        return "lm_head." + torchaudio_name[len("aux."):]
    return torchaudio_name


def name_seed(name):
    return sum((j + 1) * ord(c) for j, c in enumerate(name)) % 1009


def formula(name, shape):
    """The value of every tensor, computed the same way by the Java test (Wav2Vec2Formulas)."""
    n = 1
    for d in shape:
        n *= d
    seed = name_seed(name)
    raw = [math.sin(0.37 * i + seed) for i in range(n)]
    if name.endswith("layer_norm.weight") or name.endswith("weight_g"):
        values = [1.0 + 0.1 * r for r in raw]
    elif len(shape) == 1:
        values = [0.1 * r for r in raw]
    else:
        fan_in = n // shape[0]
        values = [r / math.sqrt(fan_in) for r in raw]
    return torch.tensor(values, dtype=torch.float64).to(torch.float32).reshape(shape)


def waveform(batch, samples):
    return torch.tensor([[0.5 * math.sin(0.05 * (i + 1) * (1 + 0.3 * b)) + 0.1 * math.cos(0.37 * i + b)
                          for i in range(samples)] for b in range(batch)], dtype=torch.float64).to(torch.float32)


def ctc_logits(batch, frames, vocab):
    return torch.tensor([[[math.sin(0.7 * t + 1.3 * v + 0.5 * b) * 2.0 for v in range(vocab)]
                          for t in range(frames)] for b in range(batch)], dtype=torch.float64).to(torch.float32)


def hf_config(c, vocab):
    dims, kernels, strides = zip(*c["extractor_conv_layer_config"])
    return {
        "model_type": "wav2vec2",
        "conv_dim": list(dims), "conv_kernel": list(kernels), "conv_stride": list(strides),
        "feat_extract_norm": c["extractor_mode"].replace("_norm", ""),
        "conv_bias": c["extractor_conv_bias"],
        "hidden_size": c["encoder_embed_dim"],
        "num_hidden_layers": c["encoder_num_layers"],
        "num_attention_heads": c["encoder_num_heads"],
        "intermediate_size": c["encoder_ff_interm_features"],
        "num_conv_pos_embeddings": c["encoder_pos_conv_kernel"],
        "num_conv_pos_embedding_groups": c["encoder_pos_conv_groups"],
        "do_stable_layer_norm": c["encoder_layer_norm_first"],
        "vocab_size": vocab,
        "hidden_act": "gelu", "feat_extract_activation": "gelu", "layer_norm_eps": 1e-5,
    }


def small(mode, bias, pre_ln):
    return dict(
        extractor_mode=mode, extractor_conv_layer_config=[(32, 10, 5), (32, 3, 2), (32, 2, 2)],
        extractor_conv_bias=bias, encoder_embed_dim=32, encoder_projection_dropout=0.0,
        encoder_pos_conv_kernel=16, encoder_pos_conv_groups=4, encoder_num_layers=2, encoder_num_heads=4,
        encoder_attention_dropout=0.0, encoder_ff_interm_features=64, encoder_ff_interm_dropout=0.0,
        encoder_dropout=0.0, encoder_layer_norm_first=pre_ln, encoder_layer_drop=0.0)


def rounded(t):
    return [float("%.7g" % v) for v in t.reshape(-1).tolist()]


def golden_case(name, config, vocab, lengths):
    model = wav2vec2_model(**config, aux_num_out=vocab).eval()
    shapes = {}
    with torch.no_grad():
        for ta_name, p in model.state_dict().items():
            hf = hf_name(ta_name)
            p.copy_(formula(hf, list(p.shape)))
            shapes[hf] = list(p.shape)
    samples = 400
    x = waveform(len(lengths), samples)
    with torch.no_grad():
        lens = torch.tensor(lengths)
        feats, frame_lengths = model.feature_extractor(x, lens)
        hidden = model.encoder(feats, frame_lengths)
        logits = model.aux(hidden)
        feats_all, _ = model.feature_extractor(x, None)
        hidden_all = model.encoder(feats_all, None)
    return {
        "name": name,
        "config": hf_config(config, vocab),
        "tensors": shapes,
        "batch": len(lengths), "samples": samples, "lengths": lengths,
        "frame_lengths": frame_lengths.tolist(),
        "hidden_shape": list(hidden.shape),
        "hidden": rounded(hidden),
        "logits_shape": list(logits.shape),
        "logits": rounded(logits),
        "hidden_unpadded": rounded(hidden_all),
    }


def ctc_case():
    batch, frames, vocab = 3, 12, 5
    logits = ctc_logits(batch, frames, vocab).requires_grad_(True)
    targets = [[1, 2, 2, 3], [4, 1, 0, 0], [3, 3, 3, 0]]
    target_lengths = [4, 2, 3]
    input_lengths = [12, 9, 10]
    log_probs = logits.log_softmax(-1)
    args = (log_probs.transpose(0, 1), torch.tensor(targets), torch.tensor(input_lengths), torch.tensor(target_lengths))
    none = torch.nn.functional.ctc_loss(*args, blank=0, reduction="none")
    total = torch.nn.functional.ctc_loss(*args, blank=0, reduction="sum")
    mean = torch.nn.functional.ctc_loss(*args, blank=0, reduction="mean")
    grad, = torch.autograd.grad(mean, logits)
    return {
        "batch": batch, "frames": frames, "vocab": vocab, "blank": 0,
        "targets": targets, "target_lengths": target_lengths, "input_lengths": input_lengths,
        "loss_none": none.tolist(), "loss_sum": total.item(), "loss_mean": mean.item(),
        "grad_mean_wrt_logits": rounded(grad),
    }


def base_keys():
    models = {
        "wav2vec2-base": torchaudio.models.wav2vec2_base(),
        "hubert-base": torchaudio.models.hubert_base(),
        "wav2vec2-large": torchaudio.models.wav2vec2_large_lv60k(),
    }
    lines = ["# model\tHugging Face name\tshape  (made by tl-speech/scripts/make_wav2vec2_fixtures.py from torchaudio "
             + torchaudio.__version__ + ")"]
    for model_name, model in models.items():
        total = 0
        for name, p in model.state_dict().items():
            lines.append("%s\t%s\t%s" % (model_name, hf_name(name), "x".join(str(d) for d in p.shape)))
            total += p.numel()
        print(model_name, "parameters:", total)
    return "\n".join(lines) + "\n"


def main():
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    golden = {
        "torch": torch.__version__, "torchaudio": torchaudio.__version__,
        "cases": [
            golden_case("small-base", small("group_norm", False, False), 6, [400, 300]),
            golden_case("small-large", small("layer_norm", True, True), 6, [400, 250]),
        ],
        "ctc": ctc_case(),
    }
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"))
    with open(os.path.join(OUT, "base-keys.tsv"), "w") as f:
        f.write(base_keys())


if __name__ == "__main__":
    main()
