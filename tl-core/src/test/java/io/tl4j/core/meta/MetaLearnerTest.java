package io.tl4j.core.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.SyntheticWorld;
import org.junit.jupiter.api.Test;

/**
 * Meta-training on the synthetic world's source classes: new target classes are then recognised
 * from 3 examples each by nearest prototype better than with the untrained network, and the
 * meta-trained backbone still fine-tunes.
 */
class MetaLearnerTest {

    private static final SyntheticWorld WORLD = SyntheticWorld.create(7, 6, 32, 64, 4f, 0.3f);

    private static LabeledData<float[]> sample(SyntheticWorld.Task task, int perClass, long seed) {
        SyntheticWorld.Sample s = task.sample(perClass, seed);
        return LabeledData.of(s.inputs(), s.labels(), s.classNames());
    }

    private static Backbone<float[]> untrained() {
        return Backbone.<float[]>builder()
                .setArchitecture(Architectures.mlp(64, 32))
                .setPipeline(TensorPipeline.of(new Shape(64)))
                .build();
    }

    @Test
    void metaTrainingBeatsTheUntrainedNetworkOnNewClassesFromThreeExamples() {
        LabeledData<float[]> source = sample(WORLD.task("source", 20, 1), 30, 11);
        SyntheticWorld.Task target = WORLD.task("target", 5, 2);
        LabeledData<float[]> support = sample(target, 3, 21);
        LabeledData<float[]> test = sample(target, 100, 22);
        try (Backbone<float[]> init = untrained();
                MetaModel<float[]> meta = MetaLearner.from(init)
                        .episodes(10, 3, 5)
                        .steps(150)
                        .learningRate(3e-3f)
                        .seed(5)
                        .fit(source);
                PrototypeClassifier<float[]> before = PrototypeClassifier.of(init, support);
                PrototypeClassifier<float[]> after = meta.fewShot(support)) {
            double untrainedAccuracy = before.evaluate(test).accuracy();
            double metaAccuracy = after.evaluate(test).accuracy();
            assertThat(metaAccuracy - untrainedAccuracy)
                    .as("meta %.3f vs untrained %.3f", metaAccuracy, untrainedAccuracy)
                    .isGreaterThanOrEqualTo(0.10);
            assertThat(meta.history().size()).isEqualTo(3);
            assertThat(meta.history().last().trainLoss())
                    .isLessThan(meta.history().epochs().get(0).trainLoss());
            assertThat(meta.backbone().provenance().note()).contains("150 episodes of 10 ways, 3 shots, 5 queries");

            LabeledData<float[]> train = sample(target, 10, 23);
            try (TransferModel<float[]> tuned = fineTune(meta.backbone(), train);
                    TransferModel<float[]> fromInit = fineTune(init, train)) {
                double tunedAccuracy = tuned.evaluate(test).accuracy();
                double initAccuracy = fromInit.evaluate(test).accuracy();
                assertThat(tunedAccuracy - initAccuracy)
                        .as("fine-tuned from meta %.3f vs from untrained %.3f", tunedAccuracy, initAccuracy)
                        .isGreaterThanOrEqualTo(0.05);
            }
        }
    }

    private static TransferModel<float[]> fineTune(Backbone<float[]> backbone, LabeledData<float[]> train) {
        return TransferLearner.from(backbone)
                .unfreezeAll()
                .learningRate(1e-2f)
                .epochs(40)
                .seed(5)
                .progressBar(false)
                .fit(train);
    }

    @Test
    void sourceDataThatCannotFillAnEpisodeIsRefusedBeforeTraining() {
        LabeledData<float[]> source = sample(WORLD.task("source", 4, 1), 3, 11);
        try (Backbone<float[]> init = untrained()) {
            assertThatThrownBy(() -> MetaLearner.from(init).episodes(5, 1, 1).fit(source))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("5 ways")
                    .hasMessageContaining("has 4");
            assertThatThrownBy(() -> MetaLearner.from(init).episodes(2, 2, 2).fit(source))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has 3 examples")
                    .hasMessageContaining("2 shots + 2 queries = 4");
        }
    }
}
