package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchEmbedding;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchModule;

/**
 * Hugging Face's {@code BertEmbeddings}: word, position and token-type embeddings summed, then
 * LayerNorm and dropout. Input: the token arrays (batch, 3, length) holding input ids, attention
 * mask and token type ids; output: {@link HiddenStates} (batch, length, hidden + 1).
 */
final class BertEmbeddings extends TorchModule {

    private final BertConfig config;
    private final TorchEmbedding words;
    private final TorchEmbedding positions;
    private final TorchEmbedding types;
    private final TorchLayerNorm norm;

    BertEmbeddings(BertConfig config) {
        this.config = config;
        this.words = addChildBlock("word_embeddings", BertLayers.embedding(config.vocabSize(), config));
        this.positions = addChildBlock("position_embeddings", BertLayers.embedding(config.maxPositions(), config));
        this.types = addChildBlock("token_type_embeddings", BertLayers.embedding(config.typeVocabSize(), config));
        this.norm = addChildBlock("LayerNorm", BertLayers.layerNorm(config));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        Shape shape = tokens.getShape();
        if (shape.dimension() != 3 || shape.get(1) != 3) {
            throw new IllegalArgumentException(
                    "BERT input must be (batch, 3, length): input ids, attention mask, token type ids; got " + shape);
        }
        long length = shape.get(2);
        if (length > config.maxPositions()) {
            throw new IllegalArgumentException(
                    "Sequence length " + length + " exceeds the model's " + config.maxPositions() + " positions");
        }
        if (tokens.getDataType() != DataType.INT64) {
            tokens = tokens.toType(DataType.INT64, false);
        }
        NDArray mask = tokens.get(new NDIndex(":, 1, :"));
        long active = HiddenStates.activeLength(mask);
        NDIndex window = new NDIndex(":, :{}", active);
        NDArray ids = tokens.get(new NDIndex(":, 0, :")).get(window);
        NDArray typeIds = tokens.get(new NDIndex(":, 2, :")).get(window);
        NDArray positionIds =
                tokens.getManager().arange(0L, active, 1L, DataType.INT64).expandDims(0);
        NDArray sum = words.apply(ps, ids, training)
                .add(positions.apply(ps, positionIds, training))
                .add(types.apply(ps, typeIds, training));
        NDArray out = norm.apply(ps, sum, training);
        out = Dropout.dropout(out, config.hiddenDropout(), training).singletonOrThrow();
        return new NDList(HiddenStates.pack(out, mask.get(window), length));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {new Shape(in.get(0), in.get(2), config.hiddenSize() + 1L)};
    }
}
