package io.tl4j.speech.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void coPrimeRatesComputeTapsPerSampleInsteadOfTabulatingSixteenThousandPhases() {
        Resampler.Plan coPrime = Resampler.plan(44101, 16000);
        assertThat(coPrime.phases()).isZero();
        assertThat(coPrime.taps()).isLessThanOrEqualTo(40);
        assertThat(Resampler.plan(16000, 44101).taps()).isLessThanOrEqualTo(20);
        Resampler.Plan common = Resampler.plan(44100, 16000);
        assertThat(common.phases()).isEqualTo(160);
        assertThat(common.tableValues()).isLessThanOrEqualTo(160 * 40);
        int[][] pairs = {{44101, 1000}, {383999, 16000}, {1000, 384000}, {1, 16000}, {Integer.MAX_VALUE, 1}};
        for (int[] pair : pairs) {
            assertThat(Resampler.plan(pair[0], pair[1]).phases())
                    .as("%s", pair[0] + " -> " + pair[1])
                    .isLessThanOrEqualTo(Resampler.MAX_PHASES);
            assertThat(Resampler.plan(pair[0], pair[1]).tableValues()).isLessThanOrEqualTo(Resampler.MAX_TABLE_VALUES);
        }
    }

    @Test
    void keepsAToneAtACoPrimeRateAndRemovesOneAboveTheNewNyquist() {
        float[] out = Resampler.resample(tone(1000, 44101, 44101), 44101, 16000);
        assertThat(out).hasSize(16000);
        assertThat(amplitudeAt(out, 1000, 16000)).isBetween(0.99, 1.01);
        assertThat(amplitudeAt(out, 1100, 16000)).isLessThan(0.01);
        float[] high = Resampler.resample(tone(11000, 44101, 44101), 44101, 16000);
        assertThat(rms(high)).isLessThan(0.01);
        float[] up = Resampler.resample(tone(440, 16000, 16000), 16000, 44101);
        assertThat(up).hasSize(44101);
        assertThat(amplitudeAt(up, 440, 44101)).isBetween(0.99, 1.01);
    }

    @Test
    void perSampleTapsEqualTorchaudiosKernelAtTheExactPosition() {
        float[] x = tone(1234.5, 44101, 3000);
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) Math.cos(i * 0.37) * 0.3f;
        }
        float[] out = Resampler.resample(x, 44101, 16000);
        for (int j : new int[] {0, 1, 7, 500, 777, out.length - 1}) {
            assertThat((double) out[j])
                    .as("output %d", j)
                    .isCloseTo(torchaudioKernelSum(x, j, 44101, 16000), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /** torchaudio's sinc_interp_hann kernel summed over every input sample, straight from its definition. */
    private static double torchaudioKernelSum(float[] x, int j, int from, int to) {
        double scale = Math.min(from, to) * 0.99 / from;
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double t = Math.max(-6, Math.min(6, (i - j * (double) from / to) * scale));
            double sinc = t == 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
            sum += x[i] * sinc * Math.pow(Math.cos(t * Math.PI / 12), 2) * scale;
        }
        return sum;
    }

    @Test
    void refusesAResultLargerThanAnArray() {
        assertThatThrownBy(() -> Resampler.resample(new float[1_000_000], 1, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000000 samples from 1 Hz to 16000 Hz")
                .hasMessageContaining("shorter pieces");
    }
}
