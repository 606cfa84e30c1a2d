package io.tl4j.vision.data;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.vision.image.ArrayImagePipeline;
import io.tl4j.vision.models.BlockType;
import io.tl4j.vision.models.ResNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A small ResNet pretrained by tl4j on Fashion-MNIST, shipped inside tl-vision: the offline default
 * backbone for 28x28 grayscale images. It was made by the {@code VisionPretrain} example; the
 * resource {@code io/tl4j/vision/pretrained/fashion-mnist-resnet.json} records data, recipe,
 * epochs and test accuracy.
 *
 * <pre>{@code
 * Backbone<float[]> backbone = FashionMnistResNet.backbone();   // input (1, 28, 28) in [0, 1]
 * LabeledData<float[]> digits = IdxDatasets.load(images, labels, Mnist.DIGITS);   // e.g. MNIST's IDX files
 * TransferModel<float[]> model = TransferLearner.from(backbone).fit(digits.samplePerClass(10, 1));
 * }</pre>
 *
 * <p>Layers: {@code conv1}, {@code bn1}, {@code relu}, {@code layer1}, {@code layer2}, {@code
 * layer3}, {@code avgpool}; {@value #FEATURES} features.
 */
public final class FashionMnistResNet {

    /** The weights resource (and file name written by {@code VisionPretrain}). */
    public static final String WEIGHTS = "fashion-mnist-resnet.safetensors";
    /** The provenance resource (and file name written by {@code VisionPretrain}). */
    public static final String PROVENANCE = "fashion-mnist-resnet.json";
    /** The number of features the backbone outputs. */
    public static final int FEATURES = 64;

    private static final String RESOURCES = "/io/tl4j/vision/pretrained/";
    /** Fashion-MNIST's pixel mean and standard deviation (training set, values in [0, 1]). */
    private static final float MEAN = 0.2860f;

    private static final float STD = 0.3530f;

    private static volatile Path extracted;

    private FashionMnistResNet() {}

    /**
     * @return the architecture: basic blocks, one per stage, widths 16/32/64, small-image stem, no
     *     classifier
     */
    public static ResNet architecture() {
        return ResNet.builder()
                .setBlockType(BlockType.BASIC)
                .setBlocksPerStage(1, 1, 1)
                .optBaseWidth(FEATURES / 4)
                .optSmallImageStem(true)
                .build();
    }

    /**
     * @return the pipeline it was trained with, without augmentation: (1, 28, 28) inputs normalised
     *     with Fashion-MNIST's mean and standard deviation; add augmentation with {@link
     *     ArrayImagePipeline#randomShift} or {@link ArrayImagePipeline#horizontalFlip} and {@link
     *     Backbone#withPipeline}
     */
    public static ArrayImagePipeline pipeline() {
        return ArrayImagePipeline.of(1, Mnist.SIDE, Mnist.SIDE).normalize(MEAN, STD);
    }

    /**
     * @return the pretrained backbone; close it when done
     */
    public static Backbone<float[]> backbone() {
        Path weights = weightsFile();
        return Backbone.<float[]>builder()
                .setArchitecture(architecture())
                .setPipeline(pipeline())
                .optWeights(weights, "MIT")
                .optProvenance(new Provenance(
                        "tl4j:" + RESOURCES.substring(1) + WEIGHTS,
                        Provenance.sha256(weights),
                        "MIT",
                        provenance().toString()))
                .build();
    }

    /** @return a random-initialized backbone of the same architecture and pipeline: the scratch baseline */
    public static Backbone<float[]> untrained() {
        return Backbone.<float[]>builder()
                .setArchitecture(architecture())
                .setPipeline(pipeline())
                .build();
    }

    /** @return the shipped provenance record: data, recipe, epochs, test accuracy */
    public static JsonObject provenance() {
        try (InputStream in = open(PROVENANCE)) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCES + PROVENANCE, e);
        }
    }

    /** The weights resource as a file (copied out of the jar once per JVM). */
    private static Path weightsFile() {
        Path file = extracted;
        if (file == null) {
            synchronized (FashionMnistResNet.class) {
                file = extracted;
                if (file == null) {
                    try (InputStream in = open(WEIGHTS)) {
                        file = Files.createTempFile("tl4j-fashion-mnist-resnet", ".safetensors");
                        file.toFile().deleteOnExit();
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot extract " + RESOURCES + WEIGHTS, e);
                    }
                    extracted = file;
                }
            }
        }
        return file;
    }

    private static InputStream open(String name) {
        InputStream in = FashionMnistResNet.class.getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new IllegalStateException("Resource " + RESOURCES + name + " is missing from tl-vision");
        }
        return in;
    }
}
