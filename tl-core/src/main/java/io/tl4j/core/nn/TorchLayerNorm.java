package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * PyTorch's {@code nn.LayerNorm} over the last axis, with {@code weight} (starting at 1) and {@code
 * bias} (starting at 0).
 */
public final class TorchLayerNorm extends TorchModule {

    private final Shape normalized;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Creates a layer norm.
     *
     * @param size the length of the last axis
     * @param eps the epsilon added to the variance
     */
    public TorchLayerNorm(long size, float eps) {
        this.normalized = new Shape(size);
        this.eps = eps;
        this.weight = parameter("weight", Parameter.Type.GAMMA, normalized, Initializer.ONES);
        this.bias = parameter("bias", Parameter.Type.BETA, normalized, Initializer.ZEROS);
    }

    /**
     * Returns {@code x} normalized over its last axis, scaled by {@code weight} and shifted by {@code
     * bias}.
     *
     * @param ps the parameter store
     * @param x the input, (..., size)
     * @param training whether gradients are being recorded
     * @return the output, of {@code x}'s shape
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return LayerNorm.layerNorm(x, normalized, value(ps, weight, x, training), value(ps, bias, x, training), eps)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
