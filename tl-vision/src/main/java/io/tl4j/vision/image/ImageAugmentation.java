package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.Objects;
import java.util.Random;

/**
 * Holds the training augmentation of an {@link ImagePipeline} and applies its per-image steps: a random resized crop
 * and a horizontal flip; the colour jitter it holds runs per batch, in the pipeline.
 *
 * @param scaleMin the smallest area fraction of a random resized crop, 0 without it
 * @param scaleMax the largest area fraction of a random resized crop, 0 without it
 * @param flipProbability the chance a training image is mirrored left-right
 * @param jitter the colour jitter
 */
record ImageAugmentation(float scaleMin, float scaleMax, float flipProbability, ColorJitter jitter) {

    /** No augmentation. */
    static final ImageAugmentation NONE = new ImageAugmentation(0, 0, 0, ColorJitter.NONE);

    /** Checks the crop's area fractions (both 0, or 0 < min <= max <= 1) and the flip probability. */
    ImageAugmentation {
        if (scaleMin != 0 || scaleMax != 0) {
            if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
                throw new IllegalArgumentException(
                        "Random resized crop needs 0 < min <= max <= 1, got " + scaleMin + ", " + scaleMax);
            }
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
        }
        Objects.requireNonNull(jitter, "jitter");
    }

    /** Returns a copy with a random resized crop of that area range. */
    ImageAugmentation withRandomResizedCrop(float minScale, float maxScale) {
        return new ImageAugmentation(minScale, maxScale, flipProbability, jitter);
    }

    /** Returns a copy with that flip probability. */
    ImageAugmentation withFlip(float probability) {
        return new ImageAugmentation(scaleMin, scaleMax, probability, jitter);
    }

    /** Returns a copy with that colour jitter. */
    ImageAugmentation withJitter(ColorJitter colorJitter) {
        return new ImageAugmentation(scaleMin, scaleMax, flipProbability, colorJitter);
    }

    /** Tells whether any step is on, so training draws from its {@code Random}. */
    boolean active() {
        return scaleMax > 0 || flipProbability > 0 || jitter.active();
    }

    /** Tells whether training crops a random area instead of resizing and center-cropping. */
    boolean cropsRandomly() {
        return scaleMax > 0;
    }

    /**
     * Returns the region of a random resized crop of an image ({@link RandomResizedCrop}).
     *
     * @return {top, left, height, width}
     */
    int[] cropBox(int h, int w, Random random) {
        return RandomResizedCrop.box(h, w, scaleMin, scaleMax, random);
    }

    /** Crops a random region of an (H, W, C) image and resizes it to {@code crop} x {@code crop}. */
    NDArray randomResizedCrop(NDArray hwc, int crop, Random random) {
        int[] box = cropBox((int) hwc.getShape().get(0), (int) hwc.getShape().get(1), random);
        NDArray region = hwc.get(new NDIndex("{}:{}, {}:{}, :", box[0], box[0] + box[2], box[1], box[1] + box[3]));
        return NDImageUtils.resize(region, crop, crop, Image.Interpolation.BILINEAR);
    }

    /** Mirrors an (H, W, C) image left-right with the flip probability, drawing only when it is positive. */
    NDArray maybeFlip(NDArray hwc, Random random) {
        return flipProbability > 0 && random.nextFloat() < flipProbability ? hwc.flip(1) : hwc;
    }

    @Override
    public String toString() {
        return "scale=" + scaleMin + "," + scaleMax + " flip=" + flipProbability + " " + jitter;
    }
}
