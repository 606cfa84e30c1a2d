package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a freezing plan does to a real network in training: frozen layers, BatchNorm statistics included, stay put. */
class FreezingInTrainingTest {

    @Test
    void frozenLayersKeepTheirWeightsAndBatchNormStatisticsWhileTrainedOnesChange() {
        try (Backbone<float[]> init = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> source = TransferLearner.from(init)
                        .unfreezeAll()
                        .epochs(1)
                        .progressBar(false)
                        .fit(Fixtures.SOURCE.sample(10, 1));
                Backbone<float[]> pretrained = source.backbone()) {
            Map<String, float[]> before = Fixtures.values(pretrained.weights());
            for (boolean cache : new boolean[] {true, false}) {
                try (TransferModel<float[]> model = TransferLearner.from(pretrained)
                                .freezeUntil("block2")
                                .featureCache(cache)
                                .epochs(2)
                                .batchSize(8)
                                .learningRate(1e-2f)
                                .progressBar(false)
                                .fit(Fixtures.tiny(10, 1));
                        Backbone<float[]> trained = model.backbone()) {
                    Map<String, float[]> after = Fixtures.values(trained.weights());
                    assertThat(before.keySet().stream().filter(k -> k.startsWith("block1.")))
                            .as("block1 has weights and BatchNorm statistics")
                            .hasSizeGreaterThanOrEqualTo(4)
                            .allSatisfy(k -> assertThat(after.get(k)).as(k).isEqualTo(before.get(k)));
                    assertThat(before.keySet().stream().filter(k -> k.startsWith("block2.")))
                            .allSatisfy(k -> assertThat(after.get(k)).as(k).isNotEqualTo(before.get(k)));
                }
            }
        }
    }
}
