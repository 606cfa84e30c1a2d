package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryTest {

    @Test
    void twoThousandTrainingStepsDoNotGrowTheLiveNativeArrays() {
        List<Integer> live = new ArrayList<>();
        TrainingListener counter = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochRecord record) {
                live.add(Fixtures.liveArrays());
            }
        };
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .progressBar(false)
                        .unfreezeAll()
                        .head(Head.mlp(8).dropout(0.1f))
                        .clipGradientNorm(5)
                        .featureCache(false)
                        .validationData(Fixtures.tiny(3, 42))
                        .batchSize(3)
                        .epochs(100)
                        .listener(counter)
                        .fit(Fixtures.tiny(20, 41))) {
            assertThat(model.history().size()).isEqualTo(100);
        }
        // 60 examples in batches of 3: 20 steps per epoch, 2,000 steps in all
        assertThat(live.get(99))
                .as("live arrays after epochs 5 and 100: %s", live)
                .isEqualTo(live.get(4));
    }
}
