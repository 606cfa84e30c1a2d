package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.ArrayInput;
import io.tl4j.core.FileInput;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFormatException;
import io.tl4j.speech.audio.Wav;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Feeds mono waveforms (16 kHz for the published wav2vec2 / HuBERT checkpoints, as {@code
 * float[]} in [-1, 1]) to a wav2vec2 backbone: each is cut to at most {@code maxSamples}, by
 * default standardized to zero mean and unit variance over its real samples (Hugging Face's {@code
 * do_normalize}), and zero-padded; a second row marks real samples so that padding is masked in
 * attention and pooling. Sample shape {@code (2, maxSamples)}.
 *
 * <p>As a {@link FileInput} it reads WAV files, mixed down to mono and resampled to {@value #SAMPLE_RATE} Hz (see
 * {@link #readFile}); as an {@link ArrayInput} it takes any non-empty array, of which the first {@code maxSamples}
 * samples are used.
 */
public final class WaveformPipeline implements io.tl4j.core.InputPipeline<float[]>, FileInput<float[]>, ArrayInput {

    /** The id under which this pipeline is registered in {@link io.tl4j.core.Components}. */
    public static final String ID = "tl4j.wav2vec2.waveform";

    /** The sample rate, in Hz, of the published wav2vec2 and HuBERT checkpoints, to which {@link #readFile} resamples. */
    public static final int SAMPLE_RATE = 16_000;

    private final int maxSamples;
    private final boolean normalize;

    private WaveformPipeline(int maxSamples, boolean normalize) {
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
        }
        this.maxSamples = maxSamples;
        this.normalize = normalize;
    }

    /**
     * Creates a pipeline that standardizes each recording and keeps at most {@code maxSamples} samples.
     *
     * @param maxSamples the longest recording kept, in samples (e.g. 16000 for one second at 16 kHz)
     * @return a pipeline that standardizes each recording
     */
    public static WaveformPipeline of(int maxSamples) {
        return new WaveformPipeline(maxSamples, true);
    }

    /**
     * Returns a copy that standardizes recordings or passes samples unchanged.
     *
     * @param normalize false to pass samples unchanged (for checkpoints trained without {@code
     *     do_normalize})
     * @return a copy with that setting
     */
    public WaveformPipeline normalize(boolean normalize) {
        return new WaveformPipeline(maxSamples, normalize);
    }

    /** Returns the longest recording kept, in samples. */
    public int maxSamples() {
        return maxSamples;
    }

    @Override
    public Shape sampleShape() {
        return new Shape(2, maxSamples);
    }

    @Override
    public NDList batch(NDManager manager, List<float[]> inputs, boolean training, Random random) {
        float[] flat = new float[inputs.size() * 2 * maxSamples];
        for (int i = 0; i < inputs.size(); i++) {
            float[] x = inputs.get(i);
            if (x == null || !acceptsLength(x.length)) {
                throw new IllegalArgumentException("recording " + i + " of the batch is empty");
            }
            int n = Math.min(x.length, maxSamples);
            double mean = 0;
            for (int j = 0; j < n; j++) {
                if (!Float.isFinite(x[j])) {
                    throw new IllegalArgumentException(
                            "recording " + i + " of the batch has " + x[j] + " at sample " + j);
                }
                mean += x[j];
            }
            mean /= n;
            double var = 0;
            for (int j = 0; j < n; j++) {
                var += (x[j] - mean) * (x[j] - mean);
            }
            double scale = 1 / Math.sqrt(var / n + 1e-7);
            int row = i * 2 * maxSamples;
            for (int j = 0; j < n; j++) {
                flat[row + j] = normalize ? (float) ((x[j] - mean) * scale) : x[j];
                flat[row + maxSamples + j] = 1f;
            }
        }
        return new NDList(manager.create(flat, new Shape(inputs.size(), 2, maxSamples)));
    }

    /**
     * Reads a WAV file as tl-speech's {@link io.tl4j.speech.features.AudioPipeline} does ({@link Wav#read}: PCM or
     * float, within the default {@link io.tl4j.speech.audio.AudioLimits}, mixed down to mono), resampled to
     * {@value #SAMPLE_RATE} Hz; the recording is then cut to {@code maxSamples} in {@link #batch} as any array is.
     *
     * @param file a WAV file
     * @return its samples at {@value #SAMPLE_RATE} Hz, in [-1, 1]
     * @throws AudioFormatException naming the file when it is not a supported WAV file within the limits, or holds
     *     no samples
     */
    @Override
    public float[] readFile(Path file) {
        Audio audio = Wav.read(file);
        if (audio.samples().length == 0) {
            throw new AudioFormatException(file.toString(), "the recording holds no samples");
        }
        return audio.resampledTo(SAMPLE_RATE).samples();
    }

    /** Accepts any non-empty recording: a longer one is cut to {@code maxSamples}, a shorter one padded. */
    @Override
    public boolean acceptsLength(int length) {
        return length > 0;
    }

    @Override
    public String acceptedArrays() {
        return "non-empty arrays of " + SAMPLE_RATE + " Hz samples (the first " + maxSamples + " are used)";
    }

    @Override
    public boolean isRandomInTraining() {
        return false;
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * The configuration of a {@link WaveformPipeline}, as saved models store it.
     *
     * @param maxSamples the longest recording kept, in samples
     * @param normalize whether each recording is standardized
     */
    public record Config(int maxSamples, boolean normalize) {}

    @Override
    public Config config() {
        return new Config(maxSamples, normalize);
    }

    /**
     * Rebuilds a pipeline from {@link #config()}.
     *
     * @param config the configuration
     * @return the pipeline
     */
    public static WaveformPipeline fromConfig(Config config) {
        return new WaveformPipeline(config.maxSamples(), config.normalize());
    }
}
