package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.StateDict;
import io.tl4j.nlp.text.TextEncoder;
import io.tl4j.nlp.text.TextPipeline;
import io.tl4j.nlp.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pretrained BERT encoder: its configuration, weights under Hugging Face's names, tokenizer and
 * provenance, from any source ({@link Bert}). It gives a trainable {@link Backbone} for {@code
 * TransferLearner}, sentence embeddings, token vectors and, when the checkpoint has the masked-LM
 * head, masked-word prediction. Close it to free the weights' native memory.
 */
public final class BertEncoder implements AutoCloseable {

    private static final int INFERENCE_BATCH = 16;
    private static final String MLM_PREFIX = "cls.predictions.";

    private final BertConfig config;
    private final TextTokenizer tokenizer;
    private final Provenance provenance;
    private final NDManager manager;
    private final Map<String, NDArray> encoderWeights;
    private final Map<String, NDArray> headWeights;
    private Block inference;
    private MaskedLanguageModel maskedLm;

    /**
     * Creates an encoder over loaded weights, which it owns from now on.
     *
     * @param config the architecture
     * @param tokenizer the tokenizer
     * @param weights tensors by Hugging Face name (encoder, optional {@code pooler.*} and {@code
     *     cls.predictions.*}), owned by {@code manager} from now on
     * @param manager the manager that owns the weights; closed with this encoder
     * @param provenance where the weights came from
     */
    BertEncoder(
            BertConfig config,
            TextTokenizer tokenizer,
            Map<String, NDArray> weights,
            NDManager manager,
            Provenance provenance) {
        this.config = Objects.requireNonNull(config, "config");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.manager = manager;
        Map<String, NDArray> encoder = new LinkedHashMap<>();
        Map<String, NDArray> head = new LinkedHashMap<>();
        weights.forEach((name, array) -> (name.startsWith(MLM_PREFIX) ? head : encoder).put(name, array));
        this.encoderWeights = Collections.unmodifiableMap(encoder);
        this.headWeights = Collections.unmodifiableMap(head);
        if (tokenizer.vocabularySize() > config.vocabSize()) {
            throw new IllegalArgumentException("The tokenizer has " + tokenizer.vocabularySize()
                    + " tokens but the model's vocabulary only " + config.vocabSize());
        }
        // fail now, naming every missing, unexpected or mis-shaped tensor, rather than at first use
        try (NDManager scratch = NDManager.newBaseManager()) {
            Block block = BertArchitecture.of(config, hasPooler() ? Pooling.POOLER : Pooling.NONE)
                    .newBlock(scratch);
            block.initialize(scratch, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3, 8));
            StateDict.load(block, encoderWeights);
        }
    }

    /** Returns the encoder's architecture. */
    public BertConfig config() {
        return config;
    }

    /** Returns the tokenizer. */
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Returns where the weights came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** Returns the encoder's weights by Hugging Face name (without the masked-LM head). */
    public Map<String, NDArray> weights() {
        return encoderWeights;
    }

    /** Tells whether the checkpoint has {@code pooler.dense} (needed for {@link Pooling#POOLER}). */
    public boolean hasPooler() {
        return encoderWeights.containsKey("pooler.dense.weight");
    }

    /** Tells whether the checkpoint has the masked-LM head ({@code cls.predictions.*}). */
    public boolean hasMaskedLmHead() {
        return !headWeights.isEmpty();
    }

    /**
     * Returns the text pipeline for this encoder's tokenizer, truncating to {@code maxLength} tokens.
     *
     * @param maxLength the longest sequence in tokens
     * @return the text pipeline for this encoder's tokenizer
     */
    public TextPipeline pipeline(int maxLength) {
        if (maxLength > config.maxPositions()) {
            throw new IllegalArgumentException(
                    "maxLength " + maxLength + " exceeds the model's " + config.maxPositions() + " positions");
        }
        return TextPipeline.of(tokenizer, maxLength);
    }

    /**
     * A backbone with mean pooling over texts of up to the model's full length (512 positions for
     * BERT): what sentence-embedding models such as all-MiniLM-L6-v2 were trained with.
     *
     * @return the backbone
     */
    public Backbone<String> backbone() {
        return backbone(Pooling.MEAN, config.maxPositions());
    }

    /**
     * Builds a backbone over this encoder: layers {@code embeddings}, {@code encoder.layer.0} ... and the pooling
     * layer.
     *
     * @param pooling how token vectors become one feature vector ({@link Pooling#POOLER} needs a
     *     checkpoint with {@code pooler.dense})
     * @param maxLength the longest sequence in tokens; shorter is faster to cache and train
     * @return a backbone whose layers are {@code embeddings}, {@code encoder.layer.0} ... and the
     *     pooling layer
     * @throws IllegalArgumentException when the pooler is asked for but the checkpoint lacks it
     */
    public Backbone<String> backbone(Pooling pooling, int maxLength) {
        if (pooling == Pooling.POOLER && !hasPooler()) {
            throw new IllegalArgumentException("This checkpoint has no pooler.dense weights; use Pooling.MEAN or CLS");
        }
        Map<String, NDArray> weights = new LinkedHashMap<>();
        encoderWeights.forEach((name, array) -> {
            if (pooling == Pooling.POOLER || !name.startsWith("pooler.")) {
                weights.put(name, array);
            }
        });
        return Backbone.<String>builder()
                .setArchitecture(BertArchitecture.of(config, pooling))
                .setPipeline(pipeline(maxLength))
                .optWeights(weights)
                .optProvenance(provenance)
                .build();
    }

    /**
     * Sentence embeddings: the mean of each text's token vectors, L2-normalised (cosine similarity
     * is then a dot product), as sentence-transformers computes them for all-MiniLM-L6-v2 and e5.
     *
     * @param texts the texts
     * @return one vector of {@code hiddenSize} floats per text
     */
    public float[][] embed(List<String> texts) {
        return embed(texts, Pooling.MEAN);
    }

    /**
     * Sentence embeddings with a given pooling, L2-normalised: {@link Pooling#MEAN} for
     * sentence-transformers models, {@link Pooling#CLS} for bge, {@link Pooling#POOLER} for
     * checkpoints trained with Hugging Face's pooler.
     *
     * @param texts the texts
     * @param pooling how token vectors become one vector (not {@link Pooling#NONE})
     * @return one vector of {@code hiddenSize} floats per text
     */
    public float[][] embed(List<String> texts, Pooling pooling) {
        if (pooling == Pooling.NONE) {
            throw new IllegalArgumentException("Embeddings need a pooling; use lastHiddenState for token vectors");
        }
        if (pooling == Pooling.POOLER && !hasPooler()) {
            throw new IllegalArgumentException("This checkpoint has no pooler.dense weights; use Pooling.MEAN or CLS");
        }
        float[][] out = new float[texts.size()][];
        runInBatches(texts, (encoded, batch, indices) -> {
            NDArray pooled = pool(pooling, forward(batch));
            NDArray normalized = pooled.div(pooled.norm(new int[] {1}, true).maximum(1e-12f));
            float[] values = normalized.toFloatArray();
            for (int i = 0; i < indices.length; i++) {
                out[indices[i]] = Arrays.copyOfRange(values, i * config.hiddenSize(), (i + 1) * config.hiddenSize());
            }
        });
        return out;
    }

    private NDArray pool(Pooling pooling, NDArray packed) {
        if (pooling == Pooling.MEAN) {
            return Pooling.mean(packed);
        }
        NDArray cls = Pooling.cls(packed);
        if (pooling == Pooling.CLS) {
            return cls;
        }
        // BertPooler: tanh(dense([CLS]))
        return Linear.linear(cls, encoderWeights.get("pooler.dense.weight"), encoderWeights.get("pooler.dense.bias"))
                .singletonOrThrow()
                .tanh();
    }

    /**
     * Tokenizes texts exactly as {@link #embed}, {@link #lastHiddenState} and {@link #backbone()}
     * do before the network runs: {@code [CLS] text [SEP]}, truncated to the model's positions (a
     * warning is logged), with attention mask and token types, padded to the longest text. The
     * network itself gets each row padded further with {@code [PAD]} (mask 0), which changes no
     * output.
     *
     * @param texts the texts, none null
     * @return the ids, attention mask and token types, one row per text
     * @throws IllegalArgumentException naming the index of a null text
     */
    public BertInputs tokenize(List<String> texts) {
        List<TextEncoder.Encoded> encoded = encodeAll(textEncoder(), texts);
        int longest =
                encoded.stream().mapToInt(TextEncoder.Encoded::length).max().orElse(0);
        long pad = tokenizer.id(TextTokenizer.PAD);
        long[][] ids = new long[texts.size()][longest];
        long[][] mask = new long[texts.size()][longest];
        long[][] types = new long[texts.size()][longest];
        for (int i = 0; i < ids.length; i++) {
            TextEncoder.Encoded e = encoded.get(i);
            Arrays.fill(ids[i], pad);
            System.arraycopy(e.ids(), 0, ids[i], 0, e.length());
            Arrays.fill(mask[i], 0, e.length(), 1L);
            System.arraycopy(e.typeIds(), 0, types[i], 0, e.length());
        }
        return new BertInputs(ids, mask, types);
    }

    /**
     * Hugging Face's {@code last_hidden_state} for the real tokens of each text ({@code [CLS]} ...
     * {@code [SEP]}, no padding).
     *
     * @param texts the texts
     * @return per text, per token, {@code hiddenSize} floats
     */
    public float[][][] lastHiddenState(List<String> texts) {
        float[][][] out = new float[texts.size()][][];
        runInBatches(texts, (encoded, batch, indices) -> {
            NDArray packed = forward(batch);
            long length = packed.getShape().get(1);
            float[] values = HiddenStates.hidden(packed).toFloatArray();
            int h = config.hiddenSize();
            for (int i = 0; i < indices.length; i++) {
                int tokens = encoded.get(i).length();
                float[][] rows = new float[tokens][];
                for (int t = 0; t < tokens; t++) {
                    int from = (int) ((i * length + t) * h);
                    rows[t] = Arrays.copyOfRange(values, from, from + h);
                }
                out[indices[i]] = rows;
            }
        });
        return out;
    }

    /**
     * Returns masked-word prediction with this checkpoint's MLM head.
     *
     * @return masked-word prediction with this checkpoint's MLM head
     * @throws IllegalStateException when the checkpoint has no {@code cls.predictions.*} tensors
     */
    public synchronized MaskedLanguageModel maskedLanguageModel() {
        if (!hasMaskedLmHead()) {
            throw new IllegalStateException("This checkpoint has no masked-LM head (cls.predictions.*); "
                    + "load a BertForMaskedLM / BertForPreTraining checkpoint");
        }
        if (maskedLm == null) {
            maskedLm = new MaskedLanguageModel(this, headWeights, manager);
        }
        return maskedLm;
    }

    /** Runs the encoder (no pooling) on a batch of token arrays, in inference mode. */
    synchronized NDArray forward(NDArray batch) {
        if (inference == null) {
            inference = BertArchitecture.of(config, Pooling.NONE).newBlock(manager);
            inference.initialize(manager, DataType.FLOAT32, batch.getShape());
            Map<String, NDArray> weights = new LinkedHashMap<>(encoderWeights);
            weights.keySet().removeIf(name -> name.startsWith("pooler."));
            StateDict.load(inference, weights);
            inference.freezeParameters(true);
        }
        return LayeredBlock.infer(inference, new ParameterStore(batch.getManager(), false), new NDList(batch))
                .singletonOrThrow();
    }

    /** A step over one batch of encoded texts. */
    interface BatchStep {
        void run(List<TextEncoder.Encoded> encoded, NDArray batch, int[] indices);
    }

    /** Encodes texts, sorted by length so batches pad little, and runs a step per batch. */
    void runInBatches(List<String> texts, BatchStep step) {
        TextEncoder encoder = textEncoder();
        List<TextEncoder.Encoded> all = encodeAll(encoder, texts);
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> all.get(i).length()));
        for (int start = 0; start < order.length; start += INFERENCE_BATCH) {
            int end = Math.min(order.length, start + INFERENCE_BATCH);
            int[] indices = new int[end - start];
            List<TextEncoder.Encoded> encoded = new ArrayList<>(indices.length);
            for (int i = start; i < end; i++) {
                indices[i - start] = order[i];
                encoded.add(all.get(order[i]));
            }
            // padded to this batch's longest text, not to the model's positions: BertLayer sizes its
            // memory-bounding batch slices by the padded length
            int longest =
                    encoded.stream().mapToInt(TextEncoder.Encoded::length).max().orElse(1);
            try (NDManager sm = manager.newSubManager()) {
                step.run(encoded, encoder.batch(sm, encoded, longest), indices);
            }
        }
    }

    private TextEncoder textEncoder() {
        return new TextEncoder(tokenizer, config.maxPositions());
    }

    /** Tokenises the texts in one call (in parallel in Rust for a Hugging Face tokenizer). */
    private static List<TextEncoder.Encoded> encodeAll(TextEncoder encoder, List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("Text " + i + " is null");
            }
        }
        return encoder.encodeAll(texts);
    }

    /** Frees the weights' native memory. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "BertEncoder[" + config.numLayers() + " layers, hidden " + config.hiddenSize() + ", heads "
                + config.numHeads() + ", vocab " + config.vocabSize() + ", pooler " + hasPooler() + ", mlm head "
                + hasMaskedLmHead() + ", source " + provenance.source() + "]";
    }
}
