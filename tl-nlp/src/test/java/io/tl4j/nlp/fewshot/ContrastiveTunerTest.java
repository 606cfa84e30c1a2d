package io.tl4j.nlp.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.MiniLm;
import io.tl4j.nlp.bert.Pooling;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContrastiveTunerTest {

    /** Mean cosine similarity of same-class pairs minus that of different-class pairs. */
    private static double separation(float[][] unit, int[] labels) {
        double same = 0;
        double different = 0;
        int nSame = 0;
        int nDifferent = 0;
        for (int i = 0; i < unit.length; i++) {
            for (int j = i + 1; j < unit.length; j++) {
                double cos = 0;
                for (int d = 0; d < unit[i].length; d++) {
                    cos += unit[i][d] * unit[j][d];
                }
                if (labels[i] == labels[j]) {
                    same += cos;
                    nSame++;
                } else {
                    different += cos;
                    nDifferent++;
                }
            }
        }
        return same / nSame - different / nDifferent;
    }

    private static double separation(Backbone<String> backbone, LabeledData<String> data) {
        try (BackboneEmbedder embedder = BackboneEmbedder.of(backbone)) {
            return separation(embedder.embed(data.inputs()), data.labels());
        }
    }

    @Test
    void tuningPullsClassesApartOnTrainingAndHeldOutTextsAndLeavesTheInputBackboneAlone() {
        LabeledData<String> train = MiniLm.train();
        LabeledData<String> test = MiniLm.test();
        try (Backbone<String> backbone = MiniLm.encoder().backbone(Pooling.MEAN, 32)) {
            Map<String, float[]> before = Map.of(
                    "w",
                    backbone.weights()
                            .get("encoder.layer.2.output.dense.weight")
                            .toFloatArray());
            double trainBefore = separation(backbone, train);
            double testBefore = separation(backbone, test);
            try (Backbone<String> tuned = ContrastiveTuner.from(backbone)
                    .epochs(4)
                    .batchSize(6)
                    .learningRate(5e-5f)
                    .seed(3)
                    .tune(train)) {
                double trainAfter = separation(tuned, train);
                double testAfter = separation(tuned, test);
                assertThat(trainAfter).isGreaterThan(trainBefore + 0.2);
                assertThat(testAfter).isGreaterThan(testBefore + 0.1);
                assertThat(tuned.weights().keySet())
                        .isEqualTo(backbone.weights().keySet());
                assertThat(tuned.weights()
                                .get("encoder.layer.2.output.dense.weight")
                                .toFloatArray())
                        .isNotEqualTo(before.get("w"));
                assertThat(tuned.provenance().note()).contains("contrastively tuned on 12 texts for 4 epochs");
            }
            assertThat(backbone.weights()
                            .get("encoder.layer.2.output.dense.weight")
                            .toFloatArray())
                    .isEqualTo(before.get("w"));
        }
    }

    @Test
    void badSettingsAreRejected() {
        try (Backbone<String> backbone = MiniLm.encoder().backbone(Pooling.MEAN, 16)) {
            assertThatThrownBy(() -> ContrastiveTuner.from(backbone).batchSize(1))
                    .hasMessageContaining("at least 2");
            assertThatThrownBy(() -> ContrastiveTuner.from(backbone).learningRate(0))
                    .hasMessageContaining("> 0");
            assertThatThrownBy(() -> ContrastiveTuner.from(backbone).epochs(0)).hasMessageContaining("positive");
        }
        try (Backbone<String> tokens = MiniLm.encoder().backbone(Pooling.NONE, 16)) {
            assertThatThrownBy(() -> ContrastiveTuner.from(tokens))
                    .hasMessageContaining("one embedding vector per text");
        }
    }
}
