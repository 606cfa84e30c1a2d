package io.tl4j.speech.audio;

import java.util.Random;

/**
 * Brings a signal to a fixed number of samples: longer ones are cropped, shorter ones zero-padded
 * on both sides. Where the kept window (or the signal inside the padding) sits is the {@link
 * Position}: centred for evaluation, random in training (a time-shift augmentation).
 */
public final class CropOrPad {

    /** Where the window sits. */
    public enum Position {
        /** Centred. */
        CENTER,
        /** Uniformly random among all positions. */
        RANDOM
    }

    private CropOrPad() {}

    /**
     * Crops or pads a signal to exactly {@code length} samples.
     *
     * @param samples the signal
     * @param length the wanted number of samples
     * @param position centred or random
     * @param random the randomness for {@link Position#RANDOM} (unused otherwise)
     * @return a new array of exactly {@code length} samples
     */
    public static float[] apply(float[] samples, int length, Position position, Random random) {
        if (length <= 0) {
            throw new IllegalArgumentException("Length must be positive, got " + length);
        }
        float[] out = new float[length];
        int slack = Math.abs(samples.length - length);
        int offset = position == Position.RANDOM ? (slack == 0 ? 0 : random.nextInt(slack + 1)) : slack / 2;
        if (samples.length >= length) {
            System.arraycopy(samples, offset, out, 0, length);
        } else {
            System.arraycopy(samples, 0, out, offset, samples.length);
        }
        return out;
    }
}
