package io.tl4j.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.tl4j.benchmarks.nets.ReferenceNets;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.util.List;
import java.util.Locale;
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
 * features are cached) against the raw-DJL {@code Trainer} loop on the same array. tl4j trains such
 * a head in plain Java ({@code io.tl4j.core.train.JavaLinearHead}); {@code
 * -Dtl4j.train.javaHead=false} in the forked JVM times its engine steps instead. At the end the
 * trained head's loss and accuracy on its training vectors are printed ({@code HEAD ...}), to set
 * beside PyTorch's.
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

        /**
         * Prints, once, what the timed run reaches (not timed): the trained head's mean cross-entropy and
         * accuracy on its training vectors, the numbers {@code pytorch_reference.py} reports for its head.
         */
        @TearDown
        public void tearDown() {
            try (TransferModel<float[]> model =
                    Tl4jSide.learner(identity, batch, epochs).freezeAll().fit(data)) {
                float[][] p = model.probabilities(data.inputs());
                double loss = 0;
                int right = 0;
                for (int i = 0; i < p.length; i++) {
                    int label = data.label(i);
                    loss -= Math.log(p[i][label]);
                    int best = 0;
                    for (int c = 1; c < p[i].length; c++) {
                        best = p[i][c] > p[i][best] ? c : best;
                    }
                    right += best == label ? 1 : 0;
                }
                System.out.printf(
                        Locale.ROOT,
                        "%nHEAD tl4j trained head on its %d training vectors: loss %.4f, accuracy %.4f%n",
                        p.length,
                        loss / p.length,
                        (double) right / p.length);
            } finally {
                identity.close();
            }
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
