package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/** A fully connected layer ({@code weight} [out, in], {@code bias} [out]) over the last axis. */
final class HfLinear extends HfBlock {

    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    HfLinear(long in, long out) {
        this.out = out;
        this.weight = parameter("weight", new Shape(out, in), new NormalInitializer(0.02f));
        this.bias = parameter("bias", new Shape(out), Initializer.ZEROS);
    }

    NDArray apply(ParameterStore ps, NDArray x) {
        return Linear.linear(
                        x,
                        ps.getValue(weight, x.getDevice(), false),
                        ps.getValue(bias, x.getDevice(), false))
                .head();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long[] dims = inputs[0].getShape().clone();
        dims[dims.length - 1] = out;
        return new Shape[] {new Shape(dims)};
    }
}
