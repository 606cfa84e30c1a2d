package io.tl4j.core.meta;

import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.History;

/**
 * What {@link MetaLearner#fit} returns: the meta-trained backbone and its training history. The
 * backbone classifies new classes by nearest prototype ({@link #fewShot}) and is an ordinary {@link
 * Backbone}, so {@code TransferLearner.from(model.backbone())} can still fine-tune it. Close the
 * model to free the backbone's weights.
 *
 * @param <I> the raw input type
 */
public final class MetaModel<I> implements AutoCloseable {

    private final Backbone<I> backbone;
    private final History history;

    MetaModel(Backbone<I> backbone, History history) {
        this.backbone = backbone;
        this.history = history;
    }

    /** Returns the meta-trained backbone (owned by this model). */
    public Backbone<I> backbone() {
        return backbone;
    }

    /** Returns the episodic training history: one record per block of episodes, loss and query accuracy. */
    public History history() {
        return history;
    }

    /**
     * Builds a classifier of new classes from a few examples each, with no training.
     *
     * @param support at least one example of every new class
     * @return the nearest-prototype classifier; close it when done
     */
    public PrototypeClassifier<I> fewShot(LabeledData<I> support) {
        return PrototypeClassifier.of(backbone, support);
    }

    /** Frees the backbone's weights. */
    @Override
    public void close() {
        backbone.close();
    }
}
