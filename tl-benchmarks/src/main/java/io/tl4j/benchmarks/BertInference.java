package io.tl4j.benchmarks;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OrtException;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Classifying one batch of {@code batch} texts (padded to {@code length} tokens) with a MiniLM-sized
 * BERT, from strings to probabilities, tokenisation included: tl4j's {@link
 * TransferModel#probabilities} on a saved and reloaded all-MiniLM-L6-v2 classifier against DJL's
 * tokenizer and {@code BertBlock} of the same size (see {@link BertTraining}), and against ONNX
 * Runtime on langchain4j's MiniLM file with the same head ({@link OrtMiniLm}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class BertInference {

    /** A tl4j classifier on all-MiniLM-L6-v2, trained, saved and loaded back. */
    @State(Scope.Benchmark)
    public static class Tl4j {
        BertEncoder encoder;
        TransferModel<String> model;
        List<String> texts;
        Path directory;

        /**
         * Fits a head on the texts (frozen encoder), saves the model and loads it back.
         *
         * @param d the workload ({@code samples} is ignored: one batch of {@code batch} texts)
         * @throws IOException if the temporary directory cannot be written
         */
        @Setup
        public void setup(BertTraining.Data d) throws IOException {
            texts = d.texts.subList(0, d.batch);
            encoder = Bert.allMiniLmL6V2();
            directory = Files.createTempDirectory("tl4j-bench-bert");
            try (Backbone<String> backbone = encoder.backbone(Pooling.MEAN, d.length);
                    TransferModel<String> trained =
                            Tl4jSide.learner(backbone, d.batch, 1).fit(d.data)) {
                trained.save(directory);
            }
            try (Backbone<String> spec = encoder.backbone(Pooling.MEAN, d.length)) {
                model = TransferModel.load(directory, spec);
            }
        }

        /** Frees the model. */
        @TearDown
        public void tearDown() {
            model.close();
            encoder.close();
        }
    }

    /** The same saved classifier loaded again and served through ONNX Runtime. */
    @State(Scope.Benchmark)
    public static class Tl4jOnnx {
        TransferModel<String> model;
        List<String> texts;

        /**
         * Loads the saved model, moves its inference to ONNX Runtime and checks that it scores as the
         * engine does.
         *
         * @param d the workload
         * @param t the engine side, whose saved model this loads
         */
        @Setup
        public void setup(BertTraining.Data d, Tl4j t) {
            texts = t.texts;
            try (Backbone<String> spec = t.encoder.backbone(Pooling.MEAN, d.length)) {
                model = TransferModel.load(t.directory, spec);
            }
            if (!model.optimizeForInference()) {
                throw new IllegalStateException("optimizeForInference() declined; see the log");
            }
            Workloads.requireSameProbabilities(
                    "optimizeForInference()", t.model.probabilities(texts), model.probabilities(texts));
        }

        /** Frees the model. */
        @TearDown
        public void tearDown() {
            model.close();
        }
    }

    /** The raw-DJL classifier and tokenizer. */
    @State(Scope.Benchmark)
    public static class Djl {
        Model model;
        List<String> texts;

        /**
         * Builds the classifier and loads its weights.
         *
         * @param d the workload
         * @param b the weights and tokenizer
         */
        @Setup
        public void setup(BertTraining.Data d, BertTraining.Djl b) {
            texts = d.texts.subList(0, d.batch);
            model = Model.newInstance("baseline", d.target);
            BertTraining.loadRaw(model, b.weights, d.length);
        }

        /** Frees the classifier. */
        @TearDown
        public void tearDown() {
            model.close();
        }
    }

    /**
     * Classifies one batch of texts with tl4j's fine-tuned BERT model.
     *
     * @param t the model
     * @return the probabilities
     */
    @Benchmark
    public float[][] predict_tl4j(Tl4j t) {
        return t.model.probabilities(t.texts);
    }

    /**
     * Classifies one batch of texts with tl4j's classifier after {@code optimizeForInference()}.
     *
     * @param t the ONNX-served model
     * @return the probabilities
     */
    @Benchmark
    public float[][] predict_tl4jOnnx(Tl4jOnnx t) {
        return t.model.probabilities(t.texts);
    }

    /**
     * Classifies one batch of texts with ONNX Runtime on langchain4j's MiniLM file and the same head.
     *
     * @param o the ONNX Runtime side
     * @return the probabilities
     * @throws OrtException if ONNX Runtime fails
     */
    @Benchmark
    public float[][] predict_ort(OrtMiniLm o) throws OrtException {
        return o.predict();
    }

    /**
     * Classifies one batch of texts with the raw-DJL tokenizer and classifier.
     *
     * @param d the workload
     * @param b the tokenizer
     * @param r the classifier
     * @return the probabilities
     */
    @Benchmark
    public float[] predict_djl(BertTraining.Data d, BertTraining.Djl b, Djl r) {
        try (NDManager sm = r.model.getNDManager().newSubManager()) {
            NDList x = Texts.encode(b.tokenizer, r.texts, d.length, sm);
            NDList logits = r.model.getBlock().forward(new ParameterStore(sm, false), x, false);
            return logits.head().softmax(1).toFloatArray();
        }
    }
}
