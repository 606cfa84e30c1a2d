package io.tl4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import io.tl4j.core.Architecture;
import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.train.OptimizerSpec;

import java.util.Map;
import java.util.function.Supplier;

/** How the tl4j side of every benchmark is set up: a {@link Backbone} and a {@link TransferLearner}. */
public final class Tl4jSide {

    /** The seed of every run, both sides. */
    public static final long SEED = 42;
    /** Adam's learning rate, both sides. */
    public static final float LEARNING_RATE = 1e-3f;

    private Tl4jSide() {}

    /**
     * @param id the architecture's id
     * @param architecture builds the network
     * @param sampleShape one input sample's shape
     * @param weights its pretrained weights by tl4j parameter name (copied), or null for none
     * @return the backbone; close it when done
     */
    public static Backbone<float[]> backbone(String id, Supplier<LayeredBlock> architecture, Shape sampleShape,
            Map<String, NDArray> weights) {
        Backbone.Builder<float[]> builder = Backbone.<float[]>builder()
                .setArchitecture(Architecture.of(id, architecture))
                .setPipeline(TensorPipeline.of(sampleShape));
        if (weights != null) {
            builder.optWeights(weights);
        }
        return builder.build();
    }

    /**
     * @param backbone the backbone
     * @param batchSize examples per step
     * @param epochs passes over the data
     * @param <I> the input type
     * @return the learner both sides' settings correspond to: linear head, Adam, no progress bar
     */
    public static <I> TransferLearner<I> learner(Backbone<I> backbone, int batchSize, int epochs) {
        return TransferLearner.from(backbone)
                .head(Head.linear())
                .optimizer(OptimizerSpec.adam(LEARNING_RATE))
                .batchSize(batchSize)
                .epochs(epochs)
                .seed(SEED)
                .progressBar(false);
    }
}
