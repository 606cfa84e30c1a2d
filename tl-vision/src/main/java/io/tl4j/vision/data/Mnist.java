package io.tl4j.vision.data;

import io.tl4j.core.data.LabeledData;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST-style data sets of 28x28 grayscale images: their class names, and Fashion-MNIST read from a
 * directory of its four IDX files. (The 2,500-digit MNIST subset of tl4j's examples is in the
 * tl-demo-data artifact, not in tl-vision.)
 */
public final class Mnist {

    /** The ten digit classes, "0" to "9". */
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /** Fashion-MNIST's ten classes in label order. */
    public static final List<String> FASHION_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** Image side in pixels. */
    public static final int SIDE = 28;

    private Mnist() {}

    /**
     * Fashion-MNIST from a directory holding {@code train-images-idx3-ubyte.gz},
     * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz} and
     * {@code t10k-labels-idx1-ubyte.gz} (as Debian's package and the original site ship them).
     *
     * @param directory the directory, e.g. {@link #DEBIAN_FASHION_MNIST}
     * @param train true for the 60,000 training images, false for the 10,000 test images
     * @return the images, each 784 values in [0, 1]
     */
    public static LabeledData<float[]> fashion(Path directory, boolean train) {
        String prefix = train ? "train" : "t10k";
        return IdxDatasets.load(
                directory.resolve(prefix + "-images-idx3-ubyte.gz"),
                directory.resolve(prefix + "-labels-idx1-ubyte.gz"),
                FASHION_CLASSES);
    }
}
