package io.tl4j.vision.models;

import static io.tl4j.vision.models.TransferFixtures.twoClasses;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.demo.MnistSubset;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.data.IdxDatasets;
import io.tl4j.vision.data.Mnist;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Feature extraction with a ResNet's features computed on ONNX Runtime ({@link
 * TransferLearner#featuresOnOnnxRuntime}): the features equal the engine's within 1e-4 (the shipped
 * Fashion-MNIST ResNet and an untrained ResNet with the 7x7 stem), and a head trained on the shipped
 * ResNet's ONNX Runtime features for MNIST digits reaches the loss and accuracy of one trained on the
 * engine's.
 */
class OnnxRuntimeFeaturesTest {

    @Test
    void theFeaturesEqualTheEnginesWithin1e4() {
        Shape rgb = new Shape(3, 40, 36);
        ResNet basic = ResNet.builder()
                .setBlockType(BlockType.BASIC)
                .setBlocksPerStage(2, 1, 1)
                .optBaseWidth(4)
                .build();
        try (Backbone<float[]> shipped = FashionMnistResNet.backbone();
                Backbone<float[]> untrained = Backbone.<float[]>builder()
                        .setArchitecture(basic)
                        .setPipeline(TensorPipeline.of(rgb))
                        .build()) {
            assertSameFeatures(shipped, digits().validation().samplePerClass(3, 2));
            assertSameFeatures(untrained, twoClasses(rgb, 10));
        }
    }

    private static void assertSameFeatures(Backbone<float[]> backbone, LabeledData<float[]> data) {
        float[][] engine;
        float[][] onnxRuntime;
        try (FrozenFeatures<float[]> features = FrozenFeatures.of(backbone, 0)) {
            engine = features.extract(data);
        }
        try (FrozenFeatures<float[]> features = FrozenFeatures.onOnnxRuntime(backbone, 0)) {
            onnxRuntime = features.extract(data);
        }
        assertThat(onnxRuntime.length).isEqualTo(data.size());
        for (int i = 0; i < engine.length; i++) {
            assertThat(engine[i]).as("%s image %d", backbone, i).hasSize((int) backbone.featureSize());
            assertThat(onnxRuntime[i]).as("%s image %d", backbone, i).containsExactly(engine[i], Offset.offset(1e-4f));
        }
    }

    @Test
    void aHeadOnTheShippedResNetsOnnxRuntimeFeaturesLearnsDigitsAsOnTheEngines() {
        Split<float[]> split = digits();
        LabeledData<float[]> train = split.train().samplePerClass(20, 1);
        LabeledData<float[]> validation = split.validation().samplePerClass(20, 2);
        try (Backbone<float[]> backbone = FashionMnistResNet.backbone();
                TransferModel<float[]> engine =
                        learner(backbone, validation, false).fit(train);
                TransferModel<float[]> onnxRuntime =
                        learner(backbone, validation, true).fit(train)) {
            assertThat(onnxRuntime.history().size()).isEqualTo(engine.history().size());
            for (int e = 0; e < engine.history().size(); e++) {
                int epoch = e + 1;
                EpochRecord a = engine.history().epochs().get(e);
                EpochRecord b = onnxRuntime.history().epochs().get(e);
                assertThat(b.trainLoss()).as("epoch %d", epoch).isCloseTo(a.trainLoss(), Offset.offset(1e-4));
                a.metrics()
                        .forEach((name, value) -> assertThat(b.metrics().get(name))
                                .as("%s, epoch %d", name, epoch)
                                .isCloseTo(value, Offset.offset(1e-4)));
            }
            double accuracy = engine.evaluate(validation).accuracy();
            assertThat(onnxRuntime.evaluate(validation).accuracy()).isEqualTo(accuracy);
            assertThat(accuracy)
                    .as("digits from Fashion-MNIST features, 10 classes")
                    .isGreaterThan(0.4);
        }
    }

    private static TransferLearner<float[]> learner(
            Backbone<float[]> backbone, LabeledData<float[]> validation, boolean onnxRuntime) {
        return TransferLearner.from(backbone)
                .freezeAll()
                .featuresOnOnnxRuntime(onnxRuntime)
                .validationData(validation)
                .learningRate(1e-2f)
                .epochs(30)
                .progressBar(false);
    }

    private static Split<float[]> digits() {
        return IdxDatasets.load(MnistSubset.images(), MnistSubset.labels(), Mnist.DIGITS)
                .stratifiedSplit(0.4, 0);
    }
}
