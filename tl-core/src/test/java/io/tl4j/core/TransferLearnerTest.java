package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.data.CrossValidationResult;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import io.tl4j.core.train.EarlyStopping;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransferLearnerTest {

    static Backbone<float[]> pretrained;

    @BeforeAll
    static void pretrain() {
        try (Backbone<float[]> init = Fixtures.randomMlp(32, 16, 8);
                TransferModel<float[]> model = TransferLearner.from(init)
                        .unfreezeAll()
                        .epochs(2)
                        .progressBar(false)
                        .fit(Fixtures.SOURCE.sample(20, 1))) {
            pretrained = model.backbone();
        }
    }

    @AfterAll
    static void close() {
        pretrained.close();
    }

    @Test
    void layersAreTheArchitecturesNamedBlocks() {
        assertThat(pretrained.layers()).containsExactly("block1", "block2", "block3");
        assertThat(pretrained.featureSize()).isEqualTo(8);
        assertThat(pretrained.isPretrained()).isTrue();
    }

    @Test
    void freezeUntilLeavesFrozenParametersAndBatchNormStatisticsBitIdentical() {
        Map<String, float[]> before = Fixtures.values(pretrained.weights());
        try (TransferModel<float[]> model = quiet(pretrained)
                        .freezeUntil("block3")
                        .epochs(3)
                        .learningRate(1e-2f)
                        .fit(Fixtures.tiny(10, 1));
                Backbone<float[]> trained = model.backbone()) {
            Map<String, float[]> after = Fixtures.values(trained.weights());
            assertThat(after.keySet()).contains("block1.2.runningMean", "block2.1.runningVar");
            after.forEach((name, values) -> {
                if (name.startsWith("block1.") || name.startsWith("block2.")) {
                    assertThat(values).as(name).isEqualTo(before.get(name));
                } else {
                    assertThat(values).as(name).isNotEqualTo(before.get(name));
                }
            });
        }
    }

    @Test
    void unknownLayerNameListsTheValidOnesAndTheNearest() {
        assertThatThrownBy(() -> TransferLearner.from(pretrained).freezeUntil("blok2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'blok2'")
                .hasMessageContaining("did you mean 'block2'")
                .hasMessageContaining("[block1, block2, block3]");
    }

    @Test
    void backboneLearningRateMultiplierAndLayerwiseDecayScaleEachLayersStep() {
        LabeledData<float[]> batch = Fixtures.tiny(4, 2);
        TransferLearner<float[]> oneStep = quiet(pretrained)
                .unfreezeAll()
                .epochs(1)
                .batchSize(batch.size())
                .optimizer(OptimizerSpec.sgd(0.1f, 0f));
        Map<String, float[]> start = Fixtures.values(pretrained.weights());
        Map<String, float[]> full = deltas(start, oneStep.backboneLearningRate(1f), batch);
        Map<String, float[]> quarter = deltas(start, oneStep.backboneLearningRate(0.25f), batch);
        Map<String, float[]> decayed = deltas(start, oneStep.layerwiseLearningRateDecay(0.5f), batch);
        int checked = 0;
        for (String name : full.keySet()) {
            if (name.contains("running")) {
                continue;
            }
            int layer = Integer.parseInt(name.substring(5, 6));
            double layerFactor = Math.pow(0.5, 4 - layer);
            for (int i = 0; i < full.get(name).length; i++) {
                assertThat(quarter.get(name)[i]).isCloseTo(0.25f * full.get(name)[i], within(1e-6f));
                assertThat(decayed.get(name)[i]).isCloseTo((float) (layerFactor * full.get(name)[i]), within(1e-6f));
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(9);
    }

    private static Map<String, float[]> deltas(
            Map<String, float[]> start, TransferLearner<float[]> learner, LabeledData<float[]> data) {
        try (TransferModel<float[]> model = learner.fit(data);
                Backbone<float[]> b = model.backbone()) {
            Map<String, float[]> after = Fixtures.values(b.weights());
            after.forEach((name, v) -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] -= start.get(name)[i];
                }
            });
            return after;
        }
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestEpoch() {
        LabeledData<float[]> validation = Fixtures.tiny(30, 3);
        try (TransferModel<float[]> model = quiet(pretrained)
                .unfreezeAll()
                .backboneLearningRate(1f)
                .learningRate(3e-2f)
                .epochs(80)
                .validationData(validation)
                .earlyStopping(EarlyStopping.on("val_loss", 3))
                .fit(Fixtures.tiny(6, 4))) {
            History history = model.history();
            assertThat(history.size()).isLessThan(80);
            int best = history.bestEpoch("val_loss", false).getAsInt();
            assertThat(best).isEqualTo(history.size() - 3);
            EpochRecord bestRecord = history.epochs().get(best - 1);
            assertThat(model.evaluate(validation).accuracy())
                    .isCloseTo(bestRecord.metrics().get("val_accuracy"), within(1e-9));
        }
    }

    @Test
    void cachedAndUncachedTrainingAgreeAndTheCacheRunsTheBackboneOnce() {
        LabeledData<float[]> train = Fixtures.tiny(12, 5);
        LabeledData<float[]> test = Fixtures.tiny(5, 6);
        CountingPipeline cachedCount = new CountingPipeline(pretrained.pipeline());
        CountingPipeline rawCount = new CountingPipeline(pretrained.pipeline());
        java.util.function.Function<Backbone<float[]>, TransferLearner<float[]>> base =
                bb -> quiet(bb).head(Head.mlp(16).dropout(0.3f)).epochs(5).batchSize(8);
        try (Backbone<float[]> a = pretrained.withPipeline(cachedCount);
                Backbone<float[]> b = pretrained.withPipeline(rawCount)) {
            try (TransferModel<float[]> cached =
                            base.apply(a).featureCache(true).fit(train);
                    TransferModel<float[]> raw =
                            base.apply(b).featureCache(false).fit(train)) {
                assertThat(cachedCount.count()).isEqualTo(train.size());
                assertThat(rawCount.count()).isEqualTo(5L * train.size());
                float[][] p = cached.probabilities(test.inputs());
                float[][] q = raw.probabilities(test.inputs());
                for (int i = 0; i < p.length; i++) {
                    for (int c = 0; c < p[i].length; c++) {
                        assertThat(p[i][c]).isCloseTo(q[i][c], within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void gradualUnfreezingThawsTheLastFrozenLayerEachStep() {
        Map<String, float[]> before = Fixtures.values(pretrained.weights());
        try (TransferModel<float[]> model = quiet(pretrained)
                        .freezeAll()
                        .gradualUnfreezing(1)
                        .epochs(2)
                        .learningRate(1e-2f)
                        .fit(Fixtures.tiny(10, 7));
                Backbone<float[]> trained = model.backbone()) {
            Fixtures.values(trained.weights()).forEach((name, values) -> {
                if (name.startsWith("block3.") && !name.contains("running")) {
                    assertThat(values).as(name).isNotEqualTo(before.get(name));
                } else if (!name.startsWith("block3.")) {
                    assertThat(values).as(name).isEqualTo(before.get(name));
                }
            });
        }
    }

    @Test
    void classCountComesFromTheDataAndHistoryHasEveryEpoch() {
        List<Integer> epochs = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                epochs.add(record.epoch());
            }
        };
        try (TransferModel<float[]> model = quiet(pretrained)
                .listener(listener)
                .validationSplit(0.25)
                .epochs(3)
                .fit(Fixtures.tiny(8, 8))) {
            assertThat(model.classNames()).hasSize(3);
            assertThat(epochs).containsExactly(1, 2, 3);
            assertThat(model.history().last().metrics()).containsKeys("val_loss", "val_accuracy", "val_macro_f1");
            List<Prediction> ranked = model.classify(Fixtures.tiny(1, 9).input(0));
            assertThat(ranked).hasSize(3);
            assertThat(ranked.get(0).probability())
                    .isGreaterThanOrEqualTo(ranked.get(2).probability());
            assertThat(ranked.stream().mapToDouble(Prediction::probability).sum())
                    .isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void crossValidationTrainsOneModelPerFold() {
        CrossValidationResult result = quiet(pretrained).epochs(3).crossValidate(Fixtures.tiny(9, 10), 3);
        assertThat(result.foldScores()).hasSize(3);
        assertThat(result.mean()).isBetween(0.0, 1.0);
    }

    @Test
    void addedLayersSitBetweenBackboneAndHeadAndTrain() {
        try (TransferModel<float[]> model =
                quiet(pretrained).addLayers(12).epochs(2).fit(Fixtures.tiny(6, 11))) {
            assertThat(model.toString()).contains("classes=[tiny0, tiny1, tiny2]");
            assertThat(model.evaluate(Fixtures.tiny(4, 12)).size()).isEqualTo(12);
        }
    }

    @Test
    void badInputsGetClearErrors() {
        List<float[]> inputs = new ArrayList<>(Fixtures.tiny(3, 13).inputs());
        inputs.set(4, new float[63]);
        LabeledData<float[]> broken =
                LabeledData.of(inputs, new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, List.of("a", "b", "c"));
        assertThatThrownBy(() -> quiet(pretrained).epochs(1).fit(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("63 values");
        assertThatThrownBy(() -> quiet(pretrained)
                        .earlyStopping(EarlyStopping.on("val_loss", 2))
                        .fit(Fixtures.tiny(3, 14)))
                .hasMessageContaining("needs validation data");
        try (TransferModel<float[]> model = quiet(pretrained).epochs(1).fit(Fixtures.tiny(3, 15))) {
            assertThatThrownBy(() -> model.evaluate(Fixtures.SOURCE.sample(1, 1)))
                    .hasMessageContaining("not one of the model's classes");
        }
    }

    static TransferLearner<float[]> quiet(Backbone<float[]> backbone) {
        return TransferLearner.from(backbone).progressBar(false);
    }

    /** Counts the samples preprocessed, to show when the backbone runs. */
    static final class CountingPipeline implements InputPipeline<float[]> {
        private final InputPipeline<float[]> inner;
        private final AtomicLong count = new AtomicLong();

        CountingPipeline(InputPipeline<float[]> inner) {
            this.inner = inner;
        }

        long count() {
            return count.get();
        }

        @Override
        public Shape sampleShape() {
            return inner.sampleShape();
        }

        @Override
        public NDList batch(NDManager manager, List<float[]> inputs, boolean training, Random random) {
            count.addAndGet(inputs.size());
            return inner.batch(manager, inputs, training, random);
        }

        @Override
        public boolean isRandomInTraining() {
            return false;
        }

        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public Record config() {
            return inner.config();
        }
    }
}
