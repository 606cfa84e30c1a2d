package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.tl4j.core.ArrayInput;
import io.tl4j.core.FileInput;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFormatException;
import io.tl4j.speech.audio.Resampler;
import io.tl4j.speech.audio.Wav;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WaveformPipeline} as a {@link FileInput} and an {@link ArrayInput}: a 16-bit WAV written from a waveform
 * reads back as that waveform within half a 16-bit step, and the pipeline's standardized input from it is the
 * waveform's within what that step allows; other rates are resampled to 16 kHz; bad files are refused
 * naming them.
 */
class WaveformFileInputTest {

    /** Half a 16-bit step: {@link Wav#write16} rounds {@code v * 32768} to an integer. */
    private static final float HALF_STEP = 0.5f / 32768;

    @TempDir
    Path dir;

    @Test
    void aSixteenBitWavGivesTheWaveformsInputWithinItsQuantisation() {
        float[] waveform = ToySpeech.speak("abc", new Random(1));
        Path wav = dir.resolve("abc.wav");
        Wav.write16(wav, new Audio(waveform, WaveformPipeline.SAMPLE_RATE, "abc"));
        WaveformPipeline pipeline = WaveformPipeline.of(400);
        float[] read = pipeline.readFile(wav);
        assertThat(read).hasSameSizeAs(waveform);
        float samples = maxAbsDiff(read, waveform);
        assertThat(samples).isLessThanOrEqualTo(HALF_STEP);

        double std = std(waveform, 400);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] fromFile =
                    pipeline.batch(manager, List.of(read), false, null).head().toFloatArray();
            float[] fromArray = pipeline.batch(manager, List.of(waveform), false, null)
                    .head()
                    .toFloatArray();
            float inputs = maxAbsDiff(fromFile, fromArray);
            System.out.printf(
                    "wav2vec2 input from a 16-bit WAV: samples within %.2e (half step %.2e), standardized input"
                            + " within %.2e (clip std %.3f)%n",
                    samples, HALF_STEP, inputs, std);
            // y = (x - mean) / std moves by at most (2 + |y|) * step / std when every x moves by at most step
            float largest = 0;
            for (float y : fromArray) {
                largest = Math.max(largest, Math.abs(y));
            }
            assertThat(inputs).isLessThanOrEqualTo((float) ((2 + largest) * HALF_STEP / std) + 1e-6f);
        }
    }

    @Test
    void otherRatesAreResampledToSixteenKilohertz() {
        float[] tone = new float[4000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 8000));
        }
        Path wav = dir.resolve("tone-8k.wav");
        Wav.write16(wav, new Audio(tone, 8000, "tone"));
        float[] read = WaveformPipeline.of(16_000).readFile(wav);
        assertThat(read).hasSize(8000);
        assertThat(read).containsExactly(Resampler.resample(Wav.read(wav).samples(), 8000, 16_000));
    }

    @Test
    void badOrEmptyFilesAreRefusedNamingThem() throws Exception {
        Path text = Files.writeString(dir.resolve("note.wav"), "not a recording");
        assertThatThrownBy(() -> WaveformPipeline.of(400).readFile(text))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining(text.toString());
        Path empty = Files.write(dir.resolve("empty.wav"), Wav.encode(new float[0], 16_000, 1, false, 16));
        assertThatThrownBy(() -> WaveformPipeline.of(400).readFile(empty))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining(empty.toString());
    }

    @Test
    void asAnArrayInputItTakesAnyNonEmptyRecording() {
        ArrayInput input = WaveformPipeline.of(400);
        assertThat(input.acceptsLength(0)).isFalse();
        assertThat(input.acceptsLength(1)).isTrue();
        assertThat(input.acceptsLength(100_000)).isTrue();
        assertThat(input.acceptedArrays()).contains("16000 Hz").contains("first 400");
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double std(float[] x, int n) {
        int m = Math.min(n, x.length);
        double mean = 0;
        for (int i = 0; i < m; i++) {
            mean += x[i];
        }
        mean /= m;
        double var = 0;
        for (int i = 0; i < m; i++) {
            var += (x[i] - mean) * (x[i] - mean);
        }
        return Math.sqrt(var / m);
    }
}
