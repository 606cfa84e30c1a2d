package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;
import io.tl4j.core.weights.StateDict;
import io.tl4j.nlp.text.TextEncoder;
import io.tl4j.nlp.text.TextTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Masked-word prediction with a checkpoint's masked-LM head, Hugging Face's {@code
 * cls.predictions}: {@code transform.dense}, the activation, {@code transform.LayerNorm}, then a
 * decoder tied to the word embeddings plus {@code cls.predictions.bias}. Get it from {@link
 * BertEncoder#maskedLanguageModel()}.
 */
public final class MaskedLanguageModel {

    /**
     * One candidate for a masked position.
     *
     * @param token the word piece
     * @param id its id
     * @param probability its softmax probability
     */
    public record Candidate(String token, long id, float probability) {}

    private final BertEncoder encoder;
    private final Head head;

    MaskedLanguageModel(BertEncoder encoder, Map<String, NDArray> checkpoint, NDManager manager) {
        this.encoder = encoder;
        BertConfig config = encoder.config();
        NDArray words = encoder.weights().get("embeddings.word_embeddings.weight");
        this.head = new Head(config, words);
        head.initialize(manager, DataType.FLOAT32, new Shape(1, config.hiddenSize()));
        Map<String, NDArray> own = new LinkedHashMap<>();
        checkpoint.forEach((name, array) -> {
            String local = name.substring("cls.predictions.".length());
            if (local.equals("decoder.weight")) {
                if (!array.getShape().equals(words.getShape())) {
                    throw new IllegalArgumentException("cls.predictions.decoder.weight has shape " + array.getShape()
                            + " but is tied to embeddings.word_embeddings.weight " + words.getShape());
                }
            } else if (!local.equals("decoder.bias")) {
                own.put(local, array);
            }
        });
        StateDict.load(head, own);
        head.freezeParameters(true);
    }

    /**
     * Predicts every {@code [MASK]} in a text.
     *
     * @param text a text with one or more {@code [MASK]} tokens, e.g. {@code "the capital of
     *     france is [MASK] ."}
     * @param topK how many candidates per mask
     * @return per mask, in order, the {@code topK} most probable word pieces, best first
     * @throws IllegalArgumentException when the text has no {@code [MASK]}
     */
    public List<List<Candidate>> fillMask(String text, int topK) {
        TextTokenizer tokenizer = encoder.tokenizer();
        long mask = tokenizer.id(TextTokenizer.MASK);
        List<List<Candidate>> result = new ArrayList<>();
        encoder.runInBatches(List.of(text), (encoded, batch, indices) -> {
            TextEncoder.Encoded e = encoded.get(0);
            NDArray packed = encoder.forward(batch);
            NDArray hidden = HiddenStates.hidden(packed);
            NDManager sm = batch.getManager();
            for (int t = 0; t < e.length(); t++) {
                if (e.ids()[t] != mask) {
                    continue;
                }
                NDArray vector = hidden.get(new NDIndex("0, {}, :", t)).expandDims(0);
                NDArray probabilities = head.forward(new ParameterStore(sm, false), new NDList(vector), false)
                        .singletonOrThrow()
                        .softmax(-1)
                        .squeeze(0);
                float[] p = probabilities.toFloatArray();
                long[] best = probabilities
                        .argSort(-1, false)
                        .get(new NDIndex(":{}", topK))
                        .toLongArray();
                List<Candidate> candidates = new ArrayList<>(best.length);
                for (long id : best) {
                    candidates.add(new Candidate(tokenizer.token(id), id, p[(int) id]));
                }
                result.add(candidates);
            }
        });
        if (result.isEmpty()) {
            throw new IllegalArgumentException("The text has no " + TextTokenizer.MASK + " token: " + text);
        }
        return result;
    }

    /** {@code cls.predictions}: parameters {@code bias}, {@code transform.dense.*}, {@code transform.LayerNorm.*}. */
    static final class Head extends TorchModule {
        private final BertConfig config;
        private final Transform transform;
        private final Parameter bias;
        private final NDArray decoder;

        /**
         * Creates the masked-LM head, its output layer tied to the word embeddings.
         *
         * @param decoder the word embeddings (vocabulary, hidden) the output layer is tied to
         */
        Head(BertConfig config, NDArray decoder) {
            this.config = config;
            this.decoder = decoder;
            this.bias = parameter("bias", Parameter.Type.BIAS, new Shape(config.vocabSize()), Initializer.ZEROS);
            this.transform = addChildBlock("transform", new Transform(config));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = transform.forward(ps, inputs, training).singletonOrThrow();
            return new NDList(x.matMul(decoder.transpose()).add(value(ps, bias, x, training)));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return new Shape[] {new Shape(inputs[0].get(0), config.vocabSize())};
        }
    }

    /** {@code cls.predictions.transform}: dense, activation, LayerNorm. */
    static final class Transform extends TorchModule {
        private final BertConfig config;
        private final TorchLinear dense;
        private final TorchLayerNorm norm;

        Transform(BertConfig config) {
            this.config = config;
            this.dense = addChildBlock("dense", BertLayers.linear(config.hiddenSize(), config.hiddenSize()));
            this.norm = addChildBlock("LayerNorm", BertLayers.layerNorm(config));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = dense.apply(ps, inputs.singletonOrThrow(), training);
            return new NDList(norm.apply(ps, BertLayers.activate(config.activation(), x), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return inputs;
        }
    }
}
