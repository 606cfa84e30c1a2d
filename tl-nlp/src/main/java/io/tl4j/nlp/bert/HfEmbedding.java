package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code torch.nn.Embedding}: a {@code weight} table (count, size) looked up by integer ids. */
final class HfEmbedding extends HfBlock {

    private final long size;
    private final Parameter weight;

    HfEmbedding(long count, long size) {
        this.size = size;
        this.weight = weight("weight", new Shape(count, size));
    }

    /** @return the table, for a decoder tied to it */
    Parameter table() {
        return weight;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        var ids = inputs.singletonOrThrow();
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        return Embedding.embedding(ids, value(ps, weight, ids, training), SparseFormat.DENSE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0].add(size)};
    }
}
