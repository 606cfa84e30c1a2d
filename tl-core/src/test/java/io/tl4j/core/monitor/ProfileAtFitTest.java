package io.tl4j.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference profile a fit makes on its validation data: what it holds, that it travels with the
 * saved model, and that a monitor fed through {@link TransferModel#probabilities(List, DriftMonitor)}
 * sees the features its head reads.
 */
class ProfileAtFitTest {

    private static final List<String> CLASSES = List.of("up", "down");

    /** Two Gaussian classes in 4 dimensions, means +1 and -1, moved by {@code shift}. */
    private static LabeledData<float[]> data(int n, long seed, float shift) {
        Random random = new Random(seed);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            float[] x = new float[4];
            for (int d = 0; d < 4; d++) {
                x[d] = (float) random.nextGaussian() + (labels[i] == 0 ? 1 : -1) + shift;
            }
            inputs.add(x);
        }
        return LabeledData.of(inputs, labels, CLASSES);
    }

    private static Backbone<float[]> backbone() {
        return Backbone.<float[]>builder()
                .setArchitecture(Architectures.mlp(8))
                .setPipeline(TensorPipeline.of(new Shape(4)))
                .build();
    }

    @Test
    void fitProfilesTheValidationDataAndSaveAndLoadCarryIt(@TempDir Path dir) {
        LabeledData<float[]> validation = data(80, 2, 0);
        try (Backbone<float[]> backbone = backbone();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .epochs(2)
                        .progressBar(false)
                        .validationData(validation)
                        .fit(data(120, 1, 0))) {
            ReferenceProfile profile = model.referenceProfile().orElseThrow();
            assertThat(profile.examples()).isEqualTo(80);
            assertThat(profile.featureSize()).isEqualTo(8); // the MLP's 8 units feed the head
            double down = 0;
            for (int p : model.predict(validation.inputs())) {
                down += p;
            }
            assertThat(profile.classFractions()[1]).isCloseTo(down / 80, within(1e-12));
            ReferenceProfile again = model.profile(validation.inputs());
            assertThat(again.classFractions()).containsExactly(profile.classFractions());
            assertThat(again.confidenceFractions()).containsExactly(profile.confidenceFractions());

            model.save(dir);
            assertThat(dir.resolve(ReferenceProfile.FILE_NAME)).isRegularFile();
            try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                ReferenceProfile read = loaded.referenceProfile().orElseThrow();
                assertThat(read.examples()).isEqualTo(80);
                assertThat(read.classFractions()).containsExactly(profile.classFractions());
                assertThat(read.featureSize()).isEqualTo(8);
            }
        }
    }

    @Test
    void withoutEnoughValidationDataThereIsNoProfileAndNoFile(@TempDir Path dir) {
        try (Backbone<float[]> backbone = backbone();
                TransferModel<float[]> none = TransferLearner.from(backbone)
                        .epochs(1)
                        .progressBar(false)
                        .fit(data(60, 1, 0));
                TransferModel<float[]> few = TransferLearner.from(backbone)
                        .epochs(1)
                        .progressBar(false)
                        .validationData(data(ReferenceProfile.MIN_EXAMPLES - 1, 2, 0))
                        .fit(data(60, 1, 0))) {
            assertThat(none.referenceProfile()).isEmpty();
            assertThat(few.referenceProfile()).isEmpty();
            none.save(dir);
            assertThat(dir.resolve(ReferenceProfile.FILE_NAME)).doesNotExist();
            assertThatThrownBy(() -> none.profile(
                            data(ReferenceProfile.MIN_EXAMPLES - 1, 3, 0).inputs()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least " + ReferenceProfile.MIN_EXAMPLES);
        }
    }

    @Test
    void aProfileOfAnotherClassCountIsRefusedOnLoad(@TempDir Path dir) throws Exception {
        try (Backbone<float[]> backbone = backbone();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .epochs(1)
                        .progressBar(false)
                        .fit(data(60, 1, 0))) {
            model.save(dir);
        }
        float[][] threeClasses = new float[60][];
        for (int i = 0; i < threeClasses.length; i++) {
            threeClasses[i] = new float[] {0.5f, 0.3f, 0.2f};
        }
        ReferenceProfile.of(threeClasses, null).save(dir.resolve(ReferenceProfile.FILE_NAME));
        assertThatThrownBy(() -> TransferModel.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ReferenceProfile.FILE_NAME)
                .hasMessageContaining("profiles 3 classes, but the model has 2");
        Files.delete(dir.resolve(ReferenceProfile.FILE_NAME));
        try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
            assertThat(loaded.referenceProfile()).isEmpty();
        }
    }

    @Test
    void aMonitorFedWhilePredictingSeesTheFeaturesAndTheirShift() {
        try (Backbone<float[]> backbone = backbone();
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .epochs(3)
                        .progressBar(false)
                        .validationData(data(400, 2, 0))
                        .fit(data(200, 1, 0))) {
            DriftMonitor monitor = new DriftMonitor(model.referenceProfile().orElseThrow(), 300, 50, 0.2, 0.25);
            assertThat(monitor.watchesFeatures()).isTrue();
            List<float[]> same = data(300, 5, 0).inputs();
            assertThat(model.probabilities(same, monitor)).isDeepEqualTo(model.probabilities(same));
            assertThat(monitor.observations()).isEqualTo(300);
            assertThat(monitor.alerts()).isEmpty();
            assertThat(monitor.status().featureShift()).isLessThan(0.25);

            // every input moved by 3 (each class by equal parts, so the class mix can stay): the features move
            model.probabilities(data(300, 6, 3).inputs(), monitor);
            assertThat(monitor.status().featureShift()).isGreaterThan(0.25);
            assertThat(monitor.alerts()).extracting(DriftAlert::statistic).contains("feature_shift");
        }
    }
}
