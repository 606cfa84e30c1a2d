#!/usr/bin/python3
"""Writes the torchaudio reference outputs tl-speech's feature tests compare against.

Run with Debian's python3 (torch 1.13, torchaudio 0.13.1):

    /usr/bin/python3 tl-speech/scripts/make_feature_fixtures.py

The inputs are formula signals both sides compute (see signal() and FeatureGoldenTest), so only the
expected outputs are committed: tl-speech/src/test/resources/io/tl4j/speech/features/torchaudio-features.json
"""
import json
import math
import os

import torch
import torchaudio
import torchaudio.functional as F
import torchaudio.transforms as T

N = 4000
RATE = 16000


def signal(n, rate):
    """0.4 sin(440 Hz) + 0.3 chirp from 200 Hz + 0.2 sawtooth at 137.1 Hz, in float64 then float32."""
    out = []
    for i in range(n):
        t = i / rate
        saw = 2.0 * ((137.1 * t) % 1.0) - 1.0
        out.append(0.4 * math.sin(2 * math.pi * 440 * t) + 0.3 * math.sin(2 * math.pi * (200 * t + 6000 * t * t))
                   + 0.2 * saw)
    return torch.tensor(out, dtype=torch.float64).float()


def batch():
    x = signal(N, RATE)
    return torch.stack([x, 0.5 * torch.flip(x, [0])])


def per_clip(transform, waves):
    # torchaudio's AmplitudeToDB takes its top_db maximum over a whole batch; tl4j's is per clip,
    # which equals torchaudio run on each clip alone.
    return torch.stack([transform(w) for w in waves])


def entry(tensor):
    return {"shape": list(tensor.shape), "values": [float("%.7g" % v) for v in tensor.flatten().tolist()]}


def main():
    waves = batch()
    out = {"torchaudio": torchaudio.__version__, "torch": torch.__version__, "samples": N, "sample_rate": RATE}
    mel = T.MelSpectrogram(sample_rate=RATE, n_fft=400, hop_length=160, n_mels=40)
    out["log_mel_htk"] = entry(torch.log(mel(waves) + 1e-6))
    slaney = T.MelSpectrogram(sample_rate=RATE, n_fft=400, hop_length=160, n_mels=40, mel_scale="slaney",
                              norm="slaney", f_min=20.0, f_max=7600.0)
    out["log_mel_slaney"] = entry(torch.log(slaney(waves) + 1e-6))
    keyword = T.MelSpectrogram(sample_rate=RATE, n_fft=640, hop_length=320, n_mels=40)
    out["log_mel_keyword"] = entry(torch.log(keyword(waves) + 1e-6))
    out["mel_db"] = entry(per_clip(torch.nn.Sequential(mel, T.AmplitudeToDB("power", top_db=80)), waves))
    mfcc = T.MFCC(sample_rate=RATE, n_mfcc=13, melkwargs={"n_fft": 400, "hop_length": 160, "n_mels": 40})
    out["mfcc"] = entry(per_clip(mfcc, waves))
    fbank = F.melscale_fbanks(201, 0.0, 8000.0, 40, RATE, None, "htk")
    out["fbank_htk"] = entry(fbank)
    out["dct_ortho"] = entry(F.create_dct(13, 40, "ortho"))
    x22 = signal(2205, 22050)
    out["resample_22050_16000"] = entry(F.resample(x22.unsqueeze(0), 22050, 16000)[0])
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "io", "tl4j",
                        "speech", "features", "torchaudio-features.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
