package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;

/**
 * torchvision's ConvNeXt {@code LayerNorm2d}: layer normalization over the channels of {@code (N,
 * C, H, W)} input at each pixel, with PyTorch's parameter names {@code weight} and {@code bias}. It
 * has no running statistics, so a frozen one behaves in training exactly as in inference.
 */
final class LayerNorm2d extends TorchModule {

    private final Shape normalized;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Creates the layer.
     *
     * @param channels the channels normalized over
     * @param eps the epsilon added to the variance (ConvNeXt: 1e-6)
     */
    LayerNorm2d(long channels, float eps) {
        this.normalized = new Shape(channels);
        this.eps = eps;
        this.weight = parameter("weight", Parameter.Type.GAMMA, normalized, Initializer.ONES);
        this.bias = parameter("bias", Parameter.Type.BETA, normalized, Initializer.ZEROS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray channelsLast = x.transpose(0, 2, 3, 1);
        NDArray normalizedLast = LayerNorm.layerNorm(
                        channelsLast, normalized, value(ps, weight, x, training), value(ps, bias, x, training), eps)
                .singletonOrThrow();
        NDArray out = normalizedLast.transpose(0, 3, 1, 2);
        if (!training) {
            channelsLast.close();
            normalizedLast.close(); // out is a view: its storage lives on
        }
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
