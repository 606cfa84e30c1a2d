package io.tl4j.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
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
 * Training a linear head on cached 512-dimensional features (ResNet-18's), where per-operation
 * overhead dominates: one operation is an {@code epochs}-epoch run over {@code samples} feature
 * vectors in batches of {@code batch}. tl4j's {@code fit} on an identity backbone (frozen, so the
 * features are cached) against the raw-DJL {@code Trainer} loop on the same array.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class HeadTraining {

    static final Shape FEATURES = new Shape(ReferenceNets.RESNET18_FEATURES);

    /** The feature vectors. */
    @State(Scope.Benchmark)
    public static class Data {
        /** Feature vectors per epoch. */
        @Param("2048")
        public int samples;
        /** Vectors per step. */
        @Param("32")
        public int batch;
        /** Passes over the data. */
        @Param("5")
        public int epochs;
        /** cpu or gpu. */
        @Param("cpu")
        public String device;

        List<float[]> features;
        LabeledData<float[]> data;
        Device target;
        Backbone<float[]> identity;

        /** Makes the features and the identity backbone. */
        @Setup
        public void setup() {
            target = Workloads.device(device);
            features = Workloads.samples(samples, FEATURES, 2);
            data = Workloads.labelled(features);
            identity = Tl4jSide.backbone(Tl4jSide.identity(), FEATURES, null);
        }

        /** Frees the backbone. */
        @TearDown
        public void tearDown() {
            identity.close();
        }
    }

    /**
     * Trains a head on fixed feature vectors with tl4j's {@code fit}.
     *
     * @param d the workload
     * @return the last epoch's loss
     */
    @Benchmark
    public double head_tl4j(Data d) {
        try (TransferModel<float[]> model =
                Tl4jSide.learner(d.identity, d.batch, d.epochs).freezeAll().fit(d.data)) {
            return model.history().last().trainLoss();
        }
    }

    /**
     * Trains the same head on fixed feature vectors with a raw-DJL training loop.
     *
     * @param d the workload
     * @return the last epoch's loss
     */
    @Benchmark
    public double head_djl(Data d) {
        try (RawDjlTraining run = new RawDjlTraining(
                ReferenceNets::identity, null, FEATURES, 1, Tl4jSide.LEARNING_RATE, d.target, Tl4jSide.SEED)) {
            NDArray cached = run.cacheFeatures(d.features);
            int[] labels = d.data.labels();
            double loss = 0;
            for (int epoch = 1; epoch <= d.epochs; epoch++) {
                loss = run.epochOnFeatures(cached, labels, d.batch, Tl4jSide.SEED + epoch);
            }
            return loss;
        }
    }
}
