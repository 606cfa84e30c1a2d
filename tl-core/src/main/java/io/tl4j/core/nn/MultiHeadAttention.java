package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;

/**
 * Computes multi-head scaled dot-product attention, the one copy that BERT, wav2vec2 and ViT share
 * (through {@link TransformerEncoderLayer}): {@code softmax(q kᵀ / √d + keyBias) v} per head, as
 * Hugging Face's {@code BertSelfAttention}, torchaudio's {@code SelfAttention} and PyTorch's {@code
 * nn.MultiheadAttention} compute it.
 */
public final class MultiHeadAttention {

    private MultiHeadAttention() {}

    /**
     * Attends every token to every (unmasked) token.
     *
     * <p>The queries are scaled rather than the scores, and the key bias is added in place, which
     * keeps the batch x heads x tokens x tokens arrays down to two (scores and probabilities): at
     * 512 tokens each is 200 MB for a batch of 16.
     *
     * @param q the projected queries, (batch, tokens, hidden)
     * @param k the projected keys, (batch, tokens, hidden)
     * @param v the projected values, (batch, tokens, hidden)
     * @param heads the number of heads; divides hidden
     * @param keyBias added to every score of a key, (batch, 1, 1, tokens) (see {@link #keyBias}), or
     *     null when every key counts
     * @param dropout the dropout probability on the attention probabilities in training
     * @param training whether dropout applies
     * @return the heads' outputs concatenated, (batch, tokens, hidden), before the output projection
     * @throws IllegalArgumentException when heads does not divide the hidden size
     */
    public static NDArray attend(
            NDArray q, NDArray k, NDArray v, int heads, NDArray keyBias, float dropout, boolean training) {
        Shape shape = q.getShape();
        long batch = shape.get(0);
        long tokens = shape.get(1);
        long hidden = shape.get(2);
        if (heads < 1 || hidden % heads != 0) {
            throw new IllegalArgumentException(heads + " attention heads do not divide the hidden size " + hidden);
        }
        long headSize = hidden / heads;
        NDArray query = split(Scalars.div(q, Math.sqrt(headSize)), batch, tokens, heads, headSize);
        NDArray key = split(k, batch, tokens, heads, headSize).transpose(0, 1, 3, 2);
        NDArray value = split(v, batch, tokens, heads, headSize);
        NDArray scores = query.matMul(key);
        if (keyBias != null) {
            scores = scores.addi(keyBias);
        }
        NDArray probabilities =
                Dropout.dropout(scores.softmax(-1), dropout, training).singletonOrThrow();
        return probabilities.matMul(value).transpose(0, 2, 1, 3).reshape(batch, tokens, hidden);
    }

    /**
     * Turns a token mask into the additive key bias {@link #attend} takes.
     *
     * @param mask (batch, tokens): 1 for real tokens, 0 for padding
     * @param padded the bias of a padded key: Hugging Face's BERT uses the float32 minimum ({@code
     *     -Float.MAX_VALUE}), torchaudio -10000
     * @return (batch, 1, 1, tokens) of {@code scores}' float type: 0 for real tokens, {@code padded}
     *     for padding
     */
    public static NDArray keyBias(NDArray mask, float padded) {
        Shape shape = mask.getShape();
        return Scalars.mul(Scalars.add(mask.toType(DataType.FLOAT32, false).neg(), 1f), padded)
                .reshape(shape.get(0), 1, 1, shape.get(1));
    }

    private static NDArray split(NDArray x, long batch, long tokens, long heads, long headSize) {
        return x.reshape(batch, tokens, heads, headSize).transpose(0, 2, 1, 3);
    }
}
