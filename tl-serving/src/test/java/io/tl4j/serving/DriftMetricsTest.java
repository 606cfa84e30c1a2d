package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.body;
import static io.tl4j.serving.ServingFixtures.gauge;
import static io.tl4j.serving.ServingFixtures.inputs;
import static io.tl4j.serving.ServingFixtures.post;
import static io.tl4j.serving.ServingFixtures.saveModel;
import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.TransferModel;
import io.tl4j.core.monitor.ReferenceProfile;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory that holds a reference profile is watched: the drift statistics and alerts of the version
 * served appear in {@code /metrics}, quiet under traffic like the profile's and raised when the inputs shift.
 */
class DriftMetricsTest {

    @Test
    void theServedModelsDriftIsInItsMetrics(@TempDir Path dir) {
        Path modelDir = saveModel(dir.resolve("m"), 5);
        try (TransferModel<float[]> model = TransferModel.load(modelDir)) {
            ReferenceProfile.of(model, Arrays.asList(inputs(1000, 1)))
                    .save(modelDir.resolve(ReferenceProfile.FILE_NAME));
        }
        try (ModelServer server =
                ModelServer.builder().model("m", modelDir).port(0).build().start()) {
            assertThat(gauge(server, "m", "tl4j_drift_class_psi"))
                    .as("before the first full window")
                    .isNaN();
            assertThat(gauge(server, "m", "tl4j_drift_alerts")).isZero();
            send(server, inputs(600, 2));
            assertThat(gauge(server, "m", "tl4j_drift_alerts")).isZero();
            assertThat(gauge(server, "m", "tl4j_drift_class_psi")).isLessThan(0.2);

            send(server, shifted(inputs(600, 3)));
            assertThat(gauge(server, "m", "tl4j_drift_alerts")).isGreaterThanOrEqualTo(1);
            assertThat(Math.max(
                            gauge(server, "m", "tl4j_drift_class_psi"),
                            gauge(server, "m", "tl4j_drift_confidence_psi")))
                    .isGreaterThan(0.2);
        }
    }

    @Test
    void aProfileWithFeaturesWatchesTheFeaturesTheHeadReads(@TempDir Path dir) {
        Path modelDir = saveModel(dir.resolve("m"), 5);
        try (TransferModel<float[]> model = TransferModel.load(modelDir)) {
            ReferenceProfile profile = model.profile(Arrays.asList(inputs(1000, 1)));
            assertThat(profile.featureSize()).isPositive();
            profile.save(modelDir.resolve(ReferenceProfile.FILE_NAME));
        }
        try (ModelServer server =
                ModelServer.builder().model("m", modelDir).port(0).build().start()) {
            assertThat(gauge(server, "m", "tl4j_drift_feature_shift")).isNaN();
            send(server, inputs(600, 2));
            assertThat(gauge(server, "m", "tl4j_drift_feature_shift")).isLessThan(0.25);
            send(server, shifted(inputs(600, 3)));
            assertThat(gauge(server, "m", "tl4j_drift_feature_shift")).isGreaterThan(0.25);
        }
    }

    /** Sends the inputs to model "m" in requests of 50, each answered 200. */
    private static void send(ModelServer server, float[][] inputs) {
        for (int i = 0; i < inputs.length; i += 50) {
            assertThat(post(server, "/v1/models/m:predict", body(Arrays.copyOfRange(inputs, i, i + 50)))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    /** Moves every input value: x * 4 + 3. */
    private static float[][] shifted(float[][] inputs) {
        for (float[] input : inputs) {
            for (int f = 0; f < input.length; f++) {
                input[f] = input[f] * 4 + 3;
            }
        }
        return inputs;
    }
}
