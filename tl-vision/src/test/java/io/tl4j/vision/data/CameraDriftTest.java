package io.tl4j.vision.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.core.monitor.DriftAlert;
import io.tl4j.core.monitor.DriftMonitor;
import io.tl4j.core.monitor.ReferenceProfile;
import io.tl4j.demo.FashionMnistSubset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Drift monitoring on a real shift: the shipped Fashion-MNIST ResNet with a head trained on clean images,
 * profiled on half of the clean test images, then serving requests drawn from the other half (in
 * distribution) and from the same images through the "new camera".
 */
class CameraDriftTest {

    @Test
    void theMonitorStaysSilentOnCleanImagesAndCatchesTheNewCamera() {
        LabeledData<float[]> source = IdxDatasets.load(
                FashionMnistSubset.sourceImages(), FashionMnistSubset.sourceLabels(), Mnist.FASHION_CLASSES);
        LabeledData<float[]> clean = IdxDatasets.load(
                FashionMnistSubset.targetImages(), FashionMnistSubset.targetLabels(), Mnist.FASHION_CLASSES);
        Split<float[]> halves = clean.stratifiedSplit(0.5, 1);
        try (Backbone<float[]> backbone = FashionMnistResNet.backbone();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeAll()
                        .seed(1)
                        .progressBar(false)
                        .fit(source)) {
            DriftMonitor monitor =
                    new DriftMonitor(ReferenceProfile.of(model, halves.train().inputs()));
            float[][] cleanRequests = model.probabilities(halves.validation().inputs());
            float[][] cameraRequests = model.probabilities(
                    NewCamera.withSeed(1).shoot(halves.validation()).inputs());
            Random random = new Random(2);
            for (int i = 0; i < 5000; i++) {
                monitor.observe(cleanRequests[random.nextInt(cleanRequests.length)]);
            }
            assertThat(monitor.alerts()).as("alerts over 5,000 clean requests").isEmpty();
            int after = 0;
            while (monitor.alerts().isEmpty() && after < 2000) {
                monitor.observe(cameraRequests[random.nextInt(cameraRequests.length)]);
                after++;
            }
            DriftAlert first = monitor.alerts().get(0);
            System.out.println(
                    "new camera: " + first + " after " + after + " shifted requests; clean status " + monitor.status());
            assertThat(after).isLessThanOrEqualTo(DriftMonitor.DEFAULT_WINDOW);
        }
    }
}
