package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.train.EarlyStopping;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing any setting of the training configuration between a run and its resumption is refused,
 * naming the setting; the table below must cover every component of {@link TrainingConfig}.
 */
class ResumeGuardTest {

    private static Backbone<float[]> backbone;
    private static final LabeledData<float[]> DATA = Fixtures.tiny(8, 1);
    private static final LabeledData<float[]> REPLAY = Fixtures.tiny(4, 2);

    @TempDir
    static Path directory;

    @BeforeAll
    static void checkpointOneEpoch() {
        backbone = Fixtures.randomMlp(16, 8);
        try (TransferModel<float[]> model = base().checkpoints(directory).fit(DATA)) {
            assertThat(model.history().size()).isEqualTo(1);
        }
    }

    @AfterAll
    static void close() {
        backbone.close();
    }

    private static TransferLearner<float[]> base() {
        return TransferLearner.from(backbone)
                .unfreezeAll()
                .epochs(1)
                .batchSize(8)
                .validationSplit(0.25)
                .rehearsal(REPLAY, 0.5)
                .progressBar(false);
    }

    /** For each setting (record component), a change of it alone. */
    private static Map<Set<String>, UnaryOperator<TransferLearner<float[]>>> changes() {
        Map<Set<String>, UnaryOperator<TransferLearner<float[]>>> c = new LinkedHashMap<>();
        c.put(Set.of("freezing", "frozenLayers"), l -> l.freezeUntil("block2"));
        c.put(Set.of("head"), l -> l.head(Head.mlp(4)));
        c.put(Set.of("adapterUnits"), l -> l.addLayers(4));
        c.put(Set.of("epochs"), l -> l.epochs(2));
        c.put(Set.of("batchSize"), l -> l.batchSize(5));
        c.put(Set.of("seed"), l -> l.seed(9));
        c.put(Set.of("optimizer"), l -> l.optimizer(OptimizerSpec.sgd(0.01f, 0.9f)));
        c.put(Set.of("schedule"), l -> l.schedule(LearningRateSchedule.oneCycle(0.3)));
        c.put(Set.of("backboneLearningRate"), l -> l.backboneLearningRate(0.5f));
        c.put(Set.of("layerwiseDecay"), l -> l.layerwiseLearningRateDecay(0.5f));
        c.put(Set.of("clipGradientNorm"), l -> l.clipGradientNorm(1));
        c.put(Set.of("gradualUnfreezing"), l -> l.gradualUnfreezing(1));
        c.put(Set.of("validationSplit"), l -> l.validationSplit(0.3));
        c.put(Set.of("earlyStopping"), l -> l.earlyStopping(EarlyStopping.on("val_loss", 2)));
        c.put(Set.of("featureCache"), l -> l.featureCache(false));
        c.put(Set.of("classWeights"), l -> l.classWeights(true));
        c.put(Set.of("rehearsalRatio"), l -> l.rehearsal(REPLAY, 1.0));
        c.put(Set.of("divergenceFactor"), l -> l.divergenceFactor(5));
        return c;
    }

    @Test
    void theTableCoversEverySettingOfTheTrainingConfiguration() {
        Set<String> covered = new TreeSet<>();
        changes().keySet().forEach(covered::addAll);
        // featuresOnOnnxRuntime needs an exportable, wholly frozen backbone: OnnxRuntimeFeaturesTest resumes with it
        covered.add("featuresOnOnnxRuntime");
        assertThat(covered)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(TrainingConfig.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList());
    }

    @Test
    void changingAnySettingRefusesToResumeAndNamesIt() {
        changes().forEach((names, change) -> {
            TransferLearner<float[]> changed = change.apply(base().resume(directory));
            assertThatThrownBy(() -> changed.fit(DATA).close())
                    .as("changing %s", names)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refusing to resume")
                    .satisfies(
                            e -> names.forEach(n -> assertThat(e.getMessage()).contains("config." + n)));
        });
    }

    @Test
    void changingTheTrainingDataRefusesToResumeAndNamesIt() {
        assertThatThrownBy(
                        () -> base().resume(directory).fit(Fixtures.tiny(8, 3)).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data: ");
    }

    @Test
    void theSameSettingsAndDataResumeAfterTheCheckpointedEpoch() {
        try (TransferModel<float[]> model = base().epochs(1).resume(directory).fit(DATA)) {
            assertThat(model.history().size()).isEqualTo(1);
        }
    }
}
