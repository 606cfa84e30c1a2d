package io.tl4j.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.adapt.DomainAdaptation;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.FashionMnistSubset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NewCameraTest {

    private static final String FOLD = "tl4j.vision.foldBatchNorm";

    @AfterEach
    void foldingBackOn() {
        System.clearProperty(FOLD);
    }

    private static LabeledData<float[]> fashion() {
        return IdxDatasets.load(
                FashionMnistSubset.sourceImages(), FashionMnistSubset.sourceLabels(), Mnist.FASHION_CLASSES);
    }

    @Test
    void aSeedGivesTheSamePhotosAndInvertsContrast() {
        float[] image = fashion().input(0);
        float[] photo = NewCamera.withSeed(3).shoot(image, 5);
        assertThat(NewCamera.withSeed(3).shoot(image, 5)).isEqualTo(photo);
        assertThat(NewCamera.withSeed(3).shoot(image, 6)).isNotEqualTo(photo);
        assertThat(NewCamera.withSeed(4).shoot(image, 5)).isNotEqualTo(photo);
        double correlation = correlation(image, photo);
        assertThat(correlation).as("inverted contrast").isLessThan(-0.8);
        for (float v : photo) {
            assertThat(v).isBetween(0f, 1f);
        }
        assertThat(NewCamera.withSeed(3).toString()).contains("seed 3").contains("gamma");
        assertThatThrownBy(() -> NewCamera.withSeed(3).shoot(new float[10], 2))
                .hasMessageContaining("square")
                .hasMessageContaining("image 2");
    }

    /**
     * AdaBN on the shipped ResNet, whose frozen inference folds each BatchNorm into its convolution: the
     * re-estimated statistics are the ones predictions use, folded or not.
     */
    @Test
    void adaBnStatisticsReachTheFoldedConvolutions() {
        LabeledData<float[]> clean = fashion().samplePerClass(3, 1);
        List<float[]> photos =
                NewCamera.withSeed(1).shoot(fashion().samplePerClass(8, 2).inputs());
        Unlabelled<float[]> target = Unlabelled.of(photos);
        try (Backbone<float[]> backbone = FashionMnistResNet.backbone();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .progressBar(false)
                        .epochs(2)
                        .fit(clean)) {
            float[][] before = model.probabilities(photos);
            try (TransferModel<float[]> adapted = model.adaptBatchNorm(target);
                    TransferModel<float[]> fitted = TransferLearner.from(backbone)
                            .progressBar(false)
                            .epochs(2)
                            .fit(clean, target, DomainAdaptation.batchNorm())) {
                float[][] folded = adapted.probabilities(photos);
                float[][] fittedFolded = fitted.probabilities(photos);
                System.setProperty(FOLD, "false");
                float[][] unfolded = adapted.probabilities(photos);
                float[][] fittedUnfolded = fitted.probabilities(photos);
                assertThat(model.probabilities(photos)[0]).containsExactly(before[0], within(1e-5f));
                double moved = 0;
                for (int i = 0; i < photos.size(); i++) {
                    assertThat(folded[i]).containsExactly(unfolded[i], within(1e-4f));
                    assertThat(fittedFolded[i]).containsExactly(fittedUnfolded[i], within(1e-4f));
                    for (int c = 0; c < before[i].length; c++) {
                        moved += Math.abs(folded[i][c] - before[i][c]);
                    }
                }
                assertThat(moved / photos.size())
                        .as("AdaBN changes the predictions")
                        .isGreaterThan(0.05);
            }
        }
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
