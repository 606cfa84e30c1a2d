package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.vision.data.FashionMnistResNet;
import org.junit.jupiter.api.Test;

/**
 * The quick start's claim that holds on this small task: fine-tuning the last stage beats feature
 * extraction by at least 5 points, mean of the recipe's three seeds, same data as the quick start
 * (the scratch baseline is left out here to keep the test short; the quick start prints it).
 */
class VisionQuickStartTest {

    @Test
    void fineTuningBeatsFeatureExtractionByFivePoints() {
        LabeledData<float[]> digits = VisionQuickStart.digits();
        Split<float[]> split = digits.stratifiedSplit((double) VisionQuickStart.TEST_IMAGES / digits.size(), 0);
        VisionQuickStart.Recipe recipe = VisionQuickStart.RECIPE;
        VisionQuickStart.Recipe withoutScratch = new VisionQuickStart.Recipe(
                recipe.perClass(), recipe.seeds(), recipe.featureEpochs(), recipe.finetuneEpochs(), 0);
        try (Backbone<float[]> pretrained = FashionMnistResNet.backbone();
                Backbone<float[]> untrained = FashionMnistResNet.untrained()) {
            VisionQuickStart.Outcome o = VisionQuickStart.compare(
                    withoutScratch, pretrained, untrained, split.train(), split.validation(), false);
            assertThat(split.validation().size()).isGreaterThanOrEqualTo(1000);
            assertThat(java.util.Arrays.stream(o.features()).min().orElseThrow())
                    .as("well above chance (0.1)")
                    .isGreaterThan(0.25);
            assertThat(VisionQuickStart.mean(o.finetune()) - VisionQuickStart.mean(o.features()))
                    .as(
                            "fine-tuning %s vs features %s",
                            VisionQuickStart.meanSd(o.finetune()), VisionQuickStart.meanSd(o.features()))
                    .isGreaterThanOrEqualTo(0.05);
        }
    }
}
