package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Resizes 8-bit images exactly as Pillow's {@code Image.resize} does (Pillow 9's {@code ImagingResample}, the
 * resize torchvision's transforms apply to PIL images, and so timm's and Hugging Face's image processors): a
 * horizontal pass, its results rounded and clipped to 8 bits, then a vertical pass, rounded and clipped again. Each
 * output pixel's weights come from the filter (bilinear: triangle; bicubic: Keys' cubic with {@code a = -0.5})
 * centred on the output pixel's centre; when shrinking the filter is stretched by the scale (antialiasing); at the
 * borders the weights that fall outside the image are dropped and the rest renormalised; weights are fixed-point
 * with 22 fraction bits, as Pillow's.
 *
 * <p>Only a window of the result can be asked for (the centre crop): the pixels computed are those of the full
 * resize, bit for bit, but only the window's rows and columns are computed.
 */
final class PilResize {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);
    private static final double ONE = 1 << PRECISION_BITS;

    private PilResize() {}

    /**
     * The weights of one pass: for each output index the first input index, the number of inputs, and their
     * fixed-point weights ({@code ksize} slots per output index).
     */
    private record Pass(int[] first, int[] count, int[] weights, int ksize) {}

    /**
     * Resizes an (H, W, C) array of 8-bit values (held as floats) and returns a window of the result.
     *
     * @param hwc the image, values in [0, 255] that are whole numbers
     * @param outH the height of the full resize
     * @param outW its width
     * @param top the window's first row in the full resize
     * @param left the window's first column
     * @param height the window's height
     * @param width the window's width
     * @param mode {@code BILINEAR} or {@code BICUBIC}
     * @return the (height, width, C) window, 8-bit values as floats, on {@code hwc}'s manager
     */
    static NDArray resize(
            NDArray hwc, int outH, int outW, int top, int left, int height, int width, Image.Interpolation mode) {
        Shape shape = hwc.getShape();
        int h = (int) shape.get(0);
        int w = (int) shape.get(1);
        int c = (int) shape.get(2);
        // whole numbers in [0, 255]: exact as bytes, a quarter of the floats' memory traffic
        byte[] pixels = hwc.toType(DataType.UINT8, false).toByteArray();
        int[] out = resize(pixels, h, w, c, outH, outW, new int[] {top, left, height, width}, mode);
        float[] result = new float[out.length];
        for (int i = 0; i < out.length; i++) {
            result[i] = out[i];
        }
        return hwc.getManager().create(result, new Shape(height, width, c));
    }

    /**
     * Resizes an (H, W, C) image of 8-bit values to (outH, outW) and returns a window of the result.
     *
     * @param pixels the image, row-major (H, W, C), unsigned 8-bit values
     * @param h its height
     * @param w its width
     * @param c its channels
     * @param outH the height of the full resize
     * @param outW its width
     * @param window {top, left, height, width} of the window returned, inside (outH, outW)
     * @param mode {@code BILINEAR} or {@code BICUBIC}
     * @return the window, row-major (height, width, C), values in [0, 255]
     */
    static int[] resize(
            byte[] pixels, int h, int w, int c, int outH, int outW, int[] window, Image.Interpolation mode) {
        int top = window[0];
        int left = window[1];
        int height = window[2];
        int width = window[3];
        if (pixels.length != h * w * c) {
            throw new IllegalArgumentException(
                    "Image of " + pixels.length + " values is not " + h + " x " + w + " x " + c);
        }
        if (top < 0 || left < 0 || height <= 0 || width <= 0 || top + height > outH || left + width > outW) {
            throw new IllegalArgumentException("Window " + top + "," + left + " " + height + "x" + width
                    + " is not inside the " + outH + "x" + outW + " resize");
        }
        CenterCrop.checkInterpolation(mode);
        boolean bicubic = mode == Image.Interpolation.BICUBIC;
        // rows of the input the window's vertical pass reads (all of them when no vertical pass)
        Pass vertical = outH == h ? null : pass(h, outH, bicubic);
        int firstRow = top;
        int lastRow = top + height;
        if (vertical != null) {
            firstRow = vertical.first[top];
            lastRow = 0;
            for (int y = top; y < top + height; y++) {
                lastRow = Math.max(lastRow, vertical.first[y] + vertical.count[y]);
            }
        }
        // horizontal pass over those rows, window columns only: (lastRow - firstRow, width, c)
        int rows = lastRow - firstRow;
        int[] temp = new int[rows * width * c];
        if (outW == w) {
            for (int y = 0; y < rows; y++) {
                int from = ((firstRow + y) * w + left) * c;
                for (int j = 0; j < width * c; j++) {
                    temp[y * width * c + j] = pixels[from + j] & 0xFF;
                }
            }
        } else {
            Pass horizontal = pass(w, outW, bicubic);
            for (int y = 0; y < rows; y++) {
                int rowIn = (firstRow + y) * w * c;
                int rowOut = y * width * c;
                for (int x = 0; x < width; x++) {
                    int xx = left + x;
                    int from = horizontal.first[xx];
                    int k = xx * horizontal.ksize;
                    for (int ch = 0; ch < c; ch++) {
                        int sum = HALF;
                        for (int i = 0; i < horizontal.count[xx]; i++) {
                            sum += (pixels[rowIn + (from + i) * c + ch] & 0xFF) * horizontal.weights[k + i];
                        }
                        temp[rowOut + x * c + ch] = clip8(sum);
                    }
                }
            }
        }
        if (vertical == null) {
            return temp;
        }
        int[] out = new int[height * width * c];
        int stride = width * c;
        for (int y = 0; y < height; y++) {
            int yy = top + y;
            int from = vertical.first[yy] - firstRow;
            int k = yy * vertical.ksize;
            for (int j = 0; j < stride; j++) {
                int sum = HALF;
                for (int i = 0; i < vertical.count[yy]; i++) {
                    sum += temp[(from + i) * stride + j] * vertical.weights[k + i];
                }
                out[y * stride + j] = clip8(sum);
            }
        }
        return out;
    }

    /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for one axis. */
    private static Pass pass(int inSize, int outSize, boolean bicubic) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = (bicubic ? 2.0 : 1.0) * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * ksize];
        double[] k = new double[ksize];
        double inverse = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double total = 0;
            for (int x = 0; x < xmax; x++) {
                double t = (x + xmin - center + 0.5) * inverse;
                k[x] = bicubic ? bicubic(t) : bilinear(t);
                total += k[x];
            }
            for (int x = 0; x < xmax; x++) {
                double normalised = total != 0 ? k[x] / total : k[x];
                weights[xx * ksize + x] = (int) (normalised < 0 ? -0.5 + normalised * ONE : 0.5 + normalised * ONE);
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
        return new Pass(first, count, weights, ksize);
    }

    private static double bilinear(double x) {
        double a = Math.abs(x);
        return a < 1 ? 1 - a : 0;
    }

    /** Keys' cubic convolution with {@code a = -0.5}, Pillow's. */
    private static double bicubic(double x) {
        final double a = -0.5;
        double t = Math.abs(x);
        if (t < 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        if (t < 2) {
            return (((t - 5) * t + 8) * t - 4) * a;
        }
        return 0;
    }

    private static int clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
