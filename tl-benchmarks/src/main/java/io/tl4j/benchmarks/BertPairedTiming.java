package io.tl4j.benchmarks;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times MiniLM classification through tl4j's {@code optimizeForInference()} and through ONNX Runtime on
 * langchain4j's file ({@link OrtMiniLm}) call by call in one JVM, alternating which goes first, and prints
 * the median of the per-pair ratios: the comparison without the between-process noise of the headline's
 * separate forks (whose MiniLM ratio moved 0.87-1.08 between runs). The same states as {@link
 * BertInference}'s JMH benchmarks, probabilities checked equal within 1e-4 at setup.
 *
 * <p>{@code java -cp tl-benchmarks/target/benchmarks.jar io.tl4j.benchmarks.BertPairedTiming [pairs]}
 * (default 60 pairs after 10 warm-up pairs).
 */
public final class BertPairedTiming {

    private BertPairedTiming() {}

    /**
     * Sets both sides up, times the pairs and prints both medians and the ratio's median and quartiles.
     *
     * @param args the number of timed pairs, optional
     * @throws IOException if the trained model cannot be saved
     * @throws OrtException if ONNX Runtime fails
     */
    public static void main(String[] args) throws IOException, OrtException {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        BertTraining.Data data = new BertTraining.Data();
        data.samples = 64;
        data.batch = 16;
        data.length = 128;
        data.device = "cpu";
        data.setup();
        BertInference.Tl4j engine = new BertInference.Tl4j();
        engine.setup(data);
        BertInference.Tl4jOnnx tl4j = new BertInference.Tl4jOnnx();
        tl4j.setup(data, engine);
        OrtMiniLm ort = new OrtMiniLm();
        ort.setup(data, engine);
        for (int i = 0; i < 10; i++) {
            tl4j.model.probabilities(tl4j.texts);
            ort.predict();
        }
        double[] tl4jMs = new double[pairs];
        double[] ortMs = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            for (int turn = 0; turn < 2; turn++) {
                long start = System.nanoTime();
                if ((turn == 0) == (i % 2 == 0)) {
                    tl4j.model.probabilities(tl4j.texts);
                    tl4jMs[i] = (System.nanoTime() - start) / 1e6;
                } else {
                    ort.predict();
                    ortMs[i] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            ratios[i] = ortMs[i] / tl4jMs[i];
        }
        Arrays.sort(tl4jMs);
        Arrays.sort(ortMs);
        Arrays.sort(ratios);
        System.out.printf(
                Locale.ROOT,
                "MiniLM b%d x %d, %d pairs: tl4j %.1f ms, ONNX Runtime %.1f ms (medians); throughput ratio tl4j / ONNX"
                        + " Runtime, per pair: median %.3f, quartiles %.3f-%.3f%n",
                data.batch,
                data.length,
                pairs,
                tl4jMs[pairs / 2],
                ortMs[pairs / 2],
                ratios[pairs / 2],
                ratios[pairs / 4],
                ratios[3 * pairs / 4]);
        ort.tearDown();
        tl4j.tearDown();
        engine.tearDown();
    }
}
