package io.tl4j.speech.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static float[] tone(double hz, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
        }
        return x;
    }

    /** Amplitude of the component at {@code hz}, by correlation over the middle of the signal. */
    private static double amplitudeAt(float[] x, double hz, int rate) {
        double re = 0;
        double im = 0;
        int from = x.length / 4;
        int to = 3 * x.length / 4;
        for (int i = from; i < to; i++) {
            re += x[i] * Math.cos(2 * Math.PI * hz * i / rate);
            im += x[i] * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(re, im) / (to - from);
    }

    private static double rms(float[] x) {
        double sum = 0;
        int from = x.length / 4;
        int to = 3 * x.length / 4;
        for (int i = from; i < to; i++) {
            sum += x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    @Test
    void keepsAToneAtItsFrequency() {
        float[] out = Resampler.resample(tone(1000, 44100, 44100), 44100, 16000);
        assertThat(out).hasSize(16000);
        assertThat(amplitudeAt(out, 1000, 16000)).isBetween(0.99, 1.01);
        assertThat(amplitudeAt(out, 1100, 16000)).isLessThan(0.01);
    }

    @Test
    void removesAToneAboveTheNewNyquistInsteadOfAliasingIt() {
        // 11 kHz is above 8 kHz: naive decimation would fold it to 5 kHz
        float[] out = Resampler.resample(tone(11000, 48000, 48000), 48000, 16000);
        assertThat(rms(out)).isLessThan(0.01);
        assertThat(amplitudeAt(out, 5000, 16000)).isLessThan(0.005);
    }

    @Test
    void upsamplesWithoutChangingTheTone() {
        float[] out = Resampler.resample(tone(440, 8000, 8000), 8000, 16000);
        assertThat(out).hasSize(16000);
        assertThat(amplitudeAt(out, 440, 16000)).isBetween(0.99, 1.01);
    }

    @Test
    void sameRateIsACopy() {
        float[] x = tone(300, 16000, 100);
        float[] out = Resampler.resample(x, 16000, 16000);
        assertThat(out).containsExactly(x).isNotSameAs(x);
    }
}
