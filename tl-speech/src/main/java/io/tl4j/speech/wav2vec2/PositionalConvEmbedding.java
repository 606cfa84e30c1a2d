package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;

/**
 * The stage {@code encoder.pos_conv_embed}: padded frames zeroed, then a convolutional positional
 * embedding added. The convolution ({@code conv.weight_g} (1, 1, kernel), {@code conv.weight_v}
 * (hidden, hidden / groups, kernel), {@code conv.bias}) is grouped, weight-normalized over the
 * kernel axis, padded by {@code kernel / 2} with the last frame dropped for an even kernel, and
 * followed by GELU. For pre-LN models the encoder's dropout follows here (post-LN models apply it
 * after {@code encoder.layer_norm}). Packed frames in and out.
 */
final class PositionalConvEmbedding extends TorchModule {

    private final WeightNormConv conv;
    private final float dropout;

    PositionalConvEmbedding(Wav2Vec2Config config) {
        this.conv = addChildBlock(
                "conv",
                new WeightNormConv(
                        config.hiddenSize(), config.numConvPosEmbeddings(), config.numConvPosEmbeddingGroups()));
        this.dropout = config.doStableLayerNorm() ? config.hiddenDropout() : 0f;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = Frames.single(inputs, "encoder.pos_conv_embed");
        NDArray mask = Frames.mask(packed);
        NDArray x = Frames.features(packed).mul(mask.expandDims(2));
        x = x.add(Activation.gelu(conv.apply(ps, x.swapAxes(1, 2))).swapAxes(1, 2));
        x = Dropout.dropout(x, dropout, training).head();
        return new NDList(Frames.pack(x, mask));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    /** The weight-normalized convolution ({@code weight = weight_g * weight_v / ||weight_v||}, norm per kernel tap). */
    static final class WeightNormConv extends TorchModule {
        private final int kernel;
        private final int groups;
        private final Parameter weightG;
        private final Parameter weightV;
        private final Parameter bias;

        WeightNormConv(int hidden, int kernel, int groups) {
            this.kernel = kernel;
            this.groups = groups;
            // PyTorch's nn.Conv1d initialization, then weight_norm: g starts at v's expected norm per tap
            double bound = 1 / Math.sqrt((double) hidden / groups * kernel);
            UniformInitializer pytorchDefault = new UniformInitializer((float) bound);
            float expectedNorm = (float) (bound * Math.sqrt((double) hidden * hidden / groups / 3));
            this.weightG = parameter(
                    "weight_g", Parameter.Type.WEIGHT, new Shape(1, 1, kernel), new ConstantInitializer(expectedNorm));
            this.weightV = parameter(
                    "weight_v", Parameter.Type.WEIGHT, new Shape(hidden, hidden / groups, kernel), pytorchDefault);
            this.bias = parameter("bias", Parameter.Type.BIAS, new Shape(hidden), pytorchDefault);
        }

        /**
         * Applies the positional convolution, before the activation.
         *
         * @param x {@code (batch, hidden, frames)}
         * @return {@code (batch, hidden, frames)}, before the activation
         */
        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray g = ps.getValue(weightG, x.getDevice(), false);
            NDArray v = ps.getValue(weightV, x.getDevice(), false);
            NDArray b = ps.getValue(bias, x.getDevice(), false);
            NDArray w = v.mul(g.div(v.square().sum(new int[] {0, 1}, true).sqrt()));
            NDArray y = x.getNDArrayInternal()
                    .convolution(x, w, b, new Shape(1), new Shape(kernel / 2), new Shape(1), groups)
                    .head();
            if (kernel % 2 == 0) {
                y = y.get(":, :, :-1");
            }
            return y;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.head()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }
    }
}
