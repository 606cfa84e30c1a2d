package io.tl4j.vision.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.demo.MnistSubset;
import org.junit.jupiter.api.Test;

class FashionMnistResNetTest {

    @Test
    void shippedCheckpointLoadsStrictlyWithItsProvenance() {
        try (Backbone<float[]> backbone = FashionMnistResNet.backbone()) {
            assertThat(backbone.isPretrained()).isTrue();
            assertThat(backbone.inputShape()).isEqualTo(new Shape(1, 28, 28));
            assertThat(backbone.featureSize()).isEqualTo(FashionMnistResNet.FEATURES);
            assertThat(backbone.layers())
                    .containsExactly("conv1", "bn1", "relu", "layer1", "layer2", "layer3", "avgpool");
            assertThat(backbone.provenance().sha256()).hasSize(64);
            assertThat(backbone.provenance().licence()).isEqualTo("MIT");
        }
        JsonObject provenance = FashionMnistResNet.provenance();
        assertThat(provenance.get("test_accuracy").getAsDouble()).isGreaterThan(0.8);
        assertThat(provenance.get("data").getAsString()).contains("Fashion-MNIST");
        assertThat(provenance
                        .get("architecture")
                        .getAsJsonObject()
                        .get("baseWidth")
                        .getAsString())
                .isEqualTo("16");
    }

    @Test
    void pretrainedFeaturesSeparateDigitsBetterThanRandomOnes() {
        LabeledData<float[]> digits = IdxDatasets.load(MnistSubset.images(), MnistSubset.labels(), Mnist.DIGITS);
        Split<float[]> split = digits.stratifiedSplit(0.4, 0);
        LabeledData<float[]> train = split.train().samplePerClass(20, 1);
        try (Backbone<float[]> pretrained = FashionMnistResNet.backbone();
                Backbone<float[]> random = FashionMnistResNet.untrained()) {
            double transfer = probe(pretrained, train, split.validation());
            double baseline = probe(random, train, split.validation());
            assertThat(transfer)
                    .as("pretrained %s, random %s", transfer, baseline)
                    .isGreaterThan(baseline + 0.05);
        }
    }

    private static double probe(Backbone<float[]> backbone, LabeledData<float[]> train, LabeledData<float[]> test) {
        try (TransferModel<float[]> model = TransferLearner.from(backbone)
                .progressBar(false)
                .learningRate(1e-2f)
                .epochs(60)
                .fit(train)) {
            return model.evaluate(test).accuracy();
        }
    }
}
