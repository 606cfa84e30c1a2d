#!/usr/bin/python3
"""Expected outputs of a tiny BERT (BertForPreTraining layout) for tl-nlp's golden test.

Run with Debian's python3 (torch 1.13):  /usr/bin/python3 tl-nlp/src/test/python/make_tiny_bert_fixture.py
It writes tl-nlp/src/test/resources/tiny-bert-expected.json.

The weights are not stored: both this script and TinyBert.java compute every tensor from its Hugging Face
name and shape with the same formula. The reference forward pass uses PyTorch's own modules: BERT's layer is
torch.nn.TransformerEncoderLayer in post-norm form (norm_first=False) with q/k/v packed into in_proj_weight.
"""
import json
import math
import os

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


if __name__ == "__main__":
    main()
