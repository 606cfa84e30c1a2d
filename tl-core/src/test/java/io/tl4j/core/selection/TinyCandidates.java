package io.tl4j.core.selection;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import io.tl4j.core.Architecture;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.SyntheticWorld;

/**
 * Tiny backbones for the selection tests, on the synthetic world of tl-core's transfer tests: an MLP
 * pretrained on a source task, random ones, and one that runs out of memory on a real batch.
 */
final class TinyCandidates {

    static final int INPUT = 64;
    private static final SyntheticWorld WORLD = SyntheticWorld.create(7, 6, 32, INPUT, 4f, 0.3f);
    private static final SyntheticWorld.Task SOURCE = WORLD.task("source", 20, 1);
    private static final SyntheticWorld.Task TARGET = WORLD.task("target", 5, 2);

    private TinyCandidates() {}

    /** Draws examples of the target task: 5 classes. */
    static LabeledData<float[]> target(int perClass, long seed) {
        SyntheticWorld.Sample s = TARGET.sample(perClass, seed);
        return LabeledData.of(s.inputs(), s.labels(), s.classNames());
    }

    /** An untrained MLP with the given widths (no weights: random initialization). */
    static Backbone<float[]> randomMlp(int... widths) {
        return Backbone.<float[]>builder()
                .setArchitecture(Architectures.mlp(widths))
                .setPipeline(TensorPipeline.of(new Shape(INPUT)))
                .build();
    }

    /** An MLP (128, 64) trained on the 20-class source task, which shares structure with the target. */
    static Backbone<float[]> pretrainedMlp() {
        SyntheticWorld.Sample s = SOURCE.sample(40, 11);
        LabeledData<float[]> source = LabeledData.of(s.inputs(), s.labels(), s.classNames());
        try (Backbone<float[]> init = randomMlp(128, 64);
                TransferModel<float[]> model = TransferLearner.from(init)
                        .unfreezeAll()
                        .backboneLearningRate(1f)
                        .epochs(5)
                        .progressBar(false)
                        .fit(source);
                Backbone<float[]> trained = model.backbone()) {
            return trained.withProvenance(new Provenance("synthetic source task", "", "test", "5 epochs"));
        }
    }

    /** A backbone whose features are NaN (a diverged network). */
    static Backbone<float[]> outputsNaN() {
        Architecture nan = Architecture.of(
                "test.nan", () -> new LambdaBlock(list -> new NDList(list.head().mul(Float.NaN))));
        return Backbone.<float[]>builder()
                .setArchitecture(nan)
                .setPipeline(TensorPipeline.of(new Shape(INPUT)))
                .build();
    }

    /** A backbone whose forward throws OutOfMemoryError on any batch larger than two examples. */
    static Backbone<float[]> runsOutOfMemory() {
        Architecture oom = Architecture.of(
                "test.oom",
                () -> new LambdaBlock(list -> {
                    if (list.head().getShape().get(0) > 2) {
                        throw new OutOfMemoryError("simulated: could not allocate 64 GB of native memory");
                    }
                    return new NDList(list.head().duplicate());
                }));
        return Backbone.<float[]>builder()
                .setArchitecture(oom)
                .setPipeline(TensorPipeline.of(new Shape(INPUT)))
                .build();
    }
}
