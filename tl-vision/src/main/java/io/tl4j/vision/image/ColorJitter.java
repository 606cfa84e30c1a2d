package io.tl4j.vision.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Applies torchvision-style colour jitter to a whole batch: brightness, contrast and saturation, in
 * that order, each with a per-image factor drawn uniformly from {@code [1 - s, 1 + s]}; a strength
 * of 0 draws nothing and leaves that property alone.
 *
 * @param brightness strength of the brightness factor, in [0, 1)
 * @param contrast strength of the contrast factor, in [0, 1)
 * @param saturation strength of the saturation factor, in [0, 1) (no effect on grayscale)
 */
public record ColorJitter(float brightness, float contrast, float saturation) {

    /** No jitter. */
    public static final ColorJitter NONE = new ColorJitter(0, 0, 0);

    /** Checks that every strength is in [0, 1). */
    public ColorJitter {
        if (!(brightness >= 0
                && brightness < 1
                && contrast >= 0
                && contrast < 1
                && saturation >= 0
                && saturation < 1)) {
            throw new IllegalArgumentException("colour jitter strengths must be in [0, 1), got " + brightness + ", "
                    + contrast + ", " + saturation);
        }
    }

    /** Tells whether any strength is positive. */
    boolean active() {
        return brightness > 0 || contrast > 0 || saturation > 0;
    }

    /**
     * Jitters a batch.
     *
     * @param manager the manager for the factors
     * @param x the batch, (B, C, H, W) in [0, 1]
     * @param grayscale true when C is 1
     * @param random the source of the factors, drawn in order brightness, contrast, saturation
     * @return the jittered batch, clipped to [0, 1]
     */
    NDArray apply(NDManager manager, NDArray x, boolean grayscale, Random random) {
        int batch = (int) x.getShape().get(0);
        float[] b = factors(batch, brightness, random);
        float[] c = factors(batch, contrast, random);
        float[] s = factors(batch, saturation, random);
        Shape perImage = new Shape(batch, 1, 1, 1);
        NDArray out = x;
        if (brightness > 0) {
            out = out.mul(manager.create(b, perImage)).clip(0f, 1f);
        }
        if (contrast > 0) {
            NDArray mean = gray(manager, out, grayscale)
                    .reshape(batch, -1)
                    .mean(new int[] {1})
                    .reshape(perImage);
            NDArray factor = manager.create(c, perImage);
            out = out.mul(factor).add(mean.mul(factor.neg().add(1f))).clip(0f, 1f);
        }
        if (saturation > 0 && !grayscale) {
            NDArray gray = gray(manager, out, false);
            NDArray factor = manager.create(s, perImage);
            out = out.mul(factor).add(gray.mul(factor.neg().add(1f))).clip(0f, 1f);
        }
        return out;
    }

    private static float[] factors(int n, float strength, Random random) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = strength > 0 ? (float) (1 - strength + 2 * strength * random.nextDouble()) : 1f;
        }
        return f;
    }

    /** The luma of each pixel, (B, 1, H, W), with ITU-R 601 weights as torchvision uses. */
    private static NDArray gray(NDManager manager, NDArray x, boolean grayscale) {
        if (grayscale) {
            return x;
        }
        NDArray weights = manager.create(new float[] {0.299f, 0.587f, 0.114f}, new Shape(1, 3, 1, 1));
        return x.mul(weights).sum(new int[] {1}, true);
    }
}
