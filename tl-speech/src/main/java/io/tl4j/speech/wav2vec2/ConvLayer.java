package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchModule;

/**
 * One convolution of the feature extractor ({@code conv_layers.N}): {@code conv} (no padding),
 * an optional {@code layer_norm} (per-channel group norm or layer norm over channels), GELU.
 * Input and output {@code (batch, channels, time)}.
 */
final class ConvLayer extends TorchModule {

    private final Conv conv;
    private final TorchModule norm;

    ConvLayer(
            int in,
            int out,
            int kernel,
            int stride,
            boolean bias,
            Wav2Vec2Config.FeatureNorm norm,
            boolean normalized,
            float eps) {
        this.conv = addChildBlock("conv", new Conv(in, out, kernel, stride, bias));
        if (!normalized) {
            this.norm = null;
        } else if (norm == Wav2Vec2Config.FeatureNorm.GROUP) {
            this.norm = addChildBlock("layer_norm", new ChannelGroupNorm(out, eps));
        } else {
            this.norm = addChildBlock("layer_norm", new TorchLayerNorm(out, eps));
        }
    }

    NDArray apply(ParameterStore ps, NDArray x) {
        NDArray y = conv.apply(ps, x);
        if (norm instanceof ChannelGroupNorm group) {
            y = group.apply(ps, y);
        } else if (norm instanceof TorchLayerNorm layer) {
            y = layer.apply(ps, y.swapAxes(1, 2), false).swapAxes(1, 2);
        }
        return Activation.gelu(y);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return conv.getOutputShapes(inputs);
    }

    /**
     * The convolution without padding: {@code weight} (out, in, kernel) and, when configured,
     * {@code bias}; initialized as PyTorch's {@code nn.Conv1d}.
     */
    static final class Conv extends TorchModule {
        private final int out;
        private final int kernel;
        private final int stride;
        private final Parameter weight;
        private final Parameter bias;

        Conv(int in, int out, int kernel, int stride, boolean withBias) {
            this.out = out;
            this.kernel = kernel;
            this.stride = stride;
            UniformInitializer pytorchDefault = new UniformInitializer((float) (1 / Math.sqrt((double) in * kernel)));
            this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in, kernel), pytorchDefault);
            this.bias = withBias ? parameter("bias", Parameter.Type.BIAS, new Shape(out), pytorchDefault) : null;
        }

        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray w = ps.getValue(weight, x.getDevice(), false);
            NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), false);
            return x.getNDArrayInternal()
                    .convolution(x, w, b, new Shape(stride), new Shape(0), new Shape(1), 1)
                    .head();
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(apply(ps, inputs.head()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            Shape s = inputs[0];
            return new Shape[] {new Shape(s.get(0), out, Math.max(0, (s.get(2) - kernel) / stride + 1))};
        }
    }

    /** GroupNorm with one group per channel ({@code weight}, {@code bias}): normalizes each channel over time. */
    static final class ChannelGroupNorm extends TorchModule {
        private final float eps;
        private final Parameter weight;
        private final Parameter bias;

        ChannelGroupNorm(int channels, float eps) {
            this.eps = eps;
            this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(channels), Initializer.ONES);
            this.bias = parameter("bias", Parameter.Type.BIAS, new Shape(channels), Initializer.ZEROS);
        }

        NDArray apply(ParameterStore ps, NDArray x) {
            NDArray mean = x.mean(new int[] {2}, true);
            NDArray centered = x.sub(mean);
            NDArray var = centered.square().mean(new int[] {2}, true);
            NDArray normalized = centered.div(Scalars.add(var, eps).sqrt());
            NDArray w = ps.getValue(weight, x.getDevice(), false).reshape(1, -1, 1);
            NDArray b = ps.getValue(bias, x.getDevice(), false).reshape(1, -1, 1);
            return normalized.mul(w).add(b);
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
