package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.data.LabeledData;
import org.junit.jupiter.api.Test;

/**
 * The reason tl4j exists: a network pretrained on a source task and transferred to a related target
 * task with 10 examples per class beats the same network trained from scratch on those examples.
 */
class TransferHelpsTest {

    @Test
    void pretrainedBackboneBeatsScratchByTenPointsWithTenExamplesPerClass() {
        LabeledData<float[]> source = Fixtures.SOURCE.sample(300, 11);
        LabeledData<float[]> test = Fixtures.TARGET.sample(200, 13);
        double transfer = 0;
        double scratch = 0;
        int seeds = 3;
        try (Backbone<float[]> init = Fixtures.randomMlp(128, 64);
                TransferModel<float[]> pretrained = TransferLearner.from(init)
                        .unfreezeAll()
                        .backboneLearningRate(1f)
                        .epochs(20)
                        .progressBar(false)
                        .fit(source);
                Backbone<float[]> backbone = pretrained.backbone()) {
            assertThat(pretrained.evaluate(Fixtures.SOURCE.sample(50, 99)).accuracy())
                    .isGreaterThan(0.6);
            for (long seed = 1; seed <= seeds; seed++) {
                LabeledData<float[]> train = Fixtures.TARGET.sample(10, 100 + seed);
                try (TransferModel<float[]> features = TransferLearner.from(backbone)
                                .seed(seed)
                                .learningRate(3e-3f)
                                .epochs(30)
                                .progressBar(false)
                                .fit(train);
                        TransferModel<float[]> fromScratch = TransferLearner.from(init)
                                .unfreezeAll()
                                .backboneLearningRate(1f)
                                .seed(seed)
                                .learningRate(3e-3f)
                                .epochs(60)
                                .progressBar(false)
                                .fit(train)) {
                    transfer += features.evaluate(test).accuracy() / seeds;
                    scratch += fromScratch.evaluate(test).accuracy() / seeds;
                }
            }
        }
        assertThat(transfer - scratch)
                .as("transfer %.3f vs scratch %.3f", transfer, scratch)
                .isGreaterThanOrEqualTo(0.10);
    }
}
