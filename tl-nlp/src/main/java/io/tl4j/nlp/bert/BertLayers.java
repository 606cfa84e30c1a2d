package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.nn.TorchEmbedding;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchLinear;

/**
 * Makes the PyTorch layers of a BERT encoder initialized as Hugging Face's {@code
 * BertPreTrainedModel._init_weights} does (weights N(0, 0.02), biases 0, LayerNorm 1 and 0), and
 * applies its feed-forward activation as Hugging Face's {@code ACT2FN} does.
 */
final class BertLayers {

    /** BERT's initializer range: weights start as N(0, 0.02). */
    private static final float INIT_RANGE = 0.02f;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    private BertLayers() {}

    /** Returns a linear layer from {@code in} to {@code out} features. */
    static TorchLinear linear(long in, long out) {
        return new TorchLinear(in, out, new NormalInitializer(INIT_RANGE), Initializer.ZEROS);
    }

    /** Returns a LayerNorm over the hidden size with the configuration's epsilon. */
    static TorchLayerNorm layerNorm(BertConfig config) {
        return new TorchLayerNorm(config.hiddenSize(), config.layerNormEps());
    }

    /** Returns an embedding table of {@code count} vectors of the hidden size. */
    static TorchEmbedding embedding(long count, BertConfig config) {
        return new TorchEmbedding(count, config.hiddenSize(), new NormalInitializer(INIT_RANGE));
    }

    /** Returns {@code x} through a feed-forward activation. */
    static NDArray activate(BertConfig.HiddenActivation activation, NDArray x) {
        switch (activation) {
            case GELU:
                return Activation.gelu(x);
            case GELU_TANH:
                // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
                NDArray inner =
                        Scalars.mul(Scalars.mul(Scalars.pow(x, 3), 0.044715f).add(x), SQRT_2_OVER_PI);
                return Scalars.mul(x, 0.5f).mul(Scalars.add(inner.tanh(), 1f));
            case RELU:
                return Activation.relu(x);
            default:
                throw new IllegalStateException("unknown activation " + activation);
        }
    }
}
