package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Components;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ArrayImagePipelineTest {

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    /** A 1x5x5 image, all zero except value 1 at (row, col). */
    private static float[] dot(int row, int col) {
        float[] x = new float[25];
        x[row * 5 + col] = 1f;
        return x;
    }

    private float[] run(ArrayImagePipeline p, List<float[]> inputs, boolean training, long seed) {
        NDArray out = p.batch(manager, inputs, training, new Random(seed)).head();
        assertThat(out.getShape()).isEqualTo(new Shape(inputs.size(), 1, 5, 5));
        return out.toFloatArray();
    }

    @Test
    void normalisesPerChannel() {
        ArrayImagePipeline p = ArrayImagePipeline.of(2, 1, 2).normalize(new float[] {0.5f, 1f}, new float[] {0.5f, 2f});
        float[] out = p.batch(manager, List.of(new float[] {0f, 1f, 1f, 3f}), false, new Random(1))
                .head()
                .toFloatArray();
        assertThat(out).containsExactly(-1f, 1f, 0f, 1f);
    }

    @Test
    void shiftMovesContentWithinRangeAndPadsWithNormalisedZero() {
        ArrayImagePipeline p =
                ArrayImagePipeline.of(1, 5, 5).normalize(0.5f, 0.5f).randomShift(1);
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            inputs.add(dot(2, 2));
        }
        float[] out = run(p, inputs, true, 3);
        boolean[][] seen = new boolean[3][3];
        for (int i = 0; i < 200; i++) {
            int hot = -1;
            for (int j = 0; j < 25; j++) {
                float v = out[i * 25 + j];
                if (v == 1f) {
                    assertThat(hot).isEqualTo(-1);
                    hot = j;
                } else {
                    assertThat(v).isEqualTo(-1f);
                }
            }
            int dr = hot / 5 - 2;
            int dc = hot % 5 - 2;
            assertThat(Math.abs(dr)).isLessThanOrEqualTo(1);
            assertThat(Math.abs(dc)).isLessThanOrEqualTo(1);
            seen[dr + 1][dc + 1] = true;
        }
        for (boolean[] row : seen) {
            assertThat(row).containsOnly(true);
        }
        // a dot at the border can be shifted out: the padding is the normalised zero
        float[] edge = run(p, List.of(dot(0, 0), dot(0, 0), dot(0, 0), dot(0, 0), dot(0, 0), dot(0, 0)), true, 5);
        assertThat(edge).contains(-1f);
    }

    @Test
    void augmentationIsReproducibleAndOnlyInTraining() {
        ArrayImagePipeline p = ArrayImagePipeline.of(1, 5, 5).randomShift(2).horizontalFlip(0.5f);
        List<float[]> inputs = List.of(dot(1, 1), dot(3, 0), dot(2, 4), dot(0, 2));
        assertThat(run(p, inputs, true, 11)).containsExactly(run(p, inputs, true, 11));
        assertThat(run(p, inputs, true, 11)).isNotEqualTo(run(p, inputs, true, 12));
        assertThat(run(p, inputs, false, 11)).containsExactly(run(ArrayImagePipeline.of(1, 5, 5), inputs, false, 0));
        assertThat(p.isRandomInTraining()).isTrue();
        assertThat(p.withoutAugmentation().isRandomInTraining()).isFalse();
    }

    @Test
    void flipMirrorsRows() {
        ArrayImagePipeline p = ArrayImagePipeline.of(1, 5, 5).horizontalFlip(1f);
        float[] out = run(p, List.of(dot(1, 0)), true, 1);
        assertThat(out[5 + 4]).isEqualTo(1f);
        assertThat(out[5]).isEqualTo(0f);
    }

    @Test
    void wrongSizeNamesTheInput() {
        ArrayImagePipeline p = ArrayImagePipeline.of(1, 5, 5);
        assertThatThrownBy(() -> p.batch(manager, List.of(dot(0, 0), new float[24]), false, new Random()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Input 1")
                .hasMessageContaining("24 values, expected 25");
        assertThatThrownBy(() -> p.randomShift(5)).hasMessageContaining("shift");
    }

    @Test
    void rebuiltFromItsConfigurationThroughComponents() {
        ArrayImagePipeline p = ArrayImagePipeline.of(1, 5, 5)
                .normalize(0.2f, 0.4f)
                .randomShift(2)
                .horizontalFlip(0.3f);
        Object rebuilt = Components.pipeline(p.id(), p.config());
        assertThat(rebuilt).isInstanceOf(ArrayImagePipeline.class);
        ArrayImagePipeline q = (ArrayImagePipeline) rebuilt;
        assertThat(q.config()).isEqualTo(p.config());
        List<float[]> inputs = List.of(dot(1, 2), dot(4, 4));
        assertThat(run(q, inputs, true, 9)).containsExactly(run(p, inputs, true, 9));
    }
}
