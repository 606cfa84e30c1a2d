package io.tl4j.vision.image;

import java.util.Random;

/**
 * Chooses the region of a random resized crop as torchvision's {@code RandomResizedCrop.get_params}
 * does: ten tries at a random area fraction and log-uniform aspect ratio in [3/4, 4/3] that fit,
 * else the largest central crop of clamped aspect ratio.
 */
final class RandomResizedCrop {

    private static final double LOG_RATIO_MIN = Math.log(3.0 / 4.0);
    private static final double LOG_RATIO_MAX = Math.log(4.0 / 3.0);

    private RandomResizedCrop() {}

    /**
     * Returns a crop box for an image, drawing from {@code random} in torchvision's order.
     *
     * @param h the image height
     * @param w the image width
     * @param scaleMin the smallest area fraction
     * @param scaleMax the largest area fraction
     * @param random the source of the draws
     * @return {top, left, height, width}
     */
    static int[] box(int h, int w, float scaleMin, float scaleMax, Random random) {
        double area = (double) h * w;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * random.nextDouble());
            double ratio = Math.exp(LOG_RATIO_MIN + (LOG_RATIO_MAX - LOG_RATIO_MIN) * random.nextDouble());
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
                int top = random.nextInt(h - ch + 1);
                int left = random.nextInt(w - cw + 1);
                return new int[] {top, left, ch, cw};
            }
        }
        double inRatio = (double) w / h;
        int cw;
        int ch;
        if (inRatio < 3.0 / 4.0) {
            cw = w;
            ch = (int) Math.round(w / (3.0 / 4.0));
        } else if (inRatio > 4.0 / 3.0) {
            ch = h;
            cw = (int) Math.round(h * (4.0 / 3.0));
        } else {
            cw = w;
            ch = h;
        }
        ch = Math.min(ch, h);
        cw = Math.min(cw, w);
        return new int[] {(h - ch) / 2, (w - cw) / 2, ch, cw};
    }
}
