package io.tl4j.benchmarks;

import ai.djl.ndarray.NDManager;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.features.AudioPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Log-mel feature throughput: {@code batch} one-second 16 kHz clips to standardised 40-band log-mel
 * features (400-sample window, 10 ms hop). tl4j: tl-speech's {@link AudioPipeline}, batched on the
 * engine (STFT and filterbank as array operations); baseline ({@code _djl} side): the same features
 * computed naively in plain Java clip by clip ({@link NaiveLogMel}) and handed to DJL.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class LogMel {

    /** The clips and both feature extractors. */
    @State(Scope.Benchmark)
    public static class Data {
        /** Clips per operation. */
        @Param("64")
        public int batch;
        /** cpu or gpu: the device of the output arrays (and, for tl4j, of the feature computation). */
        @Param("cpu")
        public String device;

        List<Audio> clips;
        float[][] waves;
        AudioPipeline pipeline;
        NaiveLogMel naive;
        NDManager manager;

        /** Makes the clips: a tone with harmonics and noise, a different pitch per clip. */
        @Setup
        public void setup() {
            Workloads.device(device);
            Random random = new Random(17);
            clips = new ArrayList<>(batch);
            waves = new float[batch][];
            for (int c = 0; c < batch; c++) {
                float[] x = new float[16000];
                double f = 100 + 400 * random.nextDouble();
                for (int i = 0; i < x.length; i++) {
                    double t = i / 16000.0;
                    x[i] = (float) (0.5 * Math.sin(2 * Math.PI * f * t)
                            + 0.2 * Math.sin(6 * Math.PI * f * t)
                            + 0.05 * random.nextGaussian());
                }
                waves[c] = x;
                clips.add(new Audio(x, 16000, "tone-" + c));
            }
            pipeline = AudioPipeline.builder().build();
            naive = new NaiveLogMel(16000, 400, 160, 40);
            manager = NDManager.newBaseManager();
        }

        /** Frees the manager. */
        @TearDown
        public void tearDown() {
            manager.close();
        }
    }

    /**
     * Computes log-mel features of the clips with tl-speech.
     *
     * @param d the workload
     * @return a checksum of the features, so the work is not optimized away
     */
    @Benchmark
    public float features_tl4j(Data d) {
        try (NDManager sm = d.manager.newSubManager()) {
            return d.pipeline.batch(sm, d.clips, false, null).head().getFloat(0, 0, 0, 0);
        }
    }

    /**
     * Computes log-mel features of the clips with a naive DJL implementation.
     *
     * @param d the workload
     * @return a checksum of the features, so the work is not optimized away
     */
    @Benchmark
    public float features_djl(Data d) {
        try (NDManager sm = d.manager.newSubManager()) {
            return d.naive.compute(d.waves, sm).getFloat(0, 0, 0, 0);
        }
    }
}
