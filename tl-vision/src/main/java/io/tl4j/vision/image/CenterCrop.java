package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Resizes an image so its shorter side has a given length and takes the central square, with torchvision 0.14's
 * arithmetic: {@code Resize(size)} makes the longer side {@code int(size * long / short)} (truncated), and {@code
 * CenterCrop} starts at {@code round((side - crop) / 2)}, rounding halves to even as Python does.
 */
final class CenterCrop {

    private CenterCrop() {}

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

    /**
     * Resizes an (H, W, C) image in [0, 255] and crops its centre.
     *
     * @param hwc the image
     * @param resize the shorter side after resizing
     * @param crop the side of the central square
     * @param interpolation bilinear or bicubic, antialiased when downscaling (libtorch's antialiased kernels, PIL's
     *     filters); bicubic results are clamped to [0, 255], as torchvision's are for 8-bit images
     * @return the {@code crop} x {@code crop} centre
     */
    static NDArray apply(NDArray hwc, int resize, int crop, Image.Interpolation interpolation) {
        int h = (int) hwc.getShape().get(0);
        int w = (int) hwc.getShape().get(1);
        int newH = h <= w ? resize : Math.max(resize, (int) ((long) resize * h / w));
        int newW = h <= w ? Math.max(resize, (int) ((long) resize * w / h)) : resize;
        NDArray resized = hwc;
        if (newH != h || newW != w) {
            resized = NDImageUtils.resize(hwc, newW, newH, interpolation);
            if (interpolation == Image.Interpolation.BICUBIC) {
                resized = resized.clip(0f, 255f);
            }
        }
        int top = (int) Math.rint((newH - crop) / 2.0);
        int left = (int) Math.rint((newW - crop) / 2.0);
        return resized.get(new NDIndex("{}:{}, {}:{}, :", top, top + crop, left, left + crop));
    }
}
