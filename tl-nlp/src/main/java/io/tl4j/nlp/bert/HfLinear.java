package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code torch.nn.Linear}: {@code weight} (out, in) and {@code bias} (out) over the last axis. */
final class HfLinear extends HfBlock {

    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    HfLinear(long in, long out) {
        this.out = out;
        this.weight = weight("weight", new Shape(out, in));
        this.bias = constant("bias", new Shape(out), 0f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(out)};
    }
}
