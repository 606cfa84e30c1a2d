package io.tl4j.benchmarks;

import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.vision.image.Preprocessing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each of tl-vision's image architectures costs to run: one batch of {@code float[]} images at the
 * input size of the architecture's weights ({@link Preprocessing#torchvision}: 299² for Inception-v3, 224²
 * for the others) to class probabilities through {@link TransferModel#probabilities} (backbone + linear head,
 * fitted, saved and loaded back as a user serves it), per torchvision architecture name. Its
 * PyTorch eager counterpart is {@code scripts/pytorch_reference.py --cases
 * VisionInference.predict:<model>}; peak RSS comes from {@link PeakRssProfiler}. There is no raw-DJL
 * side: the point is each network's cost beside PyTorch's, not tl4j's overhead (which {@link
 * Inference} measures on ResNet-50).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class VisionInference {

    /** The batch of images and a model of the architecture. */
    @State(Scope.Benchmark)
    public static class Data {
        /** A torchvision architecture name tl-vision builds. */
        @Param({
            "mobilenet_v3_large",
            "mobilenet_v3_small",
            "efficientnet_b0",
            "convnext_tiny",
            "resnet50",
            "vit_b_16",
            "inception_v3"
        })
        public String model;
        /** Images per batch. */
        @Param("16")
        public int batch;
        /** cpu or gpu. */
        @Param("cpu")
        public String device;

        List<float[]> images;
        TransferModel<float[]> classifier;

        /**
         * Makes the images, fits a head on ten images, saves the model and loads it back.
         *
         * @throws IOException if the temporary directory cannot be written
         */
        @Setup
        public void setup() throws IOException {
            Workloads.device(device);
            Shape image = imageShape(model);
            images = Workloads.samples(batch, image, 3);
            Path dir = Files.createTempDirectory("tl4j-bench-vision");
            try (Backbone<float[]> backbone = Tl4jSide.backbone(Tl4jSide.vision(model), image, null);
                    TransferModel<float[]> trained = Tl4jSide.learner(backbone, 10, 1)
                            .fit(Workloads.labelled(Workloads.samples(Workloads.CLASSES, image, 4)))) {
                trained.save(dir);
            }
            try (Backbone<float[]> spec = Tl4jSide.backbone(Tl4jSide.vision(model), image, null)) {
                classifier = TransferModel.load(dir, spec);
            }
        }

        /** Frees the model. */
        @TearDown
        public void tearDown() {
            classifier.close();
        }
    }

    /**
     * Returns one image's shape at the input size of an architecture's ImageNet weights.
     *
     * @param model a torchvision architecture name
     * @return (3, size, size)
     */
    static Shape imageShape(String model) {
        int size = Preprocessing.torchvision(model).crop();
        return new Shape(3, size, size);
    }

    /**
     * Classifies one batch.
     *
     * @param d the workload
     * @return the probabilities
     */
    @Benchmark
    public float[][] predict_tl4j(Data d) {
        return d.classifier.probabilities(d.images);
    }
}
