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
 * Projects tokens to queries, keys and values with one packed matrix, as PyTorch's {@code
 * nn.MultiheadAttention} stores them: {@code in_proj_weight} (3 hidden, hidden) and {@code
 * in_proj_bias} (3 hidden), queries first. It starts as PyTorch starts it: Xavier-uniform weight,
 * zero bias.
 */
public final class PackedQkvProjection extends TorchModule {

    private final long hidden;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * Creates the projection.
     *
     * @param hidden the hidden size
     */
    public PackedQkvProjection(long hidden) {
        this.hidden = hidden;
        float bound = (float) Math.sqrt(6.0 / (hidden + 3 * hidden));
        this.weight = parameter(
                "in_proj_weight", Parameter.Type.WEIGHT, new Shape(3 * hidden, hidden), new UniformInitializer(bound));
        this.bias = parameter("in_proj_bias", Parameter.Type.BIAS, new Shape(3 * hidden), Initializer.ZEROS);
    }

    /**
     * Returns the queries, keys and values of {@code x}.
     *
     * @param ps the parameter store
     * @param x the tokens, (..., hidden)
     * @param training whether gradients are being recorded
     * @return queries, keys and values, each (..., hidden)
     */
    public NDList apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray packed = Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training))
                .singletonOrThrow();
        return packed.split(3, packed.getShape().dimension() - 1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return apply(ps, inputs.singletonOrThrow(), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        Shape out = in.slice(0, in.dimension() - 1).add(hidden);
        return new Shape[] {out, out, out};
    }
}
