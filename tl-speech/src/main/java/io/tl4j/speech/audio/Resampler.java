package io.tl4j.speech.audio;

/**
 * Band-limited resampling with a Hann-windowed sinc filter, the same kernel as torchaudio's
 * {@code functional.resample} ({@code sinc_interp_hann}, 6 zero crossings, roll-off 0.99): frequencies
 * below the lower of the two Nyquist frequencies pass, those above it are removed instead of
 * folding back as aliases.
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 6;
    private static final double ROLLOFF = 0.99;

    private Resampler() {}

    /**
     * @param samples the signal
     * @param fromRate its sample rate
     * @param toRate the wanted sample rate
     * @return the signal at {@code toRate}, {@code ceil(length * toRate / fromRate)} samples long
     */
    public static float[] resample(float[] samples, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("Sample rates must be positive: " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate) {
            return samples.clone();
        }
        int gcd = gcd(fromRate, toRate);
        int orig = fromRate / gcd;
        int next = toRate / gcd;
        double base = Math.min(orig, next) * ROLLOFF;
        int width = (int) Math.ceil(ZERO_CROSSINGS * orig / base);
        int taps = 2 * width + orig;
        double[][] kernels = new double[next][taps];
        for (int phase = 0; phase < next; phase++) {
            for (int k = 0; k < taps; k++) {
                double t = (-phase / (double) next + (k - width) / (double) orig) * base;
                t = Math.max(-ZERO_CROSSINGS, Math.min(ZERO_CROSSINGS, t));
                double window = Math.pow(Math.cos(t * Math.PI / ZERO_CROSSINGS / 2), 2);
                double x = t * Math.PI;
                double sinc = x == 0 ? 1.0 : Math.sin(x) / x;
                kernels[phase][k] = sinc * window * base / orig;
            }
        }
        int length = (int) Math.ceil((double) toRate * samples.length / fromRate);
        float[] out = new float[length];
        for (int j = 0; j < length; j++) {
            int block = j / next;
            double[] kernel = kernels[j % next];
            int start = block * orig - width;
            double sum = 0;
            int kFrom = Math.max(0, -start);
            int kTo = Math.min(taps, samples.length - start);
            for (int k = kFrom; k < kTo; k++) {
                sum += samples[start + k] * kernel[k];
            }
            out[j] = (float) sum;
        }
        return out;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
