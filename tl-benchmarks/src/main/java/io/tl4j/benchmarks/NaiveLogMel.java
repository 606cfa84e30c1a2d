package io.tl4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.speech.features.MelFilterbank;
import io.tl4j.speech.features.MelScale;

/**
 * The naive baseline of the log-mel benchmark: standardised log-mel features computed in plain
 * Java, clip by clip and frame by frame (centred frames with reflect padding, periodic Hann window,
 * a direct DFT from precomputed tables, power, torchaudio's HTK mel filterbank, {@code log(x +
 * 1e-6)}, then each clip standardised to zero mean and unit variance), handed to DJL as one array.
 * It computes what tl-speech's default {@code AudioPipeline} computes on the engine.
 */
public final class NaiveLogMel {

    private static final float LOG_EPSILON = 1e-6f;

    private final int nFft;
    private final int hop;
    private final int mels;
    private final int bins;
    private final double[] window;
    private final double[] cos;
    private final double[] sin;
    private final float[][] filterbank;

    /**
     * Creates a log-mel feature extractor with the given framing and number of mel bands.
     *
     * @param sampleRate the sample rate
     * @param nFft the window and DFT size
     * @param hop the hop between frames
     * @param mels the number of mel bands
     */
    public NaiveLogMel(int sampleRate, int nFft, int hop, int mels) {
        this.nFft = nFft;
        this.hop = hop;
        this.mels = mels;
        this.bins = nFft / 2 + 1;
        window = new double[nFft];
        for (int i = 0; i < nFft; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / nFft);
        }
        cos = new double[bins * nFft];
        sin = new double[bins * nFft];
        for (int k = 0; k < bins; k++) {
            for (int n = 0; n < nFft; n++) {
                double angle = 2 * Math.PI * ((long) k * n % nFft) / nFft;
                cos[k * nFft + n] = Math.cos(angle);
                sin[k * nFft + n] = Math.sin(angle);
            }
        }
        filterbank = MelFilterbank.create(bins, 0, sampleRate / 2.0, mels, sampleRate, MelScale.HTK, false);
    }

    /**
     * Computes standardised log-mel features of equally long clips.
     *
     * @param clips waveforms, all of the same length (more than {@code nFft / 2} samples)
     * @param manager creates the result
     * @return (clips, 1, mels, frames) standardised log-mel features
     */
    public NDArray compute(float[][] clips, NDManager manager) {
        int samples = clips[0].length;
        int frames = 1 + samples / hop;
        float[] out = new float[clips.length * mels * frames];
        double[] frame = new double[nFft];
        double[] power = new double[bins];
        for (int c = 0; c < clips.length; c++) {
            float[] x = clips[c];
            int base = c * mels * frames;
            for (int t = 0; t < frames; t++) {
                int start = t * hop - nFft / 2;
                for (int n = 0; n < nFft; n++) {
                    frame[n] = reflect(x, start + n) * window[n];
                }
                for (int k = 0; k < bins; k++) {
                    double re = 0;
                    double im = 0;
                    int row = k * nFft;
                    for (int n = 0; n < nFft; n++) {
                        re += frame[n] * cos[row + n];
                        im -= frame[n] * sin[row + n];
                    }
                    power[k] = re * re + im * im;
                }
                for (int m = 0; m < mels; m++) {
                    double sum = 0;
                    for (int k = 0; k < bins; k++) {
                        sum += filterbank[k][m] * power[k];
                    }
                    out[base + m * frames + t] = (float) Math.log(sum + LOG_EPSILON);
                }
            }
            standardise(out, base, mels * frames);
        }
        return manager.create(out, new Shape(clips.length, 1, mels, frames));
    }

    private static float reflect(float[] x, int i) {
        int n = x.length;
        int j = i < 0 ? -i : i;
        return x[j >= n ? 2 * (n - 1) - j : j];
    }

    private static void standardise(float[] values, int from, int count) {
        double mean = 0;
        for (int i = from; i < from + count; i++) {
            mean += values[i];
        }
        mean /= count;
        double variance = 0;
        for (int i = from; i < from + count; i++) {
            double d = values[i] - mean;
            variance += d * d;
        }
        double std = Math.sqrt(variance / count) + 1e-5;
        for (int i = from; i < from + count; i++) {
            values[i] = (float) ((values[i] - mean) / std);
        }
    }
}
