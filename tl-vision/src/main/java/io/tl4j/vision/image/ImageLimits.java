package io.tl4j.vision.image;

import java.util.Locale;

/**
 * Limits the size an image may declare before it is decoded, so a small file that claims to be
 * huge (a "decompression bomb": a 109 KB PNG declaring 30,000 x 30,000 pixels) is refused from its
 * header in milliseconds instead of filling memory for seconds and failing with an overflow.
 *
 * <p>The declared width and height are read from the file's header without reading any pixels.
 * An image above either limit is an {@link ImageTooLargeException} naming the file, its declared
 * size and the limit. {@link #DEFAULT} allows 64 megapixels and 16,384 pixels per side, far above
 * what a 224x224 network needs; raise it for larger images with {@link
 * ImagePipeline#imageLimits(ImageLimits)} or {@link ImageFolder#optImageLimits(ImageLimits)}:
 *
 * <pre>{@code
 * ImagePipeline<Path> pipeline = ImagePipeline.forFiles(224).imageLimits(new ImageLimits(200_000_000, 20_000));
 * }</pre>
 *
 * @param maxPixels the most pixels (width x height) an image may declare, at most {@link
 *     #MAX_PIXELS_CEILING}
 * @param maxSide the most pixels along either side
 */
public record ImageLimits(long maxPixels, int maxSide) {

    /** 64 megapixels (e.g. 8000 x 8000) and 16,384 pixels per side. */
    public static final ImageLimits DEFAULT = new ImageLimits(64_000_000L, 16_384);

    /**
     * The largest pixel limit that can be set: DJL converts an image to an array through Java
     * {@code int} arrays of one value per pixel and channel, which cannot hold more than 2^31 - 1
     * values, so 4 channels of 2^29 - 1 pixels is the ceiling.
     */
    public static final long MAX_PIXELS_CEILING = Integer.MAX_VALUE / 4;

    /** Checks that both limits are positive and below {@link #MAX_PIXELS_CEILING}. */
    public ImageLimits {
        if (maxPixels <= 0 || maxPixels > MAX_PIXELS_CEILING) {
            throw new IllegalArgumentException("ImageLimits maxPixels must be in [1, " + MAX_PIXELS_CEILING
                    + "] (DJL converts images through int arrays), got " + maxPixels);
        }
        if (maxSide <= 0) {
            throw new IllegalArgumentException("ImageLimits maxSide must be positive, got " + maxSide);
        }
    }

    /**
     * Refuses an image whose declared size is above these limits.
     *
     * @param source the image's name for the message: "Image file x.png", or "Input 3 to pipeline tl4j.vision.image"
     * @param width the declared width
     * @param height the declared height
     * @throws ImageTooLargeException when the image is larger than allowed
     */
    public void check(String source, int width, int height) {
        if (width > maxSide || height > maxSide || (long) width * height > maxPixels) {
            throw new ImageTooLargeException(source, width, height, this);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%,d pixels and %,d per side", maxPixels, maxSide);
    }
}
