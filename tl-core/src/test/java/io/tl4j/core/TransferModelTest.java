package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.SyntheticWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferModelTest {

    @Test
    void saveAndLoadGiveIdenticalPredictionsAndKeepDescriptor(@TempDir Path dir) throws Exception {
        LabeledData<float[]> test = Fixtures.tiny(10, 31);
        try (Backbone<float[]> backbone =
                        Fixtures.randomMlp(16, 8).withProvenance(new Provenance("unit-test", "abc", "MIT", "random"));
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .progressBar(false)
                        .head(Head.mlp(12).dropout(0.1f))
                        .addLayers(10)
                        .unfreezeAll()
                        .epochs(3)
                        .fit(Fixtures.tiny(8, 32))) {
            model.save(dir);
            assertThat(dir.resolve("weights.safetensors")).exists();
            String json = Files.readString(dir.resolve("model.json"));
            assertThat(json)
                    .contains("\"tiny0\"")
                    .contains("tl4j.mlp")
                    .contains("\"licence\": \"MIT\"")
                    .contains("\"history\"");
            try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                assertThat(loaded.classNames()).isEqualTo(model.classNames());
                assertThat(loaded.probabilities(test.inputs())).isDeepEqualTo(model.probabilities(test.inputs()));
                assertThat(loaded.provenance().source()).isEqualTo("unit-test");
                assertThat(loaded.history()).isEqualTo(model.history());
                assertThat(loaded.evaluate(test).accuracy())
                        .isEqualTo(model.evaluate(test).accuracy());
            }
        }
    }

    @Test
    void predictionIsSafeFromSeveralThreads() throws Exception {
        LabeledData<float[]> test = Fixtures.tiny(20, 33);
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .progressBar(false)
                        .epochs(2)
                        .fit(Fixtures.tiny(8, 34))) {
            float[][] expected = model.probabilities(test.inputs());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[][]>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    results.add(pool.submit(() -> {
                        float[][] last = null;
                        for (int r = 0; r < 10; r++) {
                            last = model.probabilities(test.inputs());
                        }
                        return last;
                    }));
                }
                for (Future<float[][]> f : results) {
                    assertThat(f.get()).isDeepEqualTo(expected);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void loadingWhatIsNotASavedModelSaysWhatIsWrong(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TransferModel.load(dir)).hasMessageContaining("model.json is missing");
        Files.writeString(dir.resolve("model.json"), "{\"format\":\"something else\"}");
        assertThatThrownBy(() -> TransferModel.load(dir)).hasMessageContaining("is not a tl4j model descriptor");
    }

    @Test
    void rehearsalKeepsTheOldTaskWhileLearningTheNewOne() {
        // an easy world (little nuisance): the point is forgetting, not few-shot learning
        SyntheticWorld world = SyntheticWorld.create(9, 6, 8, Fixtures.INPUT, 1f, 0.3f);
        Fixtures.Task oldTask = new Fixtures.Task(world.task("old", 4, 40));
        Fixtures.Task newTask = new Fixtures.Task(world.task("new", 4, 41));
        LabeledData<float[]> oldTrain = oldTask.sample(150, 1);
        LabeledData<float[]> oldTest = oldTask.sample(50, 2);
        LabeledData<float[]> newTrain = newTask.sample(20, 3);
        LabeledData<float[]> newTest = newTask.sample(50, 4);
        try (Backbone<float[]> init = Fixtures.randomMlp(64, 32);
                TransferModel<float[]> before = TransferLearner.from(init)
                        .progressBar(false)
                        .unfreezeAll()
                        .backboneLearningRate(1f)
                        .learningRate(3e-3f)
                        .epochs(20)
                        .fit(oldTrain);
                Backbone<float[]> backbone = before.backbone();
                TransferModel<float[]> forgetful = TransferLearner.from(backbone)
                        .progressBar(false)
                        .unfreezeAll()
                        .learningRate(3e-3f)
                        .batchSize(16)
                        .epochs(30)
                        .fit(newTrain);
                TransferModel<float[]> rehearsed = TransferLearner.from(backbone)
                        .progressBar(false)
                        .unfreezeAll()
                        .learningRate(3e-3f)
                        .batchSize(16)
                        .epochs(30)
                        .rehearsal(oldTrain, 1.0)
                        .fit(newTrain)) {
            AdaptationReport without = AdaptationReport.measure(before, forgetful, oldTest, newTest);
            AdaptationReport with = AdaptationReport.measure(before, rehearsed, oldTest, newTest);
            assertThat(rehearsed.classNames())
                    .containsExactly("new0", "new1", "new2", "new3", "old0", "old1", "old2", "old3");
            assertThat(without.oldAccuracyAfter()).isZero();
            assertThat(with.oldAccuracyBefore()).as(with.toString()).isGreaterThan(0.6);
            System.out.println("rehearsal: " + with + "; without: " + without);
            assertThat(with.retained()).as(with.toString()).isGreaterThan(0.8);
            assertThat(with.newAccuracy()).as(with.toString()).isGreaterThan(0.5);
        }
    }
}
