package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** PyTorch's {@code nn.Embedding}: a {@code weight} table (count, size) looked up by integer ids. */
public final class TorchEmbedding extends TorchModule {

    private final long size;
    private final Parameter weight;

    /**
     * Creates an embedding table.
     *
     * @param count the number of ids
     * @param size the length of each id's vector
     * @param initializer fills the table before weights are loaded
     */
    public TorchEmbedding(long count, long size, Initializer initializer) {
        this.size = size;
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(count, size), initializer);
    }

    /**
     * Returns the vectors of the given ids.
     *
     * @param ps the parameter store
     * @param ids the ids, of any integer type, any shape
     * @param training whether gradients are being recorded
     * @return the vectors, of shape {@code ids}' shape + (size)
     */
    public NDArray apply(ParameterStore ps, NDArray ids, boolean training) {
        NDArray longIds = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        return Embedding.embedding(longIds, value(ps, weight, longIds, training), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0].add(size)};
    }
}
