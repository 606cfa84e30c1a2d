#!/usr/bin/python3
"""Synthesizes the spoken-keyword corpora tl-speech pretrains and adapts on.

Needs Debian's espeak-ng and flite, and /usr/bin/python3 with torch + torchaudio (for the
band-limited resampling to 16 kHz). Everything is deterministic for a given --seed.

Two corpora:

* ``source``: the pretraining corpus. 40 English words (the 30 of Speech Commands v1 plus 10
  more), spoken only by espeak-ng: every voice variant except the held-out ones, English dialects
  (en, en-us, en-us-nyc, en-gb-scotland, en-gb-x-rp, en-gb-x-gbclan, en-gb-x-gbcwmd, en-029) and
  foreign-language voices reading the English word (de, fr-fr, es, it, nl, pl, sv, pt, ...) as
  strong accents, random speed, pitch, gain and noise. Not vendored (regenerate it with this
  script); ``SpeechPretrain`` trains the shipped keyword encoder on it.
* ``adapt``: 5 NEW words (the Speech Commands v2 additions backward, forward, follow, learn,
  visual), in three splits: ``train`` (espeak variants that also speak the source corpus),
  ``test`` (espeak variants held out of both the source corpus and ``train``) and ``flite`` (the
  flite voices kal, kal16, awb, rms, slt: an accent and a synthesizer never seen in training).
  This corpus is vendored, zipped, as a resource of tl-speech.

Every clip is 16 kHz mono 16-bit PCM, silence-trimmed, at most 1 s long, with a random gain and,
for most clips, white or brown noise at a random SNR between 10 and 40 dB.

Usage::

    /usr/bin/python3 tl-speech/scripts/synthesize_keywords.py --corpus source --out /tmp/kw
    /usr/bin/python3 tl-speech/scripts/synthesize_keywords.py --corpus adapt --out /tmp/kw \\
        --zip tl-demo-data/src/main/resources/io/tl4j/demo/words/adaptation-words.zip
"""
import argparse
import io
import os
import random
import subprocess
import tempfile
import wave
import zipfile

import numpy as np
import torch
import torchaudio.functional as AF

RATE = 16000
MAX_SECONDS = 1.0

SOURCE_WORDS = [
    # Speech Commands v1
    "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go",
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow",
    # ten more
    "red", "green", "blue", "black", "white", "water", "window", "music", "light", "open",
]
ADAPT_WORDS = ["backward", "forward", "follow", "learn", "visual"]

VARIANTS_DIR = "/usr/lib/x86_64-linux-gnu/espeak-ng-data/voices/!v"
# espeak variants that never speak a training clip (source corpus or adaptation train split)
HELD_OUT_VARIANTS = [
    "m3", "f3", "klatt3", "Andy", "Annie", "belinda", "caleb", "edward", "grandma", "iven2",
    "john", "linda", "michel", "quincy", "robert", "shelby", "steph2", "travis",
]
ENGLISH = ["en", "en-us", "en-us-nyc", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan",
           "en-gb-x-gbcwmd", "en-029"]
FOREIGN = ["de", "fr-fr", "es", "it", "nl", "pl", "sv", "pt", "ro", "hu", "cs", "fi", "af", "da"]
FLITE_VOICES = ["kal", "kal16", "awb", "rms", "slt"]


def variants():
    names = sorted(n for n in os.listdir(VARIANTS_DIR) if " " not in n)
    return names


def read_wav(data):
    with wave.open(io.BytesIO(data)) as w:
        assert w.getsampwidth() == 2, "expected 16-bit output from the synthesizer"
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
        if w.getnchannels() > 1:
            pcm = pcm.reshape(-1, w.getnchannels()).mean(axis=1)
    return pcm, rate


def espeak(word, voice, speed, pitch):
    out = subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "--stdout", word],
                         check=True, capture_output=True).stdout
    return read_wav(out)


def flite(word, voice, stretch, f0):
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["flite", "-voice", voice, "--setf", "duration_stretch=%.2f" % stretch,
                        "--setf", "int_f0_target_mean=%d" % f0, "-t", word, "-o", tmp.name],
                       check=True, capture_output=True)
        with open(tmp.name, "rb") as f:
            return read_wav(f.read())


def finish(pcm, rate, rng):
    """Resamples to 16 kHz, trims silence, caps at 1 s, applies random gain and noise."""
    x = torch.from_numpy(pcm)
    if rate != RATE:
        x = AF.resample(x, rate, RATE)
    x = x.numpy()
    frame = RATE // 100
    n = len(x) // frame
    if n == 0:
        raise ValueError("empty synthesis")
    energy = np.array([np.sqrt(np.mean(x[i * frame:(i + 1) * frame] ** 2)) + 1e-9 for i in range(n)])
    loud = np.nonzero(20 * np.log10(energy / energy.max()) > -40)[0]
    start = max(0, (loud[0] - 3) * frame)
    end = min(len(x), (loud[-1] + 4) * frame)
    x = x[start:end]
    cap = int(MAX_SECONDS * RATE)
    if len(x) > cap:
        off = (len(x) - cap) // 2
        x = x[off:off + cap]
    x = x / (np.abs(x).max() + 1e-9) * rng.uniform(0.2, 0.9)
    if rng.random() < 0.8:
        snr = rng.uniform(10, 40)
        noise = np.random.default_rng(rng.randrange(2 ** 32)).standard_normal(len(x)).astype(np.float32)
        if rng.random() < 0.5:  # brown noise
            noise = np.cumsum(noise)
            noise -= np.convolve(noise, np.ones(401) / 401, mode="same")
        power = np.mean(x ** 2)
        noise *= np.sqrt(power / (10 ** (snr / 10)) / (np.mean(noise ** 2) + 1e-12))
        x = x + noise
    x = np.clip(x, -1, 1)
    return x


def to_wav_bytes(x):
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((x * 32767).round().astype("<i2").tobytes())
    return buf.getvalue()


def espeak_clip(word, variant, language, rng):
    speed = rng.randint(110, 210)
    pitch = rng.randint(20, 80)
    pcm, rate = espeak(word, language + "+" + variant, speed, pitch)
    name = "espeak-%s-%s-s%d-p%d" % (language, variant, speed, pitch)
    return name, finish(pcm, rate, rng)


def source_corpus(per_word, rng):
    train_variants = [v for v in variants() if v not in HELD_OUT_VARIANTS]
    for word in SOURCE_WORDS:
        for i in range(per_word):
            language = rng.choice(ENGLISH) if rng.random() < 0.7 else rng.choice(FOREIGN)
            name, x = espeak_clip(word, rng.choice(train_variants), language, rng)
            yield "source/%s/%s-%03d.wav" % (word, name, i), x


def adapt_corpus(train_per_word, test_per_word, rng):
    train_variants = [v for v in variants() if v not in HELD_OUT_VARIANTS]
    for word in ADAPT_WORDS:
        for i in range(train_per_word):
            name, x = espeak_clip(word, rng.choice(train_variants), rng.choice(ENGLISH), rng)
            yield "train/%s/%s-%03d.wav" % (word, name, i), x
        for i in range(test_per_word):
            name, x = espeak_clip(word, HELD_OUT_VARIANTS[i % len(HELD_OUT_VARIANTS)], rng.choice(ENGLISH), rng)
            yield "test/%s/%s-%03d.wav" % (word, name, i), x
        for i, voice in enumerate(FLITE_VOICES * 4):
            stretch = rng.uniform(0.8, 1.25)
            f0 = rng.randint(90, 200) if voice in ("kal", "kal16", "awb", "rms") else rng.randint(150, 240)
            pcm, rate = flite(word, voice, stretch, f0)
            yield ("flite/%s/flite-%s-d%.2f-f%d-%03d.wav" % (word, voice, stretch, f0, i),
                   finish(pcm, rate, rng))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=["source", "adapt"], required=True)
    parser.add_argument("--out", help="directory to write <split>/<word>/<clip>.wav into")
    parser.add_argument("--zip", help="also (or only) write the clips into this zip file")
    parser.add_argument("--per-word", type=int, default=150, help="source clips per word")
    parser.add_argument("--train-per-word", type=int, default=20)
    parser.add_argument("--test-per-word", type=int, default=36)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed + (0 if args.corpus == "source" else 1))
    clips = (source_corpus(args.per_word, rng) if args.corpus == "source"
             else adapt_corpus(args.train_per_word, args.test_per_word, rng))
    archive = zipfile.ZipFile(args.zip, "w", zipfile.ZIP_DEFLATED, compresslevel=9) if args.zip else None
    count = 0
    for path, x in clips:
        data = to_wav_bytes(x)
        if args.out:
            target = os.path.join(args.out, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data)
        if archive:
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
        count += 1
    if archive:
        archive.close()
    print("wrote %d clips" % count)


if __name__ == "__main__":
    main()
