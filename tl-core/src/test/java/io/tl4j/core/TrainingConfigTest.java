package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.persist.ModelFormatException;
import io.tl4j.core.train.EarlyStopping;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training configuration: built by the learner, written whole into model.json, read back the same. */
class TrainingConfigTest {

    @Test
    void theLearnerBuildsTheConfigurationWithFrozenLayersResolvedAgainstTheBackbone() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8, 4)) {
            TrainingConfig config = TransferLearner.from(backbone)
                    .freezeUntil("block3")
                    .addLayers(6)
                    .epochs(3)
                    .layerwiseLearningRateDecay(0.8f)
                    .config();
            assertThat(config.freezing()).isEqualTo("until block3");
            assertThat(config.frozenLayers()).containsExactly("block1", "block2");
            assertThat(config.adapterUnits()).containsExactly(6);
            assertThat(config.epochs()).isEqualTo(3);
            assertThat(config.layerwiseDecay()).isEqualTo(0.8f);
            assertThat(TransferLearner.from(backbone).config().frozenLayers())
                    .as("the default freezes everything")
                    .containsExactly("block1", "block2", "block3");
        }
    }

    @Test
    void everyScheduleAndOptionalSettingSurvivesTheJsonRoundTrip() {
        Head head = Head.mlp(5).dropout(0.25f);
        for (LearningRateSchedule schedule : List.of(
                LearningRateSchedule.constant(),
                LearningRateSchedule.warmupCosine(0.1),
                LearningRateSchedule.oneCycle(0.3))) {
            TrainingConfig config = new TrainingConfig(
                    "until b",
                    List.of("a"),
                    head,
                    List.of(7, 3),
                    4,
                    16,
                    -5,
                    OptimizerSpec.adamW(3e-4f, 0.01f),
                    schedule,
                    0.2f,
                    0.9f,
                    1.5,
                    2,
                    0.25,
                    new EarlyStopping("val_macro_f1", 3, 0.01, false),
                    false,
                    true,
                    true,
                    0.5,
                    12);
            JsonObject json = TrainingConfigJson.toJson(config);
            TrainingConfig back = TrainingConfigJson.fromJson(
                    JsonParser.parseString(json.toString()).getAsJsonObject(), head);
            assertThat(back).isEqualTo(config);
            assertThat(TrainingConfigJson.toJson(back)).isEqualTo(json);
        }
    }

    @Test
    void aConfigurationOutOfRangeIsRefusedNamingTheSettingWhetherBuiltOrRead() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8)) {
            TransferLearner<float[]> learner = TransferLearner.from(backbone);
            assertThatThrownBy(() -> learner.epochs(0)).hasMessage("epochs must be positive, got 0");
            assertThatThrownBy(() -> learner.backboneLearningRate(0f))
                    .hasMessage("backboneLearningRate must be > 0, got 0.0");
            assertThatThrownBy(() -> learner.addLayers(4, -1)).hasMessage("Layer widths must be positive: -1");
            assertThatThrownBy(() -> learner.divergenceFactor(0.5))
                    .hasMessageContaining("divergenceFactor must be 0 (off) or above 1");
            // a model.json edited by hand: the same checks, through the reader
            JsonObject json = TrainingConfigJson.toJson(learner.config());
            json.addProperty("validationSplit", 1.5);
            assertThatThrownBy(() ->
                            TrainingConfigJson.fromJson(json, learner.config().head()))
                    .hasMessageContaining("validationSplit must be in (0, 1), or 0 for none, got 1.5");
            json.addProperty("validationSplit", 0);
            json.addProperty("batchSize", -3);
            assertThatThrownBy(() ->
                            TrainingConfigJson.fromJson(json, learner.config().head()))
                    .hasMessageContaining("batchSize must be positive, got -3");
        }
    }

    @Test
    void aFittedModelKeepsItsTrainingConfigurationThroughSaveAndLoad(@TempDir Path dir) throws Exception {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .unfreezeAll()
                        .epochs(2)
                        .batchSize(8)
                        .schedule(LearningRateSchedule.warmupCosine(0.2))
                        .classWeights(true)
                        .progressBar(false)
                        .fit(Fixtures.tiny(6, 1))) {
            assertThat(model.trainingConfig()).isPresent();
            model.save(dir);
            JsonObject saved = JsonParser.parseString(Files.readString(dir.resolve("model.json")))
                    .getAsJsonObject()
                    .getAsJsonObject("training");
            assertThat(saved.get("epochs").getAsInt()).isEqualTo(2);
            assertThat(saved.getAsJsonObject("schedule").get("kind").getAsString())
                    .isEqualTo("warmupCosine");
            assertThat(saved.get("classWeights").getAsBoolean()).isTrue();
            try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                assertThat(loaded.trainingConfig()).isPresent();
                assertThat(TrainingConfigJson.toJson(loaded.trainingConfig().get()))
                        .isEqualTo(
                                TrainingConfigJson.toJson(model.trainingConfig().get()));
            }

            Path file = dir.resolve("model.json");
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Files.writeString(file, text.replace("\"batchSize\": 8", "\"batchSize\": \"eight\""));
            assertThatThrownBy(() -> TransferModel.load(dir, LoadOptions.trustingModifiedFiles()))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("training");
        }
    }
}
