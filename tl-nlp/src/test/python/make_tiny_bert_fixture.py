#!/usr/bin/python3
"""Expected outputs of a tiny BERT (BertForPreTraining layout) for tl-nlp's golden test.

Run with Debian's python3 (torch 1.13):  /usr/bin/python3 tl-nlp/src/test/python/make_tiny_bert_fixture.py
It writes tl-nlp/src/test/resources/tiny-bert-expected.json and, from the same weights under Google's
TensorFlow names, a TF SavedModel-style checkpoint in tl-nlp/src/test/resources/tiny-bert-tf/ (variables.index
is a LevelDB-format table written here by hand from the format's description, variables.data-00000-of-00001 raw
little-endian float32; assets/vocab.txt).

The weights are not stored: both this script and TinyBert.java compute every tensor from its Hugging Face
name and shape with the same formula. The reference forward pass uses PyTorch's own modules: BERT's layer is
torch.nn.TransformerEncoderLayer in post-norm form (norm_first=False) with q/k/v packed into in_proj_weight.
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

CONFIG = dict(vocab_size=40, hidden_size=16, num_hidden_layers=2, num_attention_heads=4, intermediate_size=32,
              hidden_act="gelu_new", layer_norm_eps=1e-5, max_position_embeddings=24, type_vocab_size=2)
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "dog", "a", "ran",
         "capital", "of", "france", "is", "paris", "berlin", ".", ",", "!", "##s", "big", "small", "house",
         "in", "and", "red", "blue"]
VOCAB += ["[unused%d]" % i for i in range(CONFIG["vocab_size"] - len(VOCAB))]
TEXTS = ["the cat sat on the mat .", "a dog", "", "the capital of france is [MASK] .",
         "big red house and small blue house in paris , berlin !"]


def names_and_shapes(c):
    h, i, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    out = [("bert.embeddings.word_embeddings.weight", [v, h]),
           ("bert.embeddings.position_embeddings.weight", [c["max_position_embeddings"], h]),
           ("bert.embeddings.token_type_embeddings.weight", [c["type_vocab_size"], h]),
           ("bert.embeddings.LayerNorm.weight", [h]), ("bert.embeddings.LayerNorm.bias", [h])]
    for layer in range(c["num_hidden_layers"]):
        p = "bert.encoder.layer.%d." % layer
        for m in ("query", "key", "value"):
            out += [(p + "attention.self.%s.weight" % m, [h, h]), (p + "attention.self.%s.bias" % m, [h])]
        out += [(p + "attention.output.dense.weight", [h, h]), (p + "attention.output.dense.bias", [h]),
                (p + "attention.output.LayerNorm.weight", [h]), (p + "attention.output.LayerNorm.bias", [h]),
                (p + "intermediate.dense.weight", [i, h]), (p + "intermediate.dense.bias", [i]),
                (p + "output.dense.weight", [h, i]), (p + "output.dense.bias", [h]),
                (p + "output.LayerNorm.weight", [h]), (p + "output.LayerNorm.bias", [h])]
    out += [("bert.pooler.dense.weight", [h, h]), ("bert.pooler.dense.bias", [h]),
            ("cls.predictions.bias", [v]),
            ("cls.predictions.transform.dense.weight", [h, h]), ("cls.predictions.transform.dense.bias", [h]),
            ("cls.predictions.transform.LayerNorm.weight", [h]), ("cls.predictions.transform.LayerNorm.bias", [h]),
            ("cls.seq_relationship.weight", [2, h]), ("cls.seq_relationship.bias", [2])]
    return out


def value(name, shape):
    """The formula TinyBert.java shares: a sine wave whose phase comes from the name's characters."""
    n = 1
    for d in shape:
        n *= d
    phase = sum(ord(ch) for ch in name) % 1000 * 0.01
    scale = 0.5 if name.endswith("embeddings.weight") else 0.2
    base = 1.0 if name.endswith("LayerNorm.weight") else 0.0
    values = [base + scale * math.sin(0.7 * k + phase) for k in range(n)]
    return torch.tensor(values, dtype=torch.float32).reshape(shape)


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked_crc(data):
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, wire, payload):
    return varint(number << 3 | wire) + payload


def block(entries, restart_interval):
    """A LevelDB block: prefix-compressed entries, restart offsets, restart count."""
    out, restarts, last = bytearray(), [], b""
    for i, (key, value) in enumerate(entries):
        shared = 0
        if i % restart_interval == 0:
            restarts.append(len(out))
        else:
            while shared < min(len(key), len(last)) and key[shared] == last[shared]:
                shared += 1
        out += varint(shared) + varint(len(key) - shared) + varint(len(value)) + key[shared:] + value
        last = key
    for r in restarts or [0]:
        out += struct.pack("<I", r)
    out += struct.pack("<I", len(restarts or [0]))
    return bytes(out)


def tf_name(hf):
    """Google BERT's variable name for a Hugging Face name, and whether the tensor is a kernel (stored in, out)."""
    name = hf
    if name == "cls.predictions.bias":
        return "cls/predictions/output_bias", False
    if name.startswith("cls.seq_relationship."):
        return "cls/seq_relationship/output_" + ("weights" if name.endswith("weight") else "bias"), False
    name = name.replace("encoder.layer.", "encoder.layer_")
    kernel = False
    if name.endswith("LayerNorm.weight"):
        name = name[:-len("weight")] + "gamma"
    elif name.endswith("LayerNorm.bias"):
        name = name[:-len("bias")] + "beta"
    elif name.endswith("_embeddings.weight"):
        name = name[:-len(".weight")]
    elif name.endswith(".weight"):
        name, kernel = name[:-len("weight")] + "kernel", True
    return name.replace(".", "/"), kernel


def write_tf_checkpoint(weights, vocab, directory):
    os.makedirs(os.path.join(directory, "variables"), exist_ok=True)
    os.makedirs(os.path.join(directory, "assets"), exist_ok=True)
    with open(os.path.join(directory, "assets", "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")
    tensors = {}
    for hf, value in weights.items():
        name, kernel = tf_name(hf)
        tensors[name] = value.t().contiguous() if kernel else value
    data, entries = bytearray(), []
    for name in sorted(tensors):
        t = tensors[name]
        raw = struct.pack("<%df" % t.numel(), *t.flatten().tolist())
        shape = b"".join(field(2, 2, varint(len(d)) + d) for d in [field(1, 0, varint(n)) for n in t.shape])
        entry = (field(1, 0, varint(1)) + field(2, 2, varint(len(shape)) + shape)
                 + field(4, 0, varint(len(data))) + field(5, 0, varint(len(raw)))
                 + field(6, 5, struct.pack("<I", masked_crc(raw))))
        entries.append((name.encode(), entry))
        data += raw
    # a counter that is not a float tensor: DT_INT64 (9), a scalar, 8 bytes
    entries.append((b"global_step", field(1, 0, varint(9)) + field(2, 2, varint(0)) + field(4, 0, varint(len(data)))
                    + field(5, 0, varint(8))))
    data += struct.pack("<q", 1000)
    header = field(1, 0, varint(1)) + field(3, 2, varint(2) + field(1, 0, varint(1)))
    entries = sorted([(b"", header)] + entries)
    index = bytearray()
    handles = []

    def emit(contents):
        offset = len(index)
        index.extend(contents + b"\x00" + struct.pack("<I", masked_crc(contents + b"\x00")))
        return varint(offset) + varint(len(contents))

    chunk = []
    for key, value in entries:  # small data blocks, so the index has several
        chunk.append((key, value))
        if sum(len(k) + len(v) for k, v in chunk) > 300:
            handles.append((chunk[-1][0], emit(block(chunk, 4))))
            chunk = []
    if chunk:
        handles.append((chunk[-1][0], emit(block(chunk, 4))))
    meta = emit(block([], 1))
    index_handle = emit(block(handles, 1))
    footer = meta + index_handle
    footer += b"\x00" * (40 - len(footer)) + struct.pack("<Q", 0xDB4775248B80FB57)
    index += footer
    prefix = os.path.join(directory, "variables", "variables")
    with open(prefix + ".index", "wb") as f:
        f.write(bytes(index))
    with open(prefix + ".data-00000-of-00001", "wb") as f:
        f.write(bytes(data))
    return len(handles)


def main():
    c = CONFIG
    w = {n: value(n, s) for n, s in names_and_shapes(c)}
    h, heads, eps = c["hidden_size"], c["num_attention_heads"], c["layer_norm_eps"]
    ids = [[2] + [VOCAB.index(t) for t in text.split()] + [3] for text in TEXTS]
    length = max(len(x) for x in ids)
    input_ids = torch.tensor([x + [0] * (length - len(x)) for x in ids])
    mask = torch.tensor([[1] * len(x) + [0] * (length - len(x)) for x in ids])
    gelu_new = lambda x: F.gelu(x, approximate="tanh")

    e = (w["bert.embeddings.word_embeddings.weight"][input_ids]
         + w["bert.embeddings.position_embeddings.weight"][torch.arange(length)].unsqueeze(0)
         + w["bert.embeddings.token_type_embeddings.weight"][torch.zeros_like(input_ids)])
    x = F.layer_norm(e, (h,), w["bert.embeddings.LayerNorm.weight"], w["bert.embeddings.LayerNorm.bias"], eps)
    for layer in range(c["num_hidden_layers"]):
        p = "bert.encoder.layer.%d." % layer
        block = torch.nn.TransformerEncoderLayer(h, heads, c["intermediate_size"], dropout=0.0, activation=gelu_new,
                                                 layer_norm_eps=eps, batch_first=True, norm_first=False)
        with torch.no_grad():
            block.self_attn.in_proj_weight.copy_(torch.cat([w[p + "attention.self.%s.weight" % m]
                                                            for m in ("query", "key", "value")]))
            block.self_attn.in_proj_bias.copy_(torch.cat([w[p + "attention.self.%s.bias" % m]
                                                          for m in ("query", "key", "value")]))
            block.self_attn.out_proj.weight.copy_(w[p + "attention.output.dense.weight"])
            block.self_attn.out_proj.bias.copy_(w[p + "attention.output.dense.bias"])
            block.norm1.weight.copy_(w[p + "attention.output.LayerNorm.weight"])
            block.norm1.bias.copy_(w[p + "attention.output.LayerNorm.bias"])
            block.linear1.weight.copy_(w[p + "intermediate.dense.weight"])
            block.linear1.bias.copy_(w[p + "intermediate.dense.bias"])
            block.linear2.weight.copy_(w[p + "output.dense.weight"])
            block.linear2.bias.copy_(w[p + "output.dense.bias"])
            block.norm2.weight.copy_(w[p + "output.LayerNorm.weight"])
            block.norm2.bias.copy_(w[p + "output.LayerNorm.bias"])
        block.train()  # the slow path: the fast path of eval mode skips padded rows differently
        with torch.no_grad():
            x = block(x, src_key_padding_mask=mask == 0)
    pooled = torch.tanh(F.linear(x[:, 0], w["bert.pooler.dense.weight"], w["bert.pooler.dense.bias"]))
    t = gelu_new(F.linear(x, w["cls.predictions.transform.dense.weight"], w["cls.predictions.transform.dense.bias"]))
    t = F.layer_norm(t, (h,), w["cls.predictions.transform.LayerNorm.weight"],
                     w["cls.predictions.transform.LayerNorm.bias"], eps)
    logits = t @ w["bert.embeddings.word_embeddings.weight"].T + w["cls.predictions.bias"]
    masked = TEXTS.index("the capital of france is [MASK] .")
    position = ids[masked].index(VOCAB.index("[MASK]"))
    expected = dict(config=c, vocab=VOCAB, texts=TEXTS, input_ids=ids,
                    last_hidden_state=[x[b, :len(ids[b])].tolist() for b in range(len(TEXTS))],
                    pooler_output=pooled.tolist(),
                    mask_logits=logits[masked, position].tolist(),
                    names=[n for n, _ in names_and_shapes(c)])
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "tiny-bert-expected.json")
    with open(out, "w") as f:
        json.dump(expected, f, indent=0)
    print("wrote", os.path.normpath(out))
    tf_dir = os.path.join(os.path.dirname(out), "tiny-bert-tf")
    blocks = write_tf_checkpoint(w, VOCAB, tf_dir)
    print("wrote", os.path.normpath(tf_dir), "with", blocks, "data blocks")


if __name__ == "__main__":
    main()
