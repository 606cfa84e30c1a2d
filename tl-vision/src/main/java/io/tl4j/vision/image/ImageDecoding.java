package io.tl4j.vision.image;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;

/**
 * Turns one raw input of an {@link ImagePipeline}, a decoded {@link Image} or an image file, into a float (H, W, C)
 * array of values in [0, 255], refusing a null input, an empty image and one larger than the pipeline's
 * {@link ImageLimits} with a message naming the input.
 */
final class ImageDecoding {

    private ImageDecoding() {}

    /**
     * Decodes one input of a pipeline's batch.
     *
     * @param manager the manager that owns the array
     * @param input the raw input: an {@link Image}, or a {@link Path} when {@code source} is {@code FILE}
     * @param index the input's position in its batch, for messages
     * @param source what the pipeline's raw inputs are
     * @param grayscale whether to decode to one grayscale channel rather than RGB
     * @param limits the largest image decoded
     * @return a float (H, W, C) array of values in [0, 255]
     */
    static NDArray toArray(
            NDManager manager,
            Object input,
            int index,
            ImagePipeline.Source source,
            boolean grayscale,
            ImageLimits limits) {
        Image image;
        if (input == null) {
            throw new IllegalArgumentException("Input " + index + " to pipeline " + ImagePipeline.ID + " is null");
        }
        if (source == ImagePipeline.Source.FILE) {
            image = ImageFiles.read((Path) input, limits);
        } else {
            image = (Image) input;
            String name = "Input " + index + " to pipeline " + ImagePipeline.ID;
            if (image.getWidth() <= 0 || image.getHeight() <= 0) {
                throw new IllegalArgumentException(
                        name + " is an empty image (" + image.getWidth() + " x " + image.getHeight() + ")");
            }
            limits.check(name, image.getWidth(), image.getHeight());
        }
        return image.toNDArray(manager, grayscale ? Image.Flag.GRAYSCALE : Image.Flag.COLOR)
                .toType(DataType.FLOAT32, false);
    }
}
