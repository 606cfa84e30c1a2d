package io.tl4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code Inference.predict_tl4jOnnx} relies on when its engine reference comes from the forked
 * fit: the child's probabilities read back exactly, and the child, drawing fewer images, draws the
 * benchmark's first ones.
 */
class ForkedFitTest {

    @Test
    void theChildsProbabilitiesReadBackExactly(@TempDir Path dir) throws IOException {
        float[][] rows = {{0.25f, 0.75f, 1e-7f}, {Float.MIN_VALUE, 0.5f, 0.4999999f}};
        ForkedFit.writeProbabilities(dir.resolve(ForkedFit.ENGINE_PROBABILITIES), rows);
        assertThat(ForkedFit.engineProbabilities(dir)).isDeepEqualTo(rows);
    }

    @Test
    void fewerImagesAreTheBenchmarksFirstImages() {
        List<float[]> benchmark = Workloads.samples(16, Inference.IMAGE, 3);
        List<float[]> checked = Workloads.samples(Inference.Tl4jOnnx.CHECKED, Inference.IMAGE, 3);
        assertThat(checked).hasSize(2);
        for (int i = 0; i < checked.size(); i++) {
            assertThat(checked.get(i)).containsExactly(benchmark.get(i));
        }
    }
}
