package io.tl4j.nlp.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.Head;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.nlp.bert.TinyBert;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature extraction with the tiny BERT's features computed on ONNX Runtime ({@link
 * TransferLearner#featuresOnOnnxRuntime}): the features equal the engine's within 1e-4 for every pooling
 * that exports, and a head trained on them reaches the same losses, scores and accuracy.
 */
class OnnxRuntimeFeaturesTest {

    @Test
    void theFeaturesEqualTheEnginesWithin1e4ForEveryPooling(@TempDir Path dir) {
        try (BertEncoder tiny = Bert.fromHuggingFace(TinyBert.write(dir.resolve("tiny"), null), "test")) {
            for (Pooling pooling : List.of(Pooling.MEAN, Pooling.CLS, Pooling.POOLER)) {
                try (Backbone<String> backbone = tiny.backbone(pooling, 24)) {
                    float[][] engine;
                    float[][] onnxRuntime;
                    try (FrozenFeatures<String> features = FrozenFeatures.of(backbone, 0)) {
                        engine = features.extract(data());
                    }
                    try (FrozenFeatures<String> features = FrozenFeatures.onOnnxRuntime(backbone, 0)) {
                        onnxRuntime = features.extract(data());
                    }
                    assertThat(onnxRuntime.length).isEqualTo(data().size());
                    for (int i = 0; i < engine.length; i++) {
                        assertThat(engine[i])
                                .as("%s: the engine's features of text %d", pooling, i)
                                .hasSize(16);
                        assertThat(onnxRuntime[i])
                                .as("%s, text %d", pooling, i)
                                .containsExactly(engine[i], Offset.offset(1e-4f));
                    }
                }
            }
        }
    }

    @Test
    void aHeadTrainedOnThemReachesTheSameLossAndAccuracy(@TempDir Path dir) {
        try (BertEncoder tiny = Bert.fromHuggingFace(TinyBert.write(dir.resolve("tiny"), null), "test");
                Backbone<String> backbone = tiny.backbone(Pooling.MEAN, 24);
                TransferModel<String> engine = learner(backbone, false).fit(data());
                TransferModel<String> onnxRuntime = learner(backbone, true).fit(data())) {
            for (int e = 0; e < 6; e++) {
                int epoch = e + 1;
                EpochRecord a = engine.history().epochs().get(e);
                EpochRecord b = onnxRuntime.history().epochs().get(e);
                assertThat(b.trainLoss()).as("epoch %d", epoch).isCloseTo(a.trainLoss(), Offset.offset(1e-4));
                a.metrics()
                        .forEach((name, value) -> assertThat(b.metrics().get(name))
                                .as("%s, epoch %d", name, epoch)
                                .isCloseTo(value, Offset.offset(1e-4)));
            }
            List<String> texts = data().inputs();
            float[][] p = engine.probabilities(texts);
            float[][] q = onnxRuntime.probabilities(texts);
            for (int i = 0; i < p.length; i++) {
                assertThat(q[i]).as("text %d", i).containsExactly(p[i], Offset.offset(1e-4f));
            }
            assertThat(onnxRuntime.evaluate(data()).accuracy())
                    .isEqualTo(engine.evaluate(data()).accuracy());
            assertThat(onnxRuntime.history().last().trainLoss())
                    .as("the head learned")
                    .isLessThan(onnxRuntime.history().epochs().get(0).trainLoss() - 0.01);
        }
    }

    private static TransferLearner<String> learner(Backbone<String> backbone, boolean onnxRuntime) {
        return TransferLearner.from(backbone)
                .freezeAll()
                .featuresOnOnnxRuntime(onnxRuntime)
                .head(Head.linear())
                .validationData(data())
                .epochs(6)
                .batchSize(4)
                .learningRate(5e-2f)
                .progressBar(false);
    }

    private static LabeledData<String> data() {
        List<String> texts = new ArrayList<>(BertOnnxExportTest.texts());
        int[] labels = new int[texts.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        return LabeledData.of(texts, labels, List.of("even", "odd"));
    }
}
