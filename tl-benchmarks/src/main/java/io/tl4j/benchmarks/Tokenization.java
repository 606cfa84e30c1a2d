package io.tl4j.benchmarks;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.text.TextPipeline;
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
 * Tokenisation throughput: {@code batch} texts to BERT input arrays padded to {@code length}
 * tokens. tl4j's {@link TextPipeline} (all-MiniLM-L6-v2's tokenizer, one text at a time) against
 * DJL's {@link HuggingFaceTokenizer#batchEncode} with the same {@code tokenizer.json}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class Tokenization {

    /** The texts and both tokenizers. */
    @State(Scope.Benchmark)
    public static class Data {
        /** Texts per operation. */
        @Param("256")
        public int batch;
        /** Tokens per text after padding and truncation. */
        @Param("128")
        public int length;
        /** cpu or gpu: the device of the output arrays (and, for tl4j, of the feature computation). */
        @Param("cpu")
        public String device;

        List<String> texts;
        BertEncoder encoder;
        TextPipeline pipeline;
        HuggingFaceTokenizer djl;
        NDManager manager;

        /** Loads the tokenizers and makes the texts. */
        @Setup
        public void setup() {
            Workloads.device(device);
            texts = Texts.sentences(batch, 13);
            encoder = Bert.allMiniLmL6V2();
            pipeline = encoder.pipeline(length);
            djl = Texts.djlTokenizer(length);
            manager = NDManager.newBaseManager();
        }

        /** Frees them. */
        @TearDown
        public void tearDown() {
            djl.close();
            encoder.close();
            manager.close();
        }
    }

    /**
     * Tokenizes the texts with tl-nlp's tokenizer.
     *
     * @param d the workload
     * @return the shape's size, so the work is not optimized away
     */
    @Benchmark
    public long encode_tl4j(Data d) {
        try (NDManager sm = d.manager.newSubManager()) {
            NDList x = d.pipeline.batch(sm, d.texts, false, null);
            return x.head().size();
        }
    }

    /**
     * Tokenizes the texts with DJL's Hugging Face tokenizer.
     *
     * @param d the workload
     * @return the shape's size, so the work is not optimized away
     */
    @Benchmark
    public long encode_djl(Data d) {
        try (NDManager sm = d.manager.newSubManager()) {
            NDList x = Texts.encode(d.djl, d.texts, d.length, sm);
            return x.head().size() * x.size();
        }
    }
}
