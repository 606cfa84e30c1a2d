package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.fewshot.BackboneEmbedder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Embeds texts with a frozen backbone and remembers every embedding, so that a learning curve's nested
 * training subsets and its fixed test set are each embedded once however many fits use them. The
 * embeddings are {@link BackboneEmbedder}'s, L2-normalised, as {@link CachedEmbeddings} holds them.
 */
final class MemoEmbedder implements AutoCloseable {

    private final BackboneEmbedder embedder;
    private final Map<String, float[]> seen = new HashMap<>();

    /**
     * Creates an embedder with its own copy of the backbone's weights.
     *
     * @param backbone a backbone whose features are one vector per text
     */
    MemoEmbedder(Backbone<String> backbone) {
        this.embedder = BackboneEmbedder.of(backbone);
    }

    /**
     * Returns the embeddings of labelled texts, embedding only the texts not seen before.
     *
     * @param data labelled texts
     * @return the same examples as embeddings, same labels and classes
     */
    LabeledData<float[]> embed(LabeledData<String> data) {
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(data.inputs()));
        missing.removeIf(seen::containsKey);
        if (!missing.isEmpty()) {
            float[][] vectors = embedder.embed(missing);
            for (int i = 0; i < vectors.length; i++) {
                seen.put(missing.get(i), vectors[i]);
            }
        }
        return data.map(seen::get);
    }

    /** Frees the embedder's copy of the weights. */
    @Override
    public void close() {
        embedder.close();
    }
}
