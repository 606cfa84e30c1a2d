package io.tl4j.vision.image;

import java.util.Locale;

/**
 * Signals an image whose declared size is above its {@link ImageLimits}; it was refused from its
 * header, before any pixel was decoded. The message names the image, the declared size, the limit
 * and how to raise it.
 */
public final class ImageTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int width;
    private final int height;
    private final transient ImageLimits limits;

    /**
     * Creates the exception.
     *
     * @param source the image: a file, or an input of a batch
     * @param width its declared width
     * @param height its declared height
     * @param limits the limits it exceeds
     */
    public ImageTooLargeException(String source, int width, int height, ImageLimits limits) {
        super(String.format(
                Locale.ROOT,
                "%s declares %,d x %,d pixels (%,d), above the image limit of %s; it"
                        + " was not decoded. Shrink the image, or raise the limit with"
                        + " ImagePipeline.imageLimits(new ImageLimits(maxPixels, maxSide))"
                        + " or ImageFolder.optImageLimits(...)",
                source,
                width,
                height,
                (long) width * height,
                limits));
        this.source = source;
        this.width = width;
        this.height = height;
        this.limits = limits;
    }

    /** Returns the image that is too large: a file, or an input of a batch. */
    public String source() {
        return source;
    }

    /** Returns the declared width. */
    public int width() {
        return width;
    }

    /** Returns the declared height. */
    public int height() {
        return height;
    }

    /** Returns the limits the image exceeds. */
    public ImageLimits limits() {
        return limits;
    }
}
