package io.tl4j.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.benchmarks.nets.ReferenceNets;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
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
 * ResNet-18 (torchvision layout) fine-tuning at 224², one operation being a one-epoch run from
 * pretrained weights over {@code samples} images in batches of {@code batch}: tl4j's {@code fit}
 * with tl-vision's ResNet-18 against a hand-written DJL {@code Trainer} loop ({@link
 * RawDjlTraining}) on the same network written in plain DJL ({@link ReferenceNets#resnet18}), both
 * from the same weights. Both sides build the network and load the weights inside the operation, as
 * a real run does.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ResNet18Training {

    static final Shape IMAGE = new Shape(3, 224, 224);
    /** The index of {@code layer4} among ResNet's layers: conv1, bn1, relu, maxpool, layer1..4, avgpool. */
    static final int LAYER4 = 7;

    /** The images and labels. */
    @State(Scope.Benchmark)
    public static class Data {
        /** The number of images per epoch. */
        @Param("256")
        public int samples;
        /** Images per step. */
        @Param("16")
        public int batch;
        /** cpu or gpu. */
        @Param("cpu")
        public String device;

        List<float[]> images;
        LabeledData<float[]> data;
        Device target;

        /** Makes the images. */
        @Setup
        public void setup() {
            target = Workloads.device(device);
            images = Workloads.samples(samples, IMAGE, 1);
            data = Workloads.labelled(images);
        }
    }

    /** The tl4j backbone. */
    @State(Scope.Benchmark)
    public static class Tl4j {
        Backbone<float[]> backbone;

        /**
         * Builds the backbone with the pretrained weights.
         *
         * @param data the workload
         */
        @Setup
        public void setup(Data data) {
            try (NDManager manager = NDManager.newBaseManager()) {
                backbone = Tl4jSide.backbone(
                        Tl4jSide.vision("resnet18"), IMAGE, pretrained(manager).tl4j());
            }
        }

        /** Frees the weights. */
        @TearDown
        public void tearDown() {
            backbone.close();
        }
    }

    /** The raw-DJL side's pretrained weights. */
    @State(Scope.Benchmark)
    public static class Djl {
        byte[] pretrained;

        /** Serializes the pretrained weights. */
        @Setup
        public void setup() {
            try (NDManager manager = NDManager.newBaseManager()) {
                pretrained = pretrained(manager).djl();
            }
        }
    }

    static Workloads.PretrainedPair pretrained(NDManager manager) {
        return Workloads.pretrained(
                Tl4jSide.vision("resnet18"), ReferenceNets::resnet18, new Shape(1, 3, 224, 224), 7, manager);
    }

    /**
     * Fine-tunes the whole ResNet-18 for one epoch with tl4j's {@code fit}.
     *
     * @param d the workload
     * @param t the backbone
     * @return the epoch's loss
     */
    @Benchmark
    public double fullFineTune_tl4j(Data d, Tl4j t) {
        try (TransferModel<float[]> model =
                Tl4jSide.learner(t.backbone, d.batch, 1).unfreezeAll().fit(d.data)) {
            return model.history().last().trainLoss();
        }
    }

    /**
     * Fine-tunes the whole ResNet-18 for one epoch with a raw-DJL training loop.
     *
     * @param d the workload
     * @param b the weights
     * @return the epoch's loss
     */
    @Benchmark
    public double fullFineTune_djl(Data d, Djl b) {
        try (RawDjlTraining run = new RawDjlTraining(
                ReferenceNets::resnet18, b.pretrained, IMAGE, 0, Tl4jSide.LEARNING_RATE, d.target, Tl4jSide.SEED)) {
            return run.epoch(d.images, d.data.labels(), d.batch, Tl4jSide.SEED);
        }
    }

    /**
     * Trains layer4 and the head of ResNet-18 for one epoch with tl4j, the layers before frozen.
     *
     * @param d the workload
     * @param t the backbone
     * @return the epoch's loss
     */
    @Benchmark
    public double freezeUntilLayer4_tl4j(Data d, Tl4j t) {
        try (TransferModel<float[]> model =
                Tl4jSide.learner(t.backbone, d.batch, 1).freezeUntil("layer4").fit(d.data)) {
            return model.history().last().trainLoss();
        }
    }

    /**
     * Trains layer4 and the head of ResNet-18 for one epoch in raw DJL, the layers before frozen.
     *
     * @param d the workload
     * @param b the weights
     * @return the epoch's loss
     */
    @Benchmark
    public double freezeUntilLayer4_djl(Data d, Djl b) {
        try (RawDjlTraining run = new RawDjlTraining(
                ReferenceNets::resnet18,
                b.pretrained,
                IMAGE,
                LAYER4,
                Tl4jSide.LEARNING_RATE,
                d.target,
                Tl4jSide.SEED)) {
            return run.epoch(d.images, d.data.labels(), d.batch, Tl4jSide.SEED);
        }
    }
}
