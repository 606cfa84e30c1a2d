package io.tl4j.vision.data;

import io.tl4j.core.data.LabeledData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Labelled image arrays from IDX files (MNIST, Fashion-MNIST, and any data set in their format):
 * an images file of shape (n, height, width) and a labels file of shape (n), raw or gzip.
 *
 * <p>Each image becomes a {@code float[]} of {@code height * width} values in [0, 1], row-major,
 * ready for an {@link io.tl4j.vision.image.ArrayImagePipeline} of shape (1, height, width).
 */
public final class IdxDatasets {

    private IdxDatasets() {}

    /**
     * Reads an images file and a labels file.
     *
     * @param images the images file, shape (n, height, width)
     * @param labels the labels file, shape (n)
     * @param classNames the name of each label value
     * @return the labelled images
     * @throws IdxFile.IdxFormatException for a malformed file, counts that differ, or a label with
     *     no class name; the message names the file
     */
    public static LabeledData<float[]> load(Path images, Path labels, List<String> classNames) {
        return labeled(IdxFile.read(images), IdxFile.read(labels), classNames);
    }

    /**
     * Pairs images with labels.
     *
     * @param images rank-3 array (n, height, width)
     * @param labels rank-1 array (n)
     * @param classNames the name of each label value
     * @return the labelled images, values scaled to [0, 1]
     */
    public static LabeledData<float[]> labeled(IdxFile images, IdxFile labels, List<String> classNames) {
        int[] imageDims = images.dims();
        int[] labelDims = labels.dims();
        if (imageDims.length != 3) {
            throw new IdxFile.IdxFormatException(images.source() + ": images need 3 dimensions (n, height, width), got "
                    + Arrays.toString(imageDims));
        }
        if (labelDims.length != 1) {
            throw new IdxFile.IdxFormatException(
                    labels.source() + ": labels need 1 dimension (n), got " + Arrays.toString(labelDims));
        }
        if (imageDims[0] != labelDims[0]) {
            throw new IdxFile.IdxFormatException(images.source() + " has " + imageDims[0] + " images but "
                    + labels.source() + " has " + labelDims[0] + " labels");
        }
        byte[] labelBytes = labels.data();
        int[] y = new int[labelBytes.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labelBytes[i] & 0xff;
            if (y[i] >= classNames.size()) {
                throw new IdxFile.IdxFormatException(labels.source() + ": label " + y[i] + " of item " + i
                        + " has no class name (" + classNames.size() + " classes given)");
            }
        }
        List<float[]> x = new ArrayList<>(imageDims[0]);
        for (int i = 0; i < imageDims[0]; i++) {
            x.add(images.itemAsFloats(i));
        }
        return LabeledData.of(x, y, classNames);
    }
}
