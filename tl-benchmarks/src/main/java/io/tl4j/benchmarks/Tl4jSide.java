package io.tl4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.tl4j.benchmarks.nets.ReferenceNets;
import io.tl4j.core.Architecture;
import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.vision.models.Torchvision;
import java.util.Map;

/**
 * How the tl4j side of every benchmark is set up: a {@link Backbone} (tl-vision's torchvision
 * networks for images) and a {@link TransferLearner}.
 */
public final class Tl4jSide {

    /** The seed of every run, both sides. */
    public static final long SEED = 42;
    /** Adam's learning rate, both sides. */
    public static final float LEARNING_RATE = 1e-3f;

    private Tl4jSide() {}

    /**
     * Returns tl-vision's torchvision network of that name without its classifier layer.
     *
     * @param name {@code resnet18}, {@code resnet50} or {@code vgg16}
     * @return tl-vision's torchvision network without its classifier layer
     */
    public static Architecture vision(String name) {
        return Torchvision.architecture(name, 0);
    }

    /** Returns a backbone architecture that passes its input through (head-only benchmarks). */
    public static Architecture identity() {
        return Architecture.of("bench.identity", ReferenceNets::identity);
    }

    /**
     * Builds a backbone from an architecture and, optionally, its pretrained weights.
     *
     * @param architecture builds the network
     * @param sampleShape one input sample's shape
     * @param weights its pretrained weights by tl4j parameter name (copied), or null for none
     * @return the backbone; close it when done
     */
    public static Backbone<float[]> backbone(
            Architecture architecture, Shape sampleShape, Map<String, NDArray> weights) {
        Backbone.Builder<float[]> builder =
                Backbone.<float[]>builder().setArchitecture(architecture).setPipeline(TensorPipeline.of(sampleShape));
        if (weights != null) {
            builder.optWeights(weights);
        }
        return builder.build();
    }

    /**
     * Builds the learner whose settings both sides share: linear head, Adam at the same rate for backbone and head, no
     * progress bar.
     *
     * @param backbone the backbone
     * @param batchSize examples per step
     * @param epochs passes over the data
     * @param <I> the input type
     * @return the learner both sides' settings correspond to: linear head, Adam at the same rate for
     *     backbone and head, no progress bar
     */
    public static <I> TransferLearner<I> learner(Backbone<I> backbone, int batchSize, int epochs) {
        return TransferLearner.from(backbone)
                .head(Head.linear())
                .optimizer(OptimizerSpec.adam(LEARNING_RATE))
                .backboneLearningRate(1f)
                .batchSize(batchSize)
                .epochs(epochs)
                .seed(SEED)
                .progressBar(false);
    }
}
