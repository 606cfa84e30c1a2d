package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import io.tl4j.core.train.EarlyStopping;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fit} trains a linear head on cached features in Java ({@link JavaHeadChoice}) with the
 * engine's results, and keeps the engine for every setting the Java steps cannot honour: each fit
 * runs twice, with {@code -Dtl4j.train.javaHead} on and off, from the same seed.
 */
class JavaHeadChoiceTest {

    /** Largest weight difference between the two paths after a few epochs: float rounding. */
    private static final float TOLERANCE = 1e-4f;

    static Backbone<float[]> backbone;

    @BeforeAll
    static void build() {
        backbone = Fixtures.randomMlp(32, 16, 8);
    }

    @AfterAll
    static void close() {
        backbone.close();
    }

    private static final LabeledData<float[]> DATA = Fixtures.tiny(40, 1);

    /** The fit's outcome: the backbone's weights and the head's as logits of every example, the history. */
    private record Outcome(Map<String, float[]> weights, History history) {}

    private static Outcome fit(boolean java, UnaryOperator<TransferLearner<float[]>> settings) {
        String before = System.getProperty(JavaHeadChoice.PROPERTY);
        System.setProperty(JavaHeadChoice.PROPERTY, Boolean.toString(java));
        try (TransferModel<float[]> model = settings.apply(TransferLearner.from(backbone)
                                .epochs(4)
                                .batchSize(16)
                                .learningRate(1e-2f)
                                .progressBar(false))
                        .fit(DATA);
                Backbone<float[]> trained = model.backbone()) {
            Map<String, float[]> weights = Fixtures.values(trained.weights());
            float[][] logits = model.logits(DATA.inputs());
            float[] all = new float[logits.length * logits[0].length];
            for (int i = 0; i < logits.length; i++) {
                System.arraycopy(logits[i], 0, all, i * logits[i].length, logits[i].length);
            }
            weights.put("logits", all);
            return new Outcome(weights, model.history());
        } finally {
            if (before == null) {
                System.clearProperty(JavaHeadChoice.PROPERTY);
            } else {
                System.setProperty(JavaHeadChoice.PROPERTY, before);
            }
        }
    }

    @Test
    void aLinearHeadOnCachedFeaturesTrainsInJavaToTheEnginesWeightsHistoryAndValidation() {
        UnaryOperator<TransferLearner<float[]>> settings = l -> l.freezeAll()
                .validationSplit(0.25)
                .optimizer(OptimizerSpec.adamW(1e-2f, 0.01f))
                .clipGradientNorm(1.0)
                .classWeights(true);
        Outcome engine = fit(false, settings);
        Outcome java = fit(true, settings);
        assertThat(java.weights().get("logits"))
                .as("the Java path ran: its sums are in another order")
                .isNotEqualTo(engine.weights().get("logits"));
        assertClose(java, engine);
        for (int e = 0; e < engine.history().size(); e++) {
            EpochRecord j = java.history().epochs().get(e);
            EpochRecord n = engine.history().epochs().get(e);
            assertThat(j.trainLoss()).isCloseTo(n.trainLoss(), within(1e-5));
            assertThat(j.metrics().keySet()).isEqualTo(n.metrics().keySet()).contains("val_loss", "val_accuracy");
            n.metrics().forEach((k, v) -> assertThat(j.metrics().get(k)).as(k).isCloseTo(v, within(1e-4)));
        }
    }

    @Test
    void earlyStoppingRestoresTheSameBestEpochOnBothPaths() {
        UnaryOperator<TransferLearner<float[]>> settings = l -> l.freezeAll()
                .epochs(12)
                .learningRate(0.3f)
                .validationSplit(0.3)
                .earlyStopping(EarlyStopping.on("val_loss", 1));
        Outcome engine = fit(false, settings);
        Outcome java = fit(true, settings);
        assertThat(java.history().size()).isEqualTo(engine.history().size()).isLessThan(12);
        assertClose(java, engine);
    }

    @Test
    void aResumedRunContinuesFromTheCheckpointedWeightsAndOptimizerState(@TempDir Path dir) {
        Outcome engine = fit(false, l -> l.freezeAll());
        TrainingListener interrupt = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                if (record.epoch() == 2) {
                    throw new IllegalStateException("interrupted");
                }
            }
        };
        assertThatThrownBy(() -> fit(true, l -> l.freezeAll().checkpoints(dir).listener(interrupt)))
                .hasMessage("interrupted");
        Outcome resumed = fit(true, l -> l.freezeAll().resume(dir));
        assertThat(resumed.history().size()).isEqualTo(4);
        assertClose(resumed, engine);
    }

    @Test
    void settingsTheJavaStepsCannotHonourKeepTheEngineBitForBit() {
        for (UnaryOperator<TransferLearner<float[]>> settings :
                java.util.List.<UnaryOperator<TransferLearner<float[]>>>of(
                        l -> l.freezeAll().head(Head.linear().dropout(0.2f)),
                        l -> l.freezeAll().head(Head.mlp(8)),
                        l -> l.freezeAll().addLayers(8),
                        l -> l.freezeUntil("block3"),
                        l -> l.freezeAll().featureCache(false))) {
            Outcome engine = fit(false, settings);
            Outcome offered = fit(true, settings);
            engine.weights()
                    .forEach((name, values) ->
                            assertThat(offered.weights().get(name)).as(name).isEqualTo(values));
        }
    }

    private static void assertClose(Outcome actual, Outcome expected) {
        assertThat(actual.weights().keySet()).isEqualTo(expected.weights().keySet());
        expected.weights().forEach((name, values) -> {
            float[] got = actual.weights().get(name);
            for (int k = 0; k < values.length; k++) {
                assertThat(got[k]).as("%s[%d]", name, k).isCloseTo(values[k], within(TOLERANCE));
            }
        });
    }
}
