package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * A fully connected layer ({@code weight} [out, in], {@code bias} [out]) over the last axis,
 * initialized as PyTorch's {@code nn.Linear} (uniform in +-1/sqrt(in)).
 */
final class HfLinear extends HfBlock {

    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    HfLinear(long in, long out) {
        this.out = out;
        UniformInitializer pytorchDefault = new UniformInitializer((float) (1 / Math.sqrt(in)));
        this.weight = parameter("weight", new Shape(out, in), pytorchDefault);
        this.bias = parameter("bias", new Shape(out), pytorchDefault);
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
