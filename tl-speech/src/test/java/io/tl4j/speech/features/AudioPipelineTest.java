package io.tl4j.speech.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Components;
import io.tl4j.core.InputPipeline;
import io.tl4j.speech.audio.Audio;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AudioPipelineTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * A 0.6 s "word": a tone gliding from 300 to 900 Hz with a 1.8 kHz overtone, at {@code rate}
     * (the longer form adds seeded white noise).
     */
    private static Audio word(int rate, float gain) {
        return word(rate, gain, 0.6, 0);
    }

    private static Audio word(int rate, float gain, double seconds, double noiseLevel) {
        int n = (int) (seconds * rate);
        float[] x = new float[n];
        Random noise = new Random(rate);
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double envelope = Math.sin(Math.PI * i / n);
            x[i] = (float) (gain
                    * (envelope
                                    * (0.6 * Math.sin(2 * Math.PI * (300 * t + 500 * t * t))
                                            + 0.2 * Math.sin(2 * Math.PI * 1800 * t))
                            + noiseLevel * noise.nextGaussian()));
        }
        return new Audio(x, rate, "word@" + rate);
    }

    private static float[] features(InputPipeline<Audio> pipeline, List<Audio> inputs, boolean training, long seed) {
        try (NDManager step = manager.newSubManager()) {
            NDArray out =
                    pipeline.batch(step, inputs, training, new Random(seed)).head();
            assertThat(out.getShape()).isEqualTo(new Shape(inputs.size()).addAll(pipeline.sampleShape()));
            return out.toFloatArray();
        }
    }

    @Test
    void shapesFollowTheSettings() {
        assertThat(AudioPipeline.builder().build().sampleShape()).isEqualTo(new Shape(1, 40, 101));
        assertThat(AudioPipeline.builder().optMfcc(13).build().sampleShape()).isEqualTo(new Shape(1, 13, 101));
        assertThat(AudioPipeline.builder()
                        .optClipSamples(8000)
                        .optMelSpectrogram(MelSpectrogram.builder()
                                .optHopLength(320)
                                .optMels(64)
                                .build())
                        .build()
                        .sampleShape())
                .isEqualTo(new Shape(1, 64, 26));
    }

    @Test
    void standardisesEachClipSoGainDoesNotMatter() {
        // a clip that fills the whole window: in padding, the log's epsilon floor does not scale with the gain
        AudioPipeline pipeline = AudioPipeline.builder().build();
        float[] quiet = features(pipeline, List.of(word(16000, 0.1f, 1.2, 0.01)), false, 0);
        float[] loud = features(pipeline, List.of(word(16000, 0.9f, 1.2, 0.01)), false, 0);
        // without standardisation the log-mel would differ by log(81) = 4.4 everywhere
        assertThat(meanAbsDifference(quiet, loud)).isLessThan(0.01);
        double mean = 0;
        double square = 0;
        for (int i = 0; i < quiet.length; i++) {
            mean += quiet[i];
            square += quiet[i] * quiet[i];
        }
        assertThat(mean / quiet.length).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(square / quiet.length).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void resamplesOtherRatesToNearlyTheSameFeatures() {
        AudioPipeline pipeline = AudioPipeline.builder().build();
        float[] native16 = features(pipeline, List.of(word(16000, 0.5f)), false, 0);
        float[] from44 = features(pipeline, List.of(word(44100, 0.5f)), false, 0);
        float[] from8 = features(pipeline, List.of(word(8000, 0.5f)), false, 0);
        assertThat(meanAbsDifference(native16, from44)).isLessThan(0.05);
        // 8 kHz audio has nothing above 4 kHz: close in the low bands only, so just clearly closer than silence
        assertThat(meanAbsDifference(native16, from8)).isLessThan(0.5);
    }

    private static double meanAbsDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    @Test
    void augmentsOnlyInTrainingAndRepeatsWithTheSeed() {
        AudioPipeline plain = AudioPipeline.builder().build();
        AudioPipeline augmented = plain.toBuilder()
                .optRandomCrop(true)
                .optSpecAugment(new SpecAugment(2, 8, 2, 20))
                .build();
        assertThat(plain.isRandomInTraining()).isFalse();
        assertThat(augmented.isRandomInTraining()).isTrue();
        assertThat(plain.toBuilder()
                        .optSpecAugment(new SpecAugment(0, 5, 0, 5))
                        .build()
                        .isRandomInTraining())
                .isFalse();
        List<Audio> batch = List.of(word(16000, 0.5f), word(16000, 0.3f));
        assertThat(features(augmented, batch, false, 1)).containsExactly(features(plain, batch, false, 2));
        assertThat(features(augmented, batch, true, 7)).containsExactly(features(augmented, batch, true, 7));
        assertThat(features(augmented, batch, true, 7)).isNotEqualTo(features(augmented, batch, true, 8));
    }

    @Test
    void specAugmentZeroesWholeRowsAndFrames() {
        try (NDManager step = manager.newSubManager()) {
            NDArray ones = step.ones(new Shape(3, 40, 101));
            float[] masked =
                    new SpecAugment(1, 10, 1, 30).apply(ones, new Random(11)).toFloatArray();
            int zeros = 0;
            for (float v : masked) {
                zeros += v == 0 ? 1 : 0;
            }
            assertThat(zeros).isPositive().isLessThan(3 * (10 * 101 + 30 * 40));
            for (int b = 0; b < 3; b++) {
                for (int r = 0; r < 40; r++) {
                    int rowZeros = 0;
                    for (int t = 0; t < 101; t++) {
                        rowZeros += masked[(b * 40 + r) * 101 + t] == 0 ? 1 : 0;
                    }
                    // a row is either fully masked (frequency mask) or masked only in time-mask frames
                    assertThat(rowZeros == 101 || rowZeros <= 30).isTrue();
                }
            }
        }
    }

    @Test
    void rebuildsFromItsConfigThroughComponents() {
        AudioPipeline pipeline = AudioPipeline.builder()
                .optMfcc(20)
                .optClipSamples(12000)
                .optRandomCrop(true)
                .optSpecAugment(new SpecAugment(1, 4, 1, 8))
                .optMelSpectrogram(MelSpectrogram.builder()
                        .optMelScale(MelScale.SLANEY)
                        .optSlaneyNorm(true)
                        .build())
                .build();
        InputPipeline<?> rebuilt = Components.pipeline(AudioPipeline.ID, pipeline.config());
        assertThat(rebuilt.config()).isEqualTo(pipeline.config());
        @SuppressWarnings("unchecked")
        InputPipeline<Audio> typed = (InputPipeline<Audio>) rebuilt;
        List<Audio> batch = List.of(word(16000, 0.5f));
        assertThat(features(typed, batch, true, 3)).containsExactly(features(pipeline, batch, true, 3));
    }

    @Test
    void rejectsEmptyRecordingsNamingThem() {
        AudioPipeline pipeline = AudioPipeline.builder().build();
        List<Audio> batch = List.of(word(16000, 0.5f), new Audio(new float[0], 16000, "silence.wav"));
        assertThatThrownBy(() -> features(pipeline, batch, false, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Input 1")
                .hasMessageContaining("silence.wav");
    }
}
