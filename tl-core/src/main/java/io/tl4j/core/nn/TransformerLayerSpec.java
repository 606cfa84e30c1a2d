package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Describes a {@link TransformerEncoderLayer}: its sizes, where its LayerNorms sit, its dropouts,
 * its feed-forward activation, how its linear layers start, and its parts' names.
 *
 * @param hiddenSize the width of the tokens
 * @param numHeads the number of attention heads; divides {@code hiddenSize}
 * @param feedForwardSize the width of the feed-forward part
 * @param layerNormEps the LayerNorms' epsilon
 * @param preNorm true for pre-norm (LayerNorm before attention and before the feed-forward part,
 *     as ViT and wav2vec2-large), false for post-norm (after each residual sum, as BERT and
 *     wav2vec2-base)
 * @param attentionDropout the dropout on the attention probabilities
 * @param hiddenDropout the dropout on the attention's and the feed-forward part's outputs
 * @param activationDropout the dropout after the feed-forward activation
 * @param activation the feed-forward activation
 * @param linears makes the linear layers, initialized as the reference initializes them
 * @param names the parts' names
 */
public record TransformerLayerSpec(
        int hiddenSize,
        int numHeads,
        int feedForwardSize,
        float layerNormEps,
        boolean preNorm,
        float attentionDropout,
        float hiddenDropout,
        float activationDropout,
        UnaryOperator<NDArray> activation,
        LinearFactory linears,
        TransformerNames names) {

    /** Makes a linear layer of the given widths. */
    @FunctionalInterface
    public interface LinearFactory {
        /**
         * Makes a linear layer.
         *
         * @param in the input width
         * @param out the output width
         * @return a new layer
         */
        TorchLinear create(long in, long out);
    }

    /**
     * Checks the sizes and dropouts.
     *
     * @throws IllegalArgumentException for a non-positive size, heads that do not divide the hidden
     *     size, or a dropout outside [0, 1)
     */
    public TransformerLayerSpec {
        if (hiddenSize < 1 || numHeads < 1 || feedForwardSize < 1 || hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException("Transformer layer needs positive sizes and heads dividing the hidden"
                    + " size: hidden " + hiddenSize + ", heads " + numHeads + ", feed-forward " + feedForwardSize);
        }
        for (float p : new float[] {attentionDropout, hiddenDropout, activationDropout}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("Transformer layer dropouts must be in [0, 1): attention "
                        + attentionDropout + ", hidden " + hiddenDropout + ", activation " + activationDropout);
            }
        }
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(linears, "linears");
        Objects.requireNonNull(names, "names");
    }
}
