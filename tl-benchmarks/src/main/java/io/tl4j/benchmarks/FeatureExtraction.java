package io.tl4j.benchmarks;

import ai.djl.ndarray.NDArray;
import io.tl4j.benchmarks.nets.ReferenceNets;
import io.tl4j.core.TransferModel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Feature extraction with a frozen ResNet-18 at 224² and a linear head: one operation is a whole
 * {@code epochs}-epoch run over {@code samples} images. {@code naive} runs the frozen backbone for
 * every batch of every epoch; {@code cached} runs it once (that cost included) and trains the head on
 * the stored features, computed on the engine or ({@code cached_tl4jOnnx}) on ONNX Runtime. tl4j's
 * {@code fit} ({@code featureCache(false)} / the default / {@code featuresOnOnnxRuntime(true)}) against
 * the same two loops in raw DJL.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class FeatureExtraction {

    /** The workload: ResNet-18's images plus the number of epochs. */
    @State(Scope.Benchmark)
    public static class Run {
        /** Passes over the data. */
        @Param("10")
        public int epochs;
    }

    /**
     * Trains a linear head on a frozen ResNet-18 with tl4j, running the backbone for every batch.
     *
     * @param d the images
     * @param t the backbone
     * @param r the epochs
     * @return the last epoch's loss
     */
    @Benchmark
    public double naive_tl4j(ResNet18Training.Data d, ResNet18Training.Tl4j t, Run r) {
        try (TransferModel<float[]> model = Tl4jSide.learner(t.backbone, d.batch, r.epochs)
                .freezeAll()
                .featureCache(false)
                .fit(d.data)) {
            return model.history().last().trainLoss();
        }
    }

    /**
     * Trains a linear head on a frozen ResNet-18 with tl4j's feature cache, running the backbone once.
     *
     * @param d the images
     * @param t the backbone
     * @param r the epochs
     * @return the last epoch's loss
     */
    @Benchmark
    public double cached_tl4j(ResNet18Training.Data d, ResNet18Training.Tl4j t, Run r) {
        try (TransferModel<float[]> model =
                Tl4jSide.learner(t.backbone, d.batch, r.epochs).freezeAll().fit(d.data)) {
            return model.history().last().trainLoss();
        }
    }

    /**
     * Trains a linear head on a frozen ResNet-18 with tl4j's feature cache computed on ONNX Runtime
     * ({@code featuresOnOnnxRuntime(true)}: the backbone exported and run there once, that cost included).
     *
     * @param d the images
     * @param t the backbone
     * @param r the epochs
     * @return the last epoch's loss
     */
    @Benchmark
    public double cached_tl4jOnnx(ResNet18Training.Data d, ResNet18Training.Tl4j t, Run r) {
        try (TransferModel<float[]> model = Tl4jSide.learner(t.backbone, d.batch, r.epochs)
                .freezeAll()
                .featuresOnOnnxRuntime(true)
                .fit(d.data)) {
            return model.history().last().trainLoss();
        }
    }

    /**
     * Trains a linear head on a frozen ResNet-18 in raw DJL, running the backbone for every batch.
     *
     * @param d the images
     * @param b the weights
     * @param r the epochs
     * @return the last epoch's loss
     */
    @Benchmark
    public double naive_djl(ResNet18Training.Data d, ResNet18Training.Djl b, Run r) {
        try (RawDjlTraining run = frozen(d, b)) {
            double loss = 0;
            int[] labels = d.data.labels();
            for (int epoch = 1; epoch <= r.epochs; epoch++) {
                loss = run.epoch(d.images, labels, d.batch, Tl4jSide.SEED + epoch);
            }
            return loss;
        }
    }

    /**
     * Trains a linear head in raw DJL on features the frozen ResNet-18 computed once.
     *
     * @param d the images
     * @param b the weights
     * @param r the epochs
     * @return the last epoch's loss
     */
    @Benchmark
    public double cached_djl(ResNet18Training.Data d, ResNet18Training.Djl b, Run r) {
        try (RawDjlTraining run = frozen(d, b)) {
            NDArray features = run.cacheFeatures(d.images);
            double loss = 0;
            int[] labels = d.data.labels();
            for (int epoch = 1; epoch <= r.epochs; epoch++) {
                loss = run.epochOnFeatures(features, labels, d.batch, Tl4jSide.SEED + epoch);
            }
            return loss;
        }
    }

    private static RawDjlTraining frozen(ResNet18Training.Data d, ResNet18Training.Djl b) {
        return new RawDjlTraining(
                ReferenceNets::resnet18,
                b.pretrained,
                ResNet18Training.IMAGE,
                ReferenceNets.resnet18().size(),
                Tl4jSide.LEARNING_RATE,
                d.target,
                Tl4jSide.SEED);
    }
}
