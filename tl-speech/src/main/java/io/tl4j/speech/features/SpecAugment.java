package io.tl4j.speech.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;

/**
 * SpecAugment's masking (Park et al., 2019): in training, zero out a few random bands of
 * consecutive frequency rows and a few random stretches of consecutive frames of each example's
 * spectrogram. Widths are uniform in {@code [0, max]}; every draw comes from the {@link Random}
 * passed in, so a seeded run repeats exactly.
 *
 * @param frequencyMasks masks over frequency rows per example
 * @param maxFrequencyWidth the widest frequency mask, in rows
 * @param timeMasks masks over frames per example
 * @param maxTimeWidth the widest time mask, in frames
 */
public record SpecAugment(int frequencyMasks, int maxFrequencyWidth, int timeMasks, int maxTimeWidth) {

    /** Checks the arguments. */
    public SpecAugment {
        if (frequencyMasks < 0 || maxFrequencyWidth < 0 || timeMasks < 0 || maxTimeWidth < 0) {
            throw new IllegalArgumentException("SpecAugment settings must be >= 0: " + frequencyMasks + ", "
                    + maxFrequencyWidth + ", " + timeMasks + ", " + maxTimeWidth);
        }
    }

    /**
     * Masks random bands of frequency rows and stretches of frames of each example.
     *
     * @param features shape (batch, rows, frames), already normalised so that 0 is the neutral value
     * @param random the source of the masks' positions and widths
     * @return the masked features, same shape
     */
    public NDArray apply(NDArray features, Random random) {
        Shape shape = features.getShape();
        int batch = (int) shape.get(0);
        int rows = (int) shape.get(1);
        int frames = (int) shape.get(2);
        float[] mask = new float[batch * rows * frames];
        Arrays.fill(mask, 1f);
        for (int b = 0; b < batch; b++) {
            int base = b * rows * frames;
            for (int m = 0; m < frequencyMasks; m++) {
                int width = random.nextInt(Math.min(maxFrequencyWidth, rows) + 1);
                int start = random.nextInt(rows - width + 1);
                for (int r = start; r < start + width; r++) {
                    Arrays.fill(mask, base + r * frames, base + (r + 1) * frames, 0f);
                }
            }
            for (int m = 0; m < timeMasks; m++) {
                int width = random.nextInt(Math.min(maxTimeWidth, frames) + 1);
                int start = random.nextInt(frames - width + 1);
                for (int r = 0; r < rows; r++) {
                    Arrays.fill(mask, base + r * frames + start, base + r * frames + start + width, 0f);
                }
            }
        }
        return features.mul(features.getManager().create(mask, shape));
    }
}
