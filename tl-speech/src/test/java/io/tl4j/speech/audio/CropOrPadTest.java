package io.tl4j.speech.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CropOrPadTest {

    private static float[] count(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    @Test
    void centreCropsAndPads() {
        assertThat(CropOrPad.apply(count(6), 4, CropOrPad.Position.CENTER, null))
                .containsExactly(2, 3, 4, 5);
        assertThat(CropOrPad.apply(count(2), 6, CropOrPad.Position.CENTER, null))
                .containsExactly(0, 0, 1, 2, 0, 0);
        assertThat(CropOrPad.apply(count(3), 3, CropOrPad.Position.CENTER, null))
                .containsExactly(1, 2, 3);
    }

    @Test
    void randomPositionCoversEveryOffsetAndRepeatsWithTheSeed() {
        Set<Float> firsts = new HashSet<>();
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            float[] out = CropOrPad.apply(count(10), 7, CropOrPad.Position.RANDOM, random);
            assertThat(out).hasSize(7);
            assertThat(out[6] - out[0]).isEqualTo(6f);
            firsts.add(out[0]);
        }
        assertThat(firsts).containsExactlyInAnyOrder(1f, 2f, 3f, 4f);
        assertThat(CropOrPad.apply(count(3), 8, CropOrPad.Position.RANDOM, new Random(5)))
                .containsExactly(CropOrPad.apply(count(3), 8, CropOrPad.Position.RANDOM, new Random(5)));
    }
}
