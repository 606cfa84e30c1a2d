package io.tl4j.vision.image;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.ArrayInput;
import io.tl4j.core.Components;
import io.tl4j.core.FileInput;
import io.tl4j.core.InputPipeline;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The input pipeline for small in-memory images (MNIST-style 28x28 grayscale, say): each input is a
 * {@code float[]} of {@code channels * height * width} values, channel-major then row-major, usually
 * in [0, 1]. It normalises per channel and, in training, augments with a random shift (a random
 * crop of the image padded with zeros by {@code shift} pixels on every side) and an optional random
 * horizontal flip.
 *
 * <p>Every input is checked before it is used: a null input, one of the wrong length, or one
 * holding NaN or an infinity is an {@link IllegalArgumentException} naming the input's index in
 * the batch, this pipeline and, for a non-finite value, its pixel ({@code "input 3 to pipeline
 * tl4j.vision.array-image has NaN at pixel (channel 0, y 4, x 7)"}).
 *
 * <p>As a {@link FileInput} it reads image files (PNG, JPEG, BMP, GIF, TIFF: whatever {@link ImagePipeline} decodes)
 * of exactly its height and width into that layout, each 8-bit level as {@code level / 255} (see {@link
 * #readFile}); as an {@link ArrayInput} it takes arrays of exactly {@code channels * height * width} values.
 *
 * <p>All random choices come from the {@code Random} passed to {@link #batch}, in input order, so a
 * batch is reproducible. The work is plain Java over the batch's floats followed by one array
 * creation: on images this small, copying is cheaper than the per-operation overhead of several
 * engine calls per image.
 */
public final class ArrayImagePipeline implements InputPipeline<float[]>, FileInput<float[]>, ArrayInput {

    /** The id under which this pipeline is registered in {@link Components}. */
    public static final String ID = "tl4j.vision.array-image";

    private final int channels;
    private final int height;
    private final int width;
    private final float[] mean;
    private final float[] std;
    private final int shift;
    private final float flipProbability;

    private ArrayImagePipeline(
            int channels, int height, int width, float[] mean, float[] std, int shift, float flipProbability) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "Image shape must be positive: " + channels + "x" + height + "x" + width);
        }
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(
                    "Need one mean and std per channel (" + channels + "), got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0: " + Arrays.toString(std));
            }
        }
        if (shift < 0 || shift >= Math.min(height, width)) {
            throw new IllegalArgumentException("shift must be in [0, " + Math.min(height, width) + "), got " + shift);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.mean = mean.clone();
        this.std = std.clone();
        this.shift = shift;
        this.flipProbability = flipProbability;
    }

    /**
     * Creates a pipeline for images given as arrays of that shape, passing values through unchanged, without
     * augmentation.
     *
     * @param channels channels per image (1 for grayscale)
     * @param height rows
     * @param width columns
     * @return a pipeline that passes values through unchanged, without augmentation
     */
    public static ArrayImagePipeline of(int channels, int height, int width) {
        float[] zeros = new float[channels];
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        return new ArrayImagePipeline(channels, height, width, zeros, ones, 0, 0f);
    }

    /**
     * Returns a copy that normalises all channels with the same mean and standard deviation.
     *
     * @param mean subtracted from every channel
     * @param std every channel is divided by it
     * @return a copy that normalises all channels the same way
     */
    public ArrayImagePipeline normalize(float mean, float std) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(m, mean);
        Arrays.fill(s, std);
        return normalize(m, s);
    }

    /**
     * Returns a copy that normalises each channel with its own mean and standard deviation.
     *
     * @param mean per-channel mean
     * @param std per-channel standard deviation
     * @return a copy that normalises each channel
     */
    public ArrayImagePipeline normalize(float[] mean, float[] std) {
        return new ArrayImagePipeline(channels, height, width, mean, std, shift, flipProbability);
    }

    /**
     * Random shift in training: the image is padded with zeros (before normalisation) by {@code
     * pixels} on every side and a window of the original size is cropped at a uniformly random
     * offset, so content moves by up to {@code pixels} in each direction.
     *
     * @param pixels the largest shift; 0 switches it off
     * @return a copy with that augmentation
     */
    public ArrayImagePipeline randomShift(int pixels) {
        return new ArrayImagePipeline(channels, height, width, mean, std, pixels, flipProbability);
    }

    /**
     * Returns a copy that mirrors training images left-right at random.
     *
     * @param probability the chance that a training image is mirrored left-right (0 for digits and
     *     text, whose meaning a mirror changes)
     * @return a copy with that augmentation
     */
    public ArrayImagePipeline horizontalFlip(float probability) {
        return new ArrayImagePipeline(channels, height, width, mean, std, shift, probability);
    }

    /** Returns a copy without training augmentation (same shape and normalisation). */
    public ArrayImagePipeline withoutAugmentation() {
        return new ArrayImagePipeline(channels, height, width, mean, std, 0, 0f);
    }

    @Override
    public Shape sampleShape() {
        return new Shape(channels, height, width);
    }

    @Override
    public NDList batch(NDManager manager, List<float[]> inputs, boolean training, Random random) {
        int plane = height * width;
        int size = channels * plane;
        float[] out = new float[inputs.size() * size];
        for (int i = 0; i < inputs.size(); i++) {
            float[] x = inputs.get(i);
            if (x == null || !acceptsLength(x.length)) {
                throw new IllegalArgumentException("Input " + i + " to pipeline " + ID + " has "
                        + (x == null ? "no" : String.valueOf(x.length)) + " values, expected " + size
                        + " for a " + channels + "x" + height + "x" + width + " image");
            }
            requireFinite(x, i);
            int dy = 0;
            int dx = 0;
            boolean flip = false;
            if (training) {
                if (shift > 0) {
                    dy = random.nextInt(2 * shift + 1) - shift;
                    dx = random.nextInt(2 * shift + 1) - shift;
                }
                flip = flipProbability > 0 && random.nextFloat() < flipProbability;
            }
            int base = i * size;
            for (int c = 0; c < channels; c++) {
                float zero = -mean[c] / std[c];
                float scale = 1f / std[c];
                for (int r = 0; r < height; r++) {
                    int sr = r + dy;
                    int rowOut = base + c * plane + r * width;
                    if (sr < 0 || sr >= height) {
                        Arrays.fill(out, rowOut, rowOut + width, zero);
                        continue;
                    }
                    int rowIn = c * plane + sr * width;
                    for (int col = 0; col < width; col++) {
                        int sc = (flip ? width - 1 - col : col) + dx;
                        out[rowOut + col] = sc < 0 || sc >= width ? zero : (x[rowIn + sc] - mean[c]) * scale;
                    }
                }
            }
        }
        return new NDList(manager.create(out, new Shape(inputs.size(), channels, height, width)));
    }

    /**
     * Reads an image file of exactly this pipeline's height and width into the array {@link #batch} takes: decoded
     * as {@link ImagePipeline} decodes, converted to this pipeline's 1 (grayscale) or 3 (RGB) channels, channel-major
     * then row-major, each 8-bit level as {@code level / 255} (the [0, 1] values of tl-vision's IDX readers; the
     * normalisation applies in {@link #batch} as for any array). A file of another size is refused, not resized: this
     * pipeline records no resize rule and its model saw only arrays of its own size.
     *
     * @param file an image file
     * @return {@code channels * height * width} values in [0, 1]
     * @throws IllegalArgumentException naming the file: undecodable ({@link ImageFileException}), of another size
     *     (both sizes named), or for a pipeline of neither 1 nor 3 channels
     */
    @Override
    public float[] readFile(Path file) {
        return ImageArrays.read(file, channels, height, width);
    }

    /** Accepts exactly {@code channels * height * width} values. */
    @Override
    public boolean acceptsLength(int length) {
        return length == channels * height * width;
    }

    @Override
    public String acceptedArrays() {
        return "arrays of " + channels * height * width + " numbers (a " + channels + "x" + height + "x" + width
                + " image, channel-major then row-major)";
    }

    /** Fails on the first NaN or infinity in input {@code index}, naming its pixel. */
    private void requireFinite(float[] x, int index) {
        for (int j = 0; j < x.length; j++) {
            if (!Float.isFinite(x[j])) {
                int plane = height * width;
                throw new IllegalArgumentException("Input " + index + " to pipeline " + ID + " has "
                        + (Float.isNaN(x[j]) ? "NaN" : x[j] > 0 ? "+Infinity" : "-Infinity") + " at pixel (channel "
                        + j / plane + ", y " + j % plane / width + ", x " + j % width + "), value index " + j
                        + ": replace or drop non-finite values before training");
            }
        }
    }

    @Override
    public boolean isRandomInTraining() {
        return shift > 0 || flipProbability > 0;
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * The configuration of an {@link ArrayImagePipeline}, as saved models store it.
     *
     * @param shape channels, height and width
     * @param mean the per-channel mean
     * @param std the per-channel standard deviation
     * @param shift the largest random shift in training, in pixels
     * @param flip the chance of a horizontal flip in training
     */
    public record Config(List<Integer> shape, List<Float> mean, List<Float> std, int shift, float flip) {}

    @Override
    public Config config() {
        return new Config(
                List.of(channels, height, width), FloatLists.of(mean), FloatLists.of(std), shift, flipProbability);
    }

    /**
     * Rebuilds a pipeline from {@link #config()}.
     *
     * @param config the configuration
     * @return the pipeline
     * @throws IllegalArgumentException when the shape does not have three values
     */
    public static ArrayImagePipeline fromConfig(Config config) {
        List<Integer> shape = config.shape();
        if (shape.size() != 3) {
            throw new IllegalArgumentException(
                    "ArrayImagePipeline 'shape' = " + shape + " is not channels, height and width");
        }
        return new ArrayImagePipeline(
                shape.get(0),
                shape.get(1),
                shape.get(2),
                FloatLists.toArray(config.mean()),
                FloatLists.toArray(config.std()),
                config.shift(),
                config.flip());
    }

    @Override
    public String toString() {
        return "ArrayImagePipeline[" + channels + "x" + height + "x" + width + ", mean " + Arrays.toString(mean)
                + ", std " + Arrays.toString(std) + ", shift " + shift + ", flip " + flipProbability + "]";
    }
}
