package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** Layer normalization over the last axis, with PyTorch's parameter names {@code weight}, {@code bias}. */
final class HfLayerNorm extends HfBlock {

    private final long size;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    HfLayerNorm(long size, float eps) {
        this.size = size;
        this.eps = eps;
        this.weight = parameter("weight", new Shape(size), Initializer.ONES);
        this.bias = parameter("bias", new Shape(size), Initializer.ZEROS);
    }

    NDArray apply(ParameterStore ps, NDArray x) {
        return LayerNorm.layerNorm(
                        x,
                        new Shape(size),
                        ps.getValue(weight, x.getDevice(), false),
                        ps.getValue(bias, x.getDevice(), false),
                        eps)
                .head();
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
