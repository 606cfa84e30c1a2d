package io.tl4j.nlp.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.EngineCheck;
import io.tl4j.core.nn.LayeredBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Embeds texts with a backbone whose features are one vector per text (a BERT backbone with mean
 * pooling, say), frozen and in inference mode, and L2-normalises them. Texts are sorted by length
 * before batching so that batches pad little; the result keeps the input order. Thread-safe; close
 * it to free its copy of the weights.
 *
 * <pre>{@code
 * try (BackboneEmbedder embedder = BackboneEmbedder.of(minilm.backbone(Pooling.MEAN, 128))) {
 *     float[][] vectors = embedder.embed(texts);   // cache once, train heads on them many times
 * }
 * }</pre>
 */
public final class BackboneEmbedder implements TextEmbedder, AutoCloseable {

    private static final int BATCH = 16;

    private final Backbone<String> backbone;
    private final NDManager manager;
    private final Block block;

    private BackboneEmbedder(Backbone<String> backbone) {
        EngineCheck.adviseOnAllocator();
        this.backbone = backbone;
        this.manager = NDManager.newBaseManager();
        try {
            this.block = backbone.instantiate(manager, 0);
            block.freezeParameters(true);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Creates an embedder from a backbone whose features are one vector per text, with its own copy of the weights.
     *
     * @param backbone a backbone whose features are one vector per text
     * @return an embedder with its own copy of the weights
     * @throws IllegalArgumentException when the features are not vectors
     */
    public static BackboneEmbedder of(Backbone<String> backbone) {
        Objects.requireNonNull(backbone, "backbone");
        if (backbone.featureShape().dimension() != 1) {
            throw new IllegalArgumentException("Embedding needs one vector per text; "
                    + backbone.architecture().id() + " outputs features of shape " + backbone.featureShape());
        }
        return new BackboneEmbedder(backbone);
    }

    /** Returns the length of the embeddings. */
    public int dimension() {
        return (int) backbone.featureSize();
    }

    @Override
    public synchronized float[][] embed(List<String> texts) {
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("Text " + i + " is null");
            }
        }
        Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i).length()));
        float[][] out = new float[texts.size()][];
        int dim = dimension();
        Random unused = new Random(0);
        for (int start = 0; start < order.length; start += BATCH) {
            int end = Math.min(order.length, start + BATCH);
            List<String> batch = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                batch.add(texts.get(order[i]));
            }
            try (NDManager sm = manager.newSubManager();
                    NDScope scope = new NDScope()) {
                NDList x = backbone.pipeline().batch(sm, batch, false, unused);
                NDArray e = LayeredBlock.infer(block, new ParameterStore(sm, false), x)
                        .head();
                NDArray unit = e.div(e.norm(new int[] {1}, true).maximum(1e-12f));
                float[] values = unit.toFloatArray();
                for (int i = start; i < end; i++) {
                    out[order[i]] = Arrays.copyOfRange(values, (i - start) * dim, (i - start + 1) * dim);
                }
            }
        }
        return out;
    }

    /** Frees the embedder's copy of the weights. */
    @Override
    public void close() {
        manager.close();
    }
}
