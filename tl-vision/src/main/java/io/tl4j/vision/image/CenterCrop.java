package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * The evaluation geometry of an {@link ImagePipeline}: resize the shorter side to {@code resize} (or, squashing, both
 * sides, as Hugging Face's ViT image processor and timm's {@code crop_mode="squash"} do) and take the central {@code
 * crop} x {@code crop} square, with torchvision 0.14's arithmetic: {@code Resize(size)} makes the longer side {@code
 * int(size * long / short)} (truncated), and {@code CenterCrop} starts at {@code round((side - crop) / 2)}, rounding
 * halves to even as Python does, or, rounding down, at {@code (side - crop) // 2} as Hugging Face's image processors'
 * {@code center_crop} does.
 *
 * @param resize the shorter side after resizing (both sides when squashing)
 * @param crop the side of the central square
 * @param interpolation bilinear or bicubic, computed as Pillow computes it ({@link PilResize}: antialiased when
 *     downscaling, rounded to 8 bits after each pass), so the result equals torchvision's transform of a PIL image
 * @param squash whether both sides are resized to {@code resize}, not keeping the aspect ratio
 * @param roundDown whether the crop's offset is rounded down (Hugging Face) rather than to the nearest (torchvision)
 */
record CenterCrop(int resize, int crop, Image.Interpolation interpolation, boolean squash, boolean roundDown) {

    /** Checks 0 &lt; crop &lt;= resize and the interpolation. */
    CenterCrop {
        if (crop <= 0 || resize < crop) {
            throw new IllegalArgumentException("Need 0 < crop <= resize, got crop " + crop + ", resize " + resize);
        }
        checkInterpolation(interpolation);
    }

    /**
     * Checks that an interpolation is one the resize supports.
     *
     * @param interpolation the interpolation
     * @return it, when it is {@code BILINEAR} or {@code BICUBIC}
     * @throws IllegalArgumentException for another (or null)
     */
    static Image.Interpolation checkInterpolation(Image.Interpolation interpolation) {
        if (interpolation != Image.Interpolation.BILINEAR && interpolation != Image.Interpolation.BICUBIC) {
            throw new IllegalArgumentException("Interpolation must be BILINEAR or BICUBIC, got " + interpolation);
        }
        return interpolation;
    }

    /** Returns the same geometry with other sizes. */
    CenterCrop withSize(int newResize, int newCrop) {
        return new CenterCrop(newResize, newCrop, interpolation, squash, roundDown);
    }

    /** Returns the same geometry with another interpolation. */
    CenterCrop withInterpolation(Image.Interpolation mode) {
        return new CenterCrop(resize, crop, mode, squash, roundDown);
    }

    /** Returns the same geometry, squashing or keeping the aspect ratio. */
    CenterCrop withSquash(boolean squashing) {
        return new CenterCrop(resize, crop, interpolation, squashing, roundDown);
    }

    /** Returns the same geometry, rounding the crop's offset down or to the nearest. */
    CenterCrop withRoundDown(boolean down) {
        return new CenterCrop(resize, crop, interpolation, squash, down);
    }

    /**
     * Resizes an (H, W, C) image in [0, 255] and crops its centre.
     *
     * @param hwc the image
     * @return the {@code crop} x {@code crop} centre
     */
    NDArray apply(NDArray hwc) {
        int h = (int) hwc.getShape().get(0);
        int w = (int) hwc.getShape().get(1);
        int newH = squash || h <= w ? resize : Math.max(resize, (int) ((long) resize * h / w));
        int newW = squash || h > w ? resize : Math.max(resize, (int) ((long) resize * w / h));
        int top = roundDown ? (newH - crop) / 2 : (int) Math.rint((newH - crop) / 2.0);
        int left = roundDown ? (newW - crop) / 2 : (int) Math.rint((newW - crop) / 2.0);
        if (newH == h && newW == w) {
            return hwc.get(new NDIndex("{}:{}, {}:{}, :", top, top + crop, left, left + crop));
        }
        return PilResize.resize(hwc, newH, newW, top, left, crop, crop, interpolation);
    }

    @Override
    public String toString() {
        return "resize " + resize + (squash ? " squashed" : "")
                + (interpolation == Image.Interpolation.BILINEAR ? "" : " " + interpolation) + ", crop " + crop
                + (roundDown ? " rounded down" : "");
    }
}
