package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.body;
import static io.tl4j.serving.ServingFixtures.gauge;
import static io.tl4j.serving.ServingFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.demo.FashionMnistSubset;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.data.IdxDatasets;
import io.tl4j.vision.data.Mnist;
import io.tl4j.vision.data.NewCamera;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real shift through the server: the shipped Fashion-MNIST ResNet with a head fitted on clean images and
 * validated on 400 clean test images (so the saved model carries a profile of classes, confidence and the 64
 * features its head reads), served, then sent clean test images it has not seen and the same images through the
 * "new camera" (blur, inverted contrast, gamma, noise).
 */
class CameraDriftServingTest {

    private static final int PER_REQUEST = 50;
    private static final int REQUESTS = 12;

    @Test
    void theServerStaysQuietOnCleanImagesAndCatchesTheNewCameraInItsFeatures(@TempDir Path dir) {
        LabeledData<float[]> source = IdxDatasets.load(
                FashionMnistSubset.sourceImages(), FashionMnistSubset.sourceLabels(), Mnist.FASHION_CLASSES);
        LabeledData<float[]> clean = IdxDatasets.load(
                FashionMnistSubset.targetImages(), FashionMnistSubset.targetLabels(), Mnist.FASHION_CLASSES);
        Split<float[]> halves = clean.stratifiedSplit(0.5, 1);
        Path modelDir = dir.resolve("fashion");
        try (Backbone<float[]> backbone = FashionMnistResNet.backbone();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeAll()
                        .seed(1)
                        .progressBar(false)
                        .validationData(halves.train().samplePerClass(40, 1))
                        .fit(source)) {
            assertThat(model.referenceProfile().orElseThrow().featureSize()).isEqualTo(FashionMnistResNet.FEATURES);
            model.save(modelDir);
        }
        List<float[]> unseen = halves.validation().inputs();
        List<float[]> camera = NewCamera.withSeed(1).shoot(halves.validation()).inputs();
        try (ModelServer server =
                ModelServer.builder().model("fashion", modelDir).port(0).build().start()) {
            Random random = new Random(2);
            send(server, unseen, random);
            double[] quiet = {
                gauge(server, "fashion", "tl4j_drift_class_psi"),
                gauge(server, "fashion", "tl4j_drift_confidence_psi"),
                gauge(server, "fashion", "tl4j_drift_feature_shift")
            };
            assertThat(gauge(server, "fashion", "tl4j_drift_alerts"))
                    .as("alerts on clean images")
                    .isZero();

            send(server, camera, random);
            double[] shifted = {
                gauge(server, "fashion", "tl4j_drift_class_psi"),
                gauge(server, "fashion", "tl4j_drift_confidence_psi"),
                gauge(server, "fashion", "tl4j_drift_feature_shift")
            };
            System.out.printf(
                    "served drift, clean: class PSI %.3f, confidence PSI %.3f, feature shift %.3f; new camera: %.3f,"
                            + " %.3f, %.3f%n",
                    quiet[0], quiet[1], quiet[2], shifted[0], shifted[1], shifted[2]);
            assertThat(quiet[2]).as("feature shift on clean images").isLessThan(0.25);
            assertThat(shifted[2]).as("feature shift through the new camera").isGreaterThan(0.25);
            assertThat(gauge(server, "fashion", "tl4j_drift_alerts")).isGreaterThanOrEqualTo(1);
        }
    }

    /** Sends {@value #REQUESTS} requests of {@value #PER_REQUEST} images drawn at random, each answered 200. */
    private static void send(ModelServer server, List<float[]> images, Random random) {
        for (int r = 0; r < REQUESTS; r++) {
            float[][] batch = new float[PER_REQUEST][];
            for (int i = 0; i < PER_REQUEST; i++) {
                batch[i] = images.get(random.nextInt(images.size()));
            }
            assertThat(post(server, "/v1/models/fashion:predict", body(batch)).statusCode())
                    .isEqualTo(200);
        }
    }
}
