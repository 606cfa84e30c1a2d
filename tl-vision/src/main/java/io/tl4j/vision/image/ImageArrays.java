package io.tl4j.vision.image;

import ai.djl.Device;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * Reads an image file into the {@code float[]} an {@link ArrayImagePipeline} takes: decoded by {@link ImageFiles} (the
 * decoder of {@link ImagePipeline}, with its checks and messages), converted to the pipeline's channels by DJL as
 * {@link ImagePipeline} converts (a colour file for one channel becomes its luma, {@code 0.299 R + 0.587 G + 0.114
 * B}; a grayscale file for three is copied to R, G and B), laid out channel-major then row-major, each 8-bit level
 * scaled to {@code level / 255}: the values tl-vision's IDX readers give, so the PNG of a Fashion-MNIST array reads
 * back as that very array.
 *
 * <p>A file of another size than the pipeline's is refused, naming both sizes, rather than resized: the pipeline
 * records no resize rule (squash, crop, pad, interpolation) and its model saw only arrays of exactly its size, so any
 * resize would be a guess the model may answer confidently and wrongly. A file with more pixels or a longer side
 * than the pipeline's is refused from its header, before its pixels are decoded.
 */
final class ImageArrays {

    private ImageArrays() {}

    /**
     * Reads one image file.
     *
     * @param file the file
     * @param channels the pipeline's channels: 1 (grayscale) or 3 (RGB)
     * @param height the pipeline's rows
     * @param width the pipeline's columns
     * @return {@code channels * height * width} values in [0, 1]
     * @throws ImageFileException when the file cannot be decoded, naming it
     * @throws IllegalArgumentException naming the file and both sizes when it is not {@code width x height}, or the
     *     pipeline when its channels are neither 1 nor 3
     */
    static float[] read(Path file, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("Pipeline " + ArrayImagePipeline.ID + " with " + channels
                    + " channels cannot read image file " + file
                    + ": image files decode to 1 (grayscale) or 3 (RGB) channels");
        }
        long pixels = Math.min((long) height * width, ImageLimits.MAX_PIXELS_CEILING);
        Image image;
        try {
            image = ImageFiles.read(file, new ImageLimits(pixels, Math.max(height, width)));
        } catch (ImageTooLargeException e) {
            throw wrongSize(file, e.width(), e.height(), height, width);
        }
        if (image.getWidth() != width || image.getHeight() != height) {
            throw wrongSize(file, image.getWidth(), image.getHeight(), height, width);
        }
        byte[] levels; // (height, width, channels)
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            levels = image.toNDArray(manager, channels == 1 ? Image.Flag.GRAYSCALE : Image.Flag.COLOR)
                    .toByteArray();
        }
        int plane = height * width;
        float[] values = new float[channels * plane];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                values[c * plane + p] = (levels[p * channels + c] & 0xff) / 255f;
            }
        }
        return values;
    }

    private static IllegalArgumentException wrongSize(Path file, int fileWidth, int fileHeight, int height, int width) {
        return new IllegalArgumentException("Image file " + file + " is " + fileWidth + " x " + fileHeight
                + " pixels (width x height); pipeline " + ArrayImagePipeline.ID + " takes " + width + " x " + height
                + " images and does not resize them: resize or crop the image as the model's training images were");
    }
}
