package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.Image;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PilResize}'s windows and edge cases (its values against Pillow's are {@link PreprocessingGoldenTest}'s).
 */
class PilResizeTest {

    private static byte[] noise(int length, long seed) {
        byte[] pixels = new byte[length];
        new Random(seed).nextBytes(pixels);
        return pixels;
    }

    @Test
    void aWindowIsThatPartOfTheFullResizeBitForBit() {
        int h = 37;
        int w = 23;
        byte[] pixels = noise(h * w * 3, 1);
        for (Image.Interpolation mode :
                new Image.Interpolation[] {Image.Interpolation.BILINEAR, Image.Interpolation.BICUBIC}) {
            for (int[] size : new int[][] {{50, 31}, {16, 10}, {37, 15}, {20, 23}}) {
                int outH = size[0];
                int outW = size[1];
                int[] full = PilResize.resize(pixels, h, w, 3, outH, outW, new int[] {0, 0, outH, outW}, mode);
                int top = outH / 3;
                int left = outW / 4;
                int height = outH / 2;
                int width = outW / 2;
                int[] window =
                        PilResize.resize(pixels, h, w, 3, outH, outW, new int[] {top, left, height, width}, mode);
                for (int y = 0; y < height; y++) {
                    int from = ((top + y) * outW + left) * 3;
                    assertThat(Arrays.copyOfRange(window, y * width * 3, (y + 1) * width * 3))
                            .as("%s %dx%d row %d", mode, outH, outW, y)
                            .containsExactly(Arrays.copyOfRange(full, from, from + width * 3));
                }
                assertThat(Arrays.stream(full).allMatch(v -> v >= 0 && v <= 255))
                        .isTrue();
            }
        }
    }

    @Test
    void theSameSizeGivesTheImageBackAndAFlatImageStaysFlat() {
        byte[] pixels = noise(5 * 7, 2);
        int[] unsigned = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            unsigned[i] = pixels[i] & 0xFF;
        }
        assertThat(PilResize.resize(pixels, 5, 7, 1, 5, 7, new int[] {0, 0, 5, 7}, Image.Interpolation.BICUBIC))
                .containsExactly(unsigned);
        byte[] flat = new byte[9 * 4 * 3];
        Arrays.fill(flat, (byte) 200);
        assertThat(PilResize.resize(flat, 9, 4, 3, 25, 3, new int[] {0, 0, 25, 3}, Image.Interpolation.BICUBIC))
                .containsOnly(200);
    }

    @Test
    void aWindowOutsideTheResizeOrAWrongLengthIsRefused() {
        byte[] pixels = noise(4 * 4, 3);
        assertThatThrownBy(() ->
                        PilResize.resize(pixels, 4, 4, 1, 8, 8, new int[] {4, 0, 5, 8}, Image.Interpolation.BILINEAR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not inside the 8x8 resize");
        assertThatThrownBy(() ->
                        PilResize.resize(pixels, 4, 5, 1, 8, 8, new int[] {0, 0, 8, 8}, Image.Interpolation.BILINEAR))
                .hasMessageContaining("16 values is not 4 x 5 x 1");
    }
}
