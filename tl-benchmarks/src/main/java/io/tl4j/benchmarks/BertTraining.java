package io.tl4j.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.tl4j.benchmarks.nets.RawBertClassifier;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
 * Fine-tuning a MiniLM-sized BERT text classifier (6 layers, hidden 384), sequences padded to
 * {@code length} tokens: one operation is a one-epoch run over {@code samples} texts in batches of
 * {@code batch}, tokenisation included. tl4j: {@code fit} with all-MiniLM-L6-v2 (tl-nlp's BERT,
 * mean pooling) fully unfrozen; raw DJL: DJL's {@code BertBlock} of the same size with mean pooling,
 * DJL's tokenizer and a {@code Trainer} loop. Both with Adam and a linear head.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class BertTraining {

    /** The texts. */
    @State(Scope.Benchmark)
    public static class Data {
        /** Texts per epoch. */
        @Param("64")
        public int samples;
        /** Texts per step. */
        @Param("16")
        public int batch;
        /** Tokens per text after padding and truncation. */
        @Param("128")
        public int length;
        /** cpu or gpu. */
        @Param("cpu")
        public String device;

        List<String> texts;
        LabeledData<String> data;
        Device target;

        /** Makes the texts. */
        @Setup
        public void setup() {
            target = Workloads.device(device);
            texts = Texts.sentences(samples, 11);
            int[] labels = new int[samples];
            Arrays.setAll(labels, i -> i % Workloads.CLASSES);
            data = LabeledData.of(
                    texts, labels, Workloads.labelled(List.of(new float[1])).classNames());
        }
    }

    /** all-MiniLM-L6-v2 as a tl4j backbone. */
    @State(Scope.Benchmark)
    public static class Tl4j {
        BertEncoder encoder;
        Backbone<String> backbone;

        /**
         * Loads the encoder from the classpath.
         *
         * @param d the workload
         */
        @Setup
        public void setup(Data d) {
            encoder = Bert.allMiniLmL6V2();
            backbone = encoder.backbone(Pooling.MEAN, d.length);
        }

        /** Frees it. */
        @TearDown
        public void tearDown() {
            backbone.close();
            encoder.close();
        }
    }

    /** The raw-DJL classifier's initial weights and DJL's tokenizer. */
    @State(Scope.Benchmark)
    public static class Djl {
        byte[] weights;
        HuggingFaceTokenizer tokenizer;

        /**
         * Initializes the weights once, as the "pretrained" ones, and loads the tokenizer.
         *
         * @param d the workload
         */
        @Setup
        public void setup(Data d) {
            tokenizer = Texts.djlTokenizer(d.length);
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(7);
                RawBertClassifier net = new RawBertClassifier(d.length, Workloads.CLASSES);
                net.initialize(manager, DataType.FLOAT32, inputShapes(d.length));
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    net.saveParameters(out);
                }
                weights = bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Frees the tokenizer. */
        @TearDown
        public void tearDown() {
            tokenizer.close();
        }
    }

    static Shape[] inputShapes(int length) {
        return new Shape[] {new Shape(1, length), new Shape(1, length), new Shape(1, length)};
    }

    /**
     * Builds the raw-DJL classifier and loads its weights.
     *
     * @param model receives the block
     * @param weights from {@link Djl}
     * @param length the sequence length
     */
    static void loadRaw(Model model, byte[] weights, int length) {
        RawBertClassifier net = new RawBertClassifier(length, Workloads.CLASSES);
        net.initialize(model.getNDManager(), DataType.FLOAT32, inputShapes(length));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
            net.loadParameters(model.getNDManager(), in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalStateException("Cannot load the baseline's weights", e);
        }
        RawDjlTraining.attachGradients(net);
        model.setBlock(net);
    }

    /**
     * Fine-tunes the whole BERT backbone and head for one epoch with tl4j's {@code fit}.
     *
     * @param d the workload
     * @param t the backbone
     * @return the epoch's loss
     */
    @Benchmark
    public double fullFineTune_tl4j(Data d, Tl4j t) {
        try (TransferModel<String> model =
                Tl4jSide.learner(t.backbone, d.batch, 1).unfreezeAll().fit(d.data)) {
            return model.history().last().trainLoss();
        }
    }

    /**
     * Fine-tunes the whole BERT network for one epoch with a raw-DJL training loop.
     *
     * @param d the workload
     * @param b the weights and tokenizer
     * @return the epoch's loss
     */
    @Benchmark
    public double fullFineTune_djl(Data d, Djl b) {
        try (Model model = Model.newInstance("baseline", d.target)) {
            loadRaw(model, b.weights, d.length);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(Tl4jSide.LEARNING_RATE))
                            .build())
                    .optDevices(new Device[] {d.target}))) {
                double lossSum = 0;
                int[] labels = d.data.labels();
                for (int start = 0; start < d.samples; start += d.batch) {
                    int end = Math.min(d.samples, start + d.batch);
                    try (NDManager sm = trainer.getManager().newSubManager()) {
                        NDList x = Texts.encode(b.tokenizer, d.texts.subList(start, end), d.length, sm);
                        float[] y = new float[end - start];
                        for (int i = start; i < end; i++) {
                            y[i - start] = labels[i];
                        }
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray loss = trainer.getLoss().evaluate(new NDList(sm.create(y)), trainer.forward(x));
                            gc.backward(loss);
                            lossSum += loss.getFloat() * (end - start);
                        }
                        trainer.step();
                    }
                }
                return lossSum / d.samples;
            }
        }
    }
}
