package io.tl4j.vision.data;

import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A simulated "new camera" for square grayscale images in [0, 1] (Fashion-MNIST, MNIST): the domain
 * shift of the domain-adaptation example. Each image goes through, in order, a Gaussian blur (optics),
 * inverted contrast ({@code 1 - x}, scaled about mid-grey), a gamma curve and Gaussian sensor noise,
 * then is clipped to [0, 1]. The blur, contrast, gamma and noise strengths are drawn from the seed; the
 * noise of image {@code i} comes from the seed and {@code i}, so the same seed and image give the same
 * photo.
 */
public final class NewCamera {

    private final long seed;
    private final double blurSigma;
    private final double contrast;
    private final double gamma;
    private final double noise;

    private NewCamera(long seed) {
        this.seed = seed;
        Random r = new Random(seed);
        this.blurSigma = 0.7 + 0.4 * r.nextDouble();
        this.contrast = 0.7 + 0.2 * r.nextDouble();
        this.gamma = 0.5 + 0.2 * r.nextDouble();
        this.noise = 0.06 + 0.04 * r.nextDouble();
    }

    /**
     * Returns the camera of a seed.
     *
     * @param seed draws the blur, contrast, gamma and noise strengths, and every image's noise
     * @return the camera
     */
    public static NewCamera withSeed(long seed) {
        return new NewCamera(seed);
    }

    /**
     * Takes the photo of one image.
     *
     * @param image a square grayscale image, row-major, values in [0, 1]
     * @param index the image's index, which seeds its sensor noise
     * @return the new camera's image, values in [0, 1]
     * @throws IllegalArgumentException when the image is not square
     */
    public float[] shoot(float[] image, long index) {
        int side = (int) Math.round(Math.sqrt(image.length));
        if (side * side != image.length || side == 0) {
            throw new IllegalArgumentException(
                    "NewCamera takes square grayscale images; image " + index + " has " + image.length + " values");
        }
        float[] blurred = blur(image, side);
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        float[] out = new float[image.length];
        for (int i = 0; i < out.length; i++) {
            double inverted = 0.5 - contrast * (blurred[i] - 0.5);
            double curved = Math.pow(Math.min(1, Math.max(0, inverted)), gamma);
            double v = curved + noise * gaussian(r);
            out[i] = (float) Math.min(1, Math.max(0, v));
        }
        return out;
    }

    /**
     * Takes the photo of every image, image {@code i} with the noise of index {@code i}.
     *
     * @param images square grayscale images in [0, 1]
     * @return the photos, in order
     */
    public List<float[]> shoot(List<float[]> images) {
        List<float[]> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(shoot(images.get(i), i));
        }
        return out;
    }

    /**
     * Takes the photo of every image of a data set, keeping labels and class names.
     *
     * @param data square grayscale images in [0, 1] with labels
     * @return the photos with the same labels
     */
    public LabeledData<float[]> shoot(LabeledData<float[]> data) {
        return LabeledData.of(shoot(data.inputs()), data.labels(), data.classNames());
    }

    private float[] blur(float[] image, int side) {
        int radius = 2;
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-k * k / (2 * blurSigma * blurSigma));
            sum += kernel[k + radius];
        }
        for (int k = 0; k < kernel.length; k++) {
            kernel[k] /= sum;
        }
        float[] rows = new float[image.length];
        float[] out = new float[image.length];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    v += kernel[k + radius] * image[y * side + clamp(x + k, side)];
                }
                rows[y * side + x] = (float) v;
            }
        }
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    v += kernel[k + radius] * rows[clamp(y + k, side) * side + x];
                }
                out[y * side + x] = (float) v;
            }
        }
        return out;
    }

    private static int clamp(int i, int side) {
        return Math.min(side - 1, Math.max(0, i));
    }

    /** A standard normal draw (Box-Muller). */
    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "NewCamera[seed %d: blur sigma %.2f, inverted contrast x%.2f, gamma %.2f, noise sd %.3f]",
                seed,
                blurSigma,
                contrast,
                gamma,
                noise);
    }
}
