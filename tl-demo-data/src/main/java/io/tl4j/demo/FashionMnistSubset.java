package io.tl4j.demo;

import java.nio.file.Path;

/**
 * Locates the vendored Fashion-MNIST subset (Zalando, MIT; see the README and licence beside the files in
 * {@code io/tl4j/demo/fashion}): 1,000 training images (100 per class) and 2,500 test images (250 per class),
 * as gzip IDX files, classes interleaved. Read them with tl-vision:
 *
 * <pre>{@code
 * LabeledData<float[]> source = IdxDatasets.load(FashionMnistSubset.sourceImages(), FashionMnistSubset.sourceLabels(),
 *         Mnist.FASHION_CLASSES);
 * }</pre>
 */
public final class FashionMnistSubset {

    private FashionMnistSubset() {}

    /** Returns the training images file, shape (1000, 28, 28), copied out of the jar once per JVM. */
    public static Path sourceImages() {
        return Copied.SOURCE_IMAGES;
    }

    /** Returns the training labels file, shape (1000), copied out of the jar once per JVM. */
    public static Path sourceLabels() {
        return Copied.SOURCE_LABELS;
    }

    /** Returns the test images file, shape (2500, 28, 28), copied out of the jar once per JVM. */
    public static Path targetImages() {
        return Copied.TARGET_IMAGES;
    }

    /** Returns the test labels file, shape (2500), copied out of the jar once per JVM. */
    public static Path targetLabels() {
        return Copied.TARGET_LABELS;
    }

    /** Copies the files when first used: the JVM initialises this class once, thread-safely. */
    private static final class Copied {
        static final Path SOURCE_IMAGES = DemoResources.copy("fashion/fashion-source-images-idx3-ubyte.gz");
        static final Path SOURCE_LABELS = DemoResources.copy("fashion/fashion-source-labels-idx1-ubyte.gz");
        static final Path TARGET_IMAGES = DemoResources.copy("fashion/fashion-target-images-idx3-ubyte.gz");
        static final Path TARGET_LABELS = DemoResources.copy("fashion/fashion-target-labels-idx1-ubyte.gz");
    }
}
