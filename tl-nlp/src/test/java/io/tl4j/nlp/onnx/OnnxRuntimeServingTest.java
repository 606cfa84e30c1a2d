package io.tl4j.nlp.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
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
 * {@link TransferModel#optimizeForInference()} with ONNX Runtime on the class path: the same model's
 * predictions, scores within 1e-4, now computed by ONNX Runtime; a saved and reloaded model switches
 * the same way.
 */
class OnnxRuntimeServingTest {

    @Test
    void predictionsAfterOptimizingAreTheEnginesWithin1e4(@TempDir Path dir) {
        try (BertEncoder tiny = Bert.fromHuggingFace(TinyBert.write(dir.resolve("tiny"), null), "test");
                Backbone<String> backbone = tiny.backbone(Pooling.MEAN, 24);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .head(Head.mlp(8))
                        .unfreezeAll()
                        .epochs(2)
                        .batchSize(2)
                        .learningRate(1e-2f)
                        .progressBar(false)
                        .fit(data())) {
            List<String> texts = new ArrayList<>(BertOnnxExportTest.texts());
            texts.addAll(texts.subList(0, 3));
            float[][] logits = model.logits(texts);
            float[][] probabilities = model.probabilities(texts);
            int[] predicted = model.predict(texts);

            assertThat(model.optimizeForInference()).isTrue();
            assertThat(model.optimizeForInference())
                    .as("a second call keeps the session")
                    .isTrue();
            assertClose(model.logits(texts), logits);
            assertClose(model.probabilities(texts), probabilities);
            assertThat(model.predict(texts)).containsExactly(predicted);
            assertThat(model.classify(texts.get(0)).get(0).index()).isEqualTo(predicted[0]);

            model.save(dir.resolve("saved"));
            try (TransferModel<String> loaded = TransferModel.load(dir.resolve("saved"))) {
                assertThat(loaded.optimizeForInference()).isTrue();
                assertClose(loaded.logits(texts), logits);
            }
        }
    }

    private static void assertClose(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("input %d", i).containsExactly(expected[i], Offset.offset(1e-4f));
        }
    }

    private static LabeledData<String> data() {
        List<String> texts = BertOnnxExportTest.texts();
        return LabeledData.of(texts, new int[] {0, 1, 0, 1, 0}, List.of("even", "odd"));
    }
}
