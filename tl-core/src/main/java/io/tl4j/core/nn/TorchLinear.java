package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * PyTorch's {@code nn.Linear} over the last axis: {@code y = x weightᵀ + bias}, with {@code weight}
 * (out, in) and {@code bias} (out).
 */
public final class TorchLinear extends TorchModule {

    private final long out;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Creates a layer initialized as PyTorch initializes one: weight and bias uniform in
     * ±1/√{@code in}.
     *
     * @param in the input width
     * @param out the output width
     */
    public TorchLinear(long in, long out) {
        this(in, out, pytorchDefault(in), pytorchDefault(in));
    }

    /**
     * Creates a layer with the given initializers (Hugging Face's BERT, for one, starts weights at
     * N(0, 0.02) and biases at 0).
     *
     * @param in the input width
     * @param out the output width
     * @param weightInitializer fills {@code weight} before weights are loaded
     * @param biasInitializer fills {@code bias} before weights are loaded
     */
    public TorchLinear(long in, long out, Initializer weightInitializer, Initializer biasInitializer) {
        this.out = out;
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in), weightInitializer);
        this.bias = parameter("bias", Parameter.Type.BIAS, new Shape(out), biasInitializer);
    }

    private static Initializer pytorchDefault(long in) {
        return new UniformInitializer((float) (1 / Math.sqrt(in)));
    }

    /**
     * Returns {@code x weightᵀ + bias}.
     *
     * @param ps the parameter store
     * @param x the input, (..., in)
     * @param training whether gradients are being recorded
     * @return the output, (..., out)
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training))
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(out)};
    }
}
