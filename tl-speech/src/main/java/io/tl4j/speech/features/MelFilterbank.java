package io.tl4j.speech.features;

/**
 * Triangular mel filters over the bins of a one-sided spectrum, computed exactly as torchaudio's
 * {@code functional.melscale_fbanks}: filter edges equally spaced in mels, optional Slaney area
 * normalisation.
 */
public final class MelFilterbank {

    private MelFilterbank() {}

    /**
     * Builds triangular mel filters over the one-sided spectrum, as {@code [frequencyBins][mels]}.
     *
     * @param frequencyBins number of one-sided spectrum bins ({@code nFft / 2 + 1})
     * @param fMin lowest frequency in Hz
     * @param fMax highest frequency in Hz
     * @param mels number of filters
     * @param sampleRate the signal's sample rate
     * @param scale HTK or Slaney mel scale
     * @param slaneyNorm true to divide each filter by its width in Hz (torchaudio {@code norm="slaney"})
     * @return the filters as {@code [frequencyBins][mels]}
     */
    public static float[][] create(
            int frequencyBins, double fMin, double fMax, int mels, int sampleRate, MelScale scale, boolean slaneyNorm) {
        if (frequencyBins < 2 || mels <= 0 || fMin < 0 || fMax <= fMin || fMax > sampleRate / 2.0) {
            throw new IllegalArgumentException("Invalid mel filterbank: " + frequencyBins + " bins, " + mels + " mels, "
                    + fMin + ".." + fMax + " Hz at " + sampleRate + " Hz");
        }
        double[] freqs = new double[frequencyBins];
        double top = sampleRate / 2; // integer division, as torchaudio's linspace(0, sample_rate // 2, n)
        for (int i = 0; i < frequencyBins; i++) {
            freqs[i] = top * i / (frequencyBins - 1);
        }
        double mMin = scale.toMel(fMin);
        double mMax = scale.toMel(fMax);
        double[] points = new double[mels + 2];
        for (int i = 0; i < points.length; i++) {
            points[i] = scale.toHz(mMin + (mMax - mMin) * i / (mels + 1));
        }
        float[][] bank = new float[frequencyBins][mels];
        for (int m = 0; m < mels; m++) {
            double left = points[m + 1] - points[m];
            double right = points[m + 2] - points[m + 1];
            double norm = slaneyNorm ? 2.0 / (points[m + 2] - points[m]) : 1.0;
            for (int i = 0; i < frequencyBins; i++) {
                double down = (freqs[i] - points[m]) / left;
                double up = (points[m + 2] - freqs[i]) / right;
                bank[i][m] = (float) (Math.max(0, Math.min(down, up)) * norm);
            }
        }
        return bank;
    }
}
