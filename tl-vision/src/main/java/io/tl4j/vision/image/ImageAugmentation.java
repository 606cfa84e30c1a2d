package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
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

    /**
     * Returns the region of a random resized crop of an image ({@link RandomResizedCrop}).
     *
     * @return {top, left, height, width}
     */
    int[] cropBox(int h, int w, Random random) {
        return RandomResizedCrop.box(h, w, scaleMin, scaleMax, random);
    }

    /**
     * Applies a training image's geometry: a random resized crop to {@code eval}'s crop size when one is set, else
     * {@code eval}'s resize and center crop; then the random flip.
     *
     * @param hwc the decoded (H, W, C) image
     * @param eval the evaluation geometry, whose crop size the output takes
     * @param random the source of the random draws
     * @return the (crop, crop, C) image
     */
    NDArray trainingGeometry(NDArray hwc, CenterCrop eval, Random random) {
        NDArray out;
        if (scaleMax > 0) {
            int[] box =
                    cropBox((int) hwc.getShape().get(0), (int) hwc.getShape().get(1), random);
            NDArray region = hwc.get(new NDIndex("{}:{}, {}:{}, :", box[0], box[0] + box[2], box[1], box[1] + box[3]));
            out = PilResize.resize(
                    region, eval.crop(), eval.crop(), 0, 0, eval.crop(), eval.crop(), Image.Interpolation.BILINEAR);
        } else {
            out = eval.apply(hwc);
        }
        // the flip draws only when its probability is positive
        return flipProbability > 0 && random.nextFloat() < flipProbability ? out.flip(1) : out;
    }

    @Override
    public String toString() {
        return "scale=" + scaleMin + "," + scaleMax + " flip=" + flipProbability + " " + jitter;
    }
}
