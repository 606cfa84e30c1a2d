package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code torch.nn.LayerNorm} over the last axis: {@code weight} and {@code bias}. */
final class HfLayerNorm extends HfBlock {

    private final Shape normalized;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    HfLayerNorm(long size, float eps) {
        this.normalized = new Shape(size);
        this.eps = eps;
        this.weight = constant("weight", normalized, 1f);
        this.bias = constant("bias", normalized, 0f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        return LayerNorm.layerNorm(x, normalized, value(ps, weight, x, training), value(ps, bias, x, training), eps);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
