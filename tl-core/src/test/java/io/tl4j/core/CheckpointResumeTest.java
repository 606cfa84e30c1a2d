package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.train.Checkpoints;
import io.tl4j.core.train.EarlyStopping;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.train.TrainingDivergedException;
import io.tl4j.core.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {

    private static final LabeledData<float[]> TRAIN = Fixtures.tiny(10, 21);
    private static final LabeledData<float[]> VALIDATION = Fixtures.tiny(5, 22);

    private static TransferLearner<float[]> learner(Backbone<float[]> backbone) {
        return TransferLearner.from(backbone)
                .progressBar(false)
                .unfreezeAll()
                .head(Head.mlp(16).dropout(0.2f))
                .optimizer(OptimizerSpec.adamW(5e-3f, 0.01f))
                .schedule(LearningRateSchedule.oneCycle(0.3))
                .clipGradientNorm(1.0)
                .validationData(VALIDATION)
                .earlyStopping(EarlyStopping.on("val_accuracy", 50))
                .epochs(6)
                .batchSize(8)
                .seed(5);
    }

    @Test
    void resumeAfterAKilledRunEndsExactlyLikeAnUninterruptedRun(@TempDir Path dir) {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> uninterrupted =
                        learner(backbone).checkpoints(dir.resolve("a")).fit(TRAIN)) {
            TrainingListener killer = new TrainingListener() {
                @Override
                public void onEpochEnd(EpochRecord record) {
                    if (record.epoch() == 3) {
                        throw new IllegalStateException("killed");
                    }
                }
            };
            Path b = dir.resolve("b");
            assertThatThrownBy(() ->
                            learner(backbone).checkpoints(b).listener(killer).fit(TRAIN))
                    .hasMessage("killed");
            assertThat(new Checkpoints(b).latestFile())
                    .hasValueSatisfying(
                            f -> assertThat(f.getFileName().toString()).isEqualTo("epoch-0003.json"));
            try (TransferModel<float[]> resumed = learner(backbone).resume(b).fit(TRAIN)) {
                List<float[]> inputs = VALIDATION.inputs();
                assertThat(resumed.probabilities(inputs)).isDeepEqualTo(uninterrupted.probabilities(inputs));
                assertThat(resumed.history().epochs()).hasSize(6);
                for (int e = 0; e < 6; e++) {
                    assertThat(resumed.history().epochs().get(e).trainLoss())
                            .isEqualTo(uninterrupted.history().epochs().get(e).trainLoss());
                }
            }
        }
    }

    @Test
    void resumeRefusesACheckpointWrittenWithOtherSettings(@TempDir Path dir) {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> first =
                        learner(backbone).epochs(2).checkpoints(dir).fit(TRAIN)) {
            assertThat(first.history().size()).isEqualTo(2);
            assertThatThrownBy(() ->
                            learner(backbone).epochs(2).batchSize(4).resume(dir).fit(TRAIN))
                    .hasMessageContaining("was written with other settings");
        }
    }

    @Test
    void nanLossNamesEpochAndStepAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) {
        PoisonedPipeline poisoned = new PoisonedPipeline();
        TrainingListener poisonAtEpoch3 = new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int stepsPerEpoch) {
                poisoned.poison = epoch == 3;
            }
        };
        try (Backbone<float[]> random = Fixtures.randomMlp(16, 8);
                Backbone<float[]> backbone = random.withPipeline(poisoned)) {
            assertThatThrownBy(() -> TransferLearner.from(backbone)
                            .progressBar(false)
                            .unfreezeAll()
                            .epochs(5)
                            .checkpoints(dir)
                            .listener(poisonAtEpoch3)
                            .fit(TRAIN))
                    .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
                        assertThat(e.epoch()).isEqualTo(3);
                        assertThat(e.step()).isEqualTo(1);
                        assertThat(e.getMessage()).contains("epoch 3, step 1").contains("epoch-0002.json");
                        assertThat(e.lastGoodCheckpoint()).isEqualTo(dir.resolve("epoch-0002.json"));
                    });
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoints.Checkpoint last = new Checkpoints(dir).latest(manager).orElseThrow();
            assertThat(last.epoch()).isEqualTo(2);
            assertThat(last.tensors().keySet()).anyMatch(k -> k.startsWith("model.head."));
            last.tensors()
                    .forEach((name, array) -> assertThat(array.isNaN().any().getBoolean())
                            .as(name)
                            .isFalse());
        }
        assertThat(Files.exists(dir.resolve("epoch-0003.json"))).isFalse();
    }

    /**
     * Feeds finite inputs so large (3e38) that the network overflows while {@code poison} is set, as a
     * corrupt batch would (NaN inputs themselves are caught before the network, by FiniteValues).
     */
    static final class PoisonedPipeline implements InputPipeline<float[]> {
        private final TensorPipeline inner = TensorPipeline.of(new Shape(Fixtures.INPUT));
        volatile boolean poison;

        @Override
        public Shape sampleShape() {
            return inner.sampleShape();
        }

        @Override
        public NDList batch(NDManager manager, List<float[]> inputs, boolean training, Random random) {
            NDList batch = inner.batch(manager, inputs, training, random);
            return poison ? new NDList(manager.full(batch.head().getShape(), 3e38f)) : batch;
        }

        @Override
        public boolean isRandomInTraining() {
            return false;
        }

        @Override
        public String id() {
            return "poisoned";
        }

        @Override
        public Record config() {
            return new Components.NoConfig();
        }
    }
}
