package io.tl4j.speech.audio;

/**
 * Band-limited resampling with a Hann-windowed sinc filter, the same kernel as torchaudio's
 * {@code functional.resample} ({@code sinc_interp_hann}, 6 zero crossings, roll-off 0.99): frequencies
 * below the lower of the two Nyquist frequencies pass, those above it are removed instead of
 * folding back as aliases.
 *
 * <p>The cost is linear in the signal's length whatever the two rates. When the reduced ratio of
 * the rates needs at most {@value #MAX_PHASES} kernel phases (every common pair: 44.1, 48, 22.05,
 * 11.025 or 8 kHz to 16 kHz and back), the phases are tabulated once and the output equals
 * torchaudio's polyphase convolution. Otherwise (co-prime rates such as 44,101 Hz to 16 kHz, whose
 * exact table would hold 16,000 phases) each output sample's taps are computed from the exact
 * position of that sample, with two sine-cosine pairs per output sample and no table.
 */
public final class Resampler {

    /** The most kernel phases tabulated; rate pairs needing more compute their taps per output sample. */
    static final int MAX_PHASES = 1000;
    /** The most kernel values tabulated (8 MB of doubles). */
    static final long MAX_TABLE_VALUES = 1 << 20;

    private static final int ZERO_CROSSINGS = 6;
    private static final double ROLLOFF = 0.99;
    /** Below this |x|, sin(x)/x is taken from its Taylor series (1 - x^2/6, exact to 1e-18). */
    private static final double SMALL_ANGLE = 1e-4;

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Resampler() {}

    /**
     * How a rate pair is resampled.
     *
     * @param phases kernel phases tabulated; 0 when the taps are computed per output sample
     * @param taps the most input samples one output sample reads
     */
    record Plan(int phases, long taps) {

        /** Returns the number of kernel values tabulated. */
        long tableValues() {
            return phases * taps;
        }
    }

    /**
     * Resamples a signal.
     *
     * @param samples the signal
     * @param fromRate its sample rate
     * @param toRate the wanted sample rate
     * @return the signal at {@code toRate}, {@code ceil(length * toRate / fromRate)} samples long
     * @throws IllegalArgumentException when a rate is not positive or the result would not fit in an array
     */
    public static float[] resample(float[] samples, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("Sample rates must be positive: " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate) {
            return samples.clone();
        }
        double exactLength = Math.ceil((double) toRate * samples.length / fromRate);
        if (exactLength > MAX_ARRAY) {
            throw new IllegalArgumentException("Resampling " + samples.length + " samples from " + fromRate
                    + " Hz to " + toRate + " Hz would make " + (long) exactLength
                    + " samples, more than a Java array holds; cut the signal into shorter pieces first");
        }
        int length = (int) exactLength;
        return plan(fromRate, toRate).phases() > 0
                ? tabulated(samples, fromRate, toRate, length)
                : perOutputSample(samples, fromRate, toRate, length);
    }

    /**
     * Plans a conversion: whether the pair's kernel is tabulated and how many taps an output sample reads.
     *
     * @param fromRate the input's sample rate
     * @param toRate the output's sample rate
     * @return whether the pair's kernel is tabulated and how many taps an output sample reads
     */
    static Plan plan(int fromRate, int toRate) {
        int gcd = gcd(fromRate, toRate);
        int orig = fromRate / gcd;
        int next = toRate / gcd;
        long taps = 2 * (long) Math.ceil(radius(fromRate, toRate)) + 3;
        boolean tabulate = next <= MAX_PHASES && next * taps <= MAX_TABLE_VALUES;
        return new Plan(tabulate ? next : 0, taps);
    }

    /** Half the kernel's support, in input samples: the taps beyond it are zero. */
    private static double radius(int fromRate, int toRate) {
        return ZERO_CROSSINGS / scale(fromRate, toRate);
    }

    /** The kernel's argument per input sample: {@code min(from, to) * rolloff / from}. */
    private static double scale(int fromRate, int toRate) {
        return Math.min(fromRate, toRate) * ROLLOFF / fromRate;
    }

    /**
     * torchaudio's polyphase convolution: the output sample {@code j = block * next + phase} reads the
     * inputs from {@code block * orig - width} with the kernel of its phase. Each phase keeps only
     * its taps inside the six zero crossings (the ones outside are below 1e-48).
     */
    private static float[] tabulated(float[] samples, int fromRate, int toRate, int length) {
        int gcd = gcd(fromRate, toRate);
        int orig = fromRate / gcd;
        int next = toRate / gcd;
        double base = Math.min(orig, next) * ROLLOFF;
        int width = (int) Math.ceil(ZERO_CROSSINGS * (double) orig / base);
        int taps = 2 * width + orig;
        double reach = ZERO_CROSSINGS * (double) orig / base;
        double[][] kernels = new double[next][];
        int[] first = new int[next];
        for (int phase = 0; phase < next; phase++) {
            double centre = width + phase * (double) orig / next;
            int from = Math.max(0, (int) Math.floor(centre - reach) - 1);
            int to = Math.min(taps, (int) Math.ceil(centre + reach) + 2);
            first[phase] = from;
            kernels[phase] = new double[to - from];
            for (int k = from; k < to; k++) {
                double t = (-phase / (double) next + (k - width) / (double) orig) * base;
                t = Math.max(-ZERO_CROSSINGS, Math.min(ZERO_CROSSINGS, t));
                double window = Math.pow(Math.cos(t * Math.PI / ZERO_CROSSINGS / 2), 2);
                double x = t * Math.PI;
                double sinc = x == 0 ? 1.0 : Math.sin(x) / x;
                kernels[phase][k - from] = sinc * window * base / orig;
            }
        }
        float[] out = new float[length];
        for (int j = 0; j < length; j++) {
            int phase = j % next;
            double[] kernel = kernels[phase];
            long start = (long) (j / next) * orig - width + first[phase];
            int kFrom = (int) Math.max(0, -start);
            int kTo = (int) Math.min(kernel.length, samples.length - start);
            double sum = 0;
            for (int k = kFrom; k < kTo; k++) {
                sum += samples[(int) (start + k)] * kernel[k];
            }
            out[j] = (float) sum;
        }
        return out;
    }

    /**
     * The same kernel evaluated at each output sample's exact position {@code c = j * from / to}:
     * for input {@code i = floor(c) + m} and {@code f = c - floor(c)}, the kernel's argument is
     * {@code (m - f) * scale}. Its sine and the window's cosine split by the angle-sum formulas into
     * a factor of {@code m} (tabulated once, {@code 2 * radius + 3} values) and a factor of {@code f}
     * (one sine-cosine pair each per output sample).
     */
    private static float[] perOutputSample(float[] samples, int fromRate, int toRate, int length) {
        double scale = scale(fromRate, toRate);
        double radius = radius(fromRate, toRate);
        int reach = (int) Math.min(Math.ceil(radius) + 1, samples.length + 1L);
        double[] sinM = new double[2 * reach + 1];
        double[] cosM = new double[sinM.length];
        double[] sinM6 = new double[sinM.length];
        double[] cosM6 = new double[sinM.length];
        for (int m = -reach; m <= reach; m++) {
            double angle = Math.PI * m * scale;
            sinM[m + reach] = Math.sin(angle);
            cosM[m + reach] = Math.cos(angle);
            sinM6[m + reach] = Math.sin(angle / ZERO_CROSSINGS);
            cosM6[m + reach] = Math.cos(angle / ZERO_CROSSINGS);
        }
        float[] out = new float[length];
        for (int j = 0; j < length; j++) {
            long position = (long) j * fromRate;
            long i0 = position / toRate;
            double f = (position % toRate) / (double) toRate;
            double angleF = Math.PI * f * scale;
            double sinF = Math.sin(angleF);
            double cosF = Math.cos(angleF);
            double sinF6 = Math.sin(angleF / ZERO_CROSSINGS);
            double cosF6 = Math.cos(angleF / ZERO_CROSSINGS);
            long mFrom = Math.max(-i0, (long) Math.floor(f - radius) + 1);
            long mTo = Math.min(samples.length - 1 - i0, (long) Math.ceil(f + radius) - 1);
            double sum = 0;
            for (long m = mFrom; m <= mTo; m++) {
                int at = (int) m + reach;
                double x = Math.PI * (m - f) * scale;
                double sin = sinM[at] * cosF - cosM[at] * sinF;
                double sinc = Math.abs(x) < SMALL_ANGLE ? 1 - x * x / 6 : sin / x;
                double window = (1 + cosM6[at] * cosF6 + sinM6[at] * sinF6) / 2;
                sum += samples[(int) (i0 + m)] * sinc * window;
            }
            out[j] = (float) (sum * scale);
        }
        return out;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
