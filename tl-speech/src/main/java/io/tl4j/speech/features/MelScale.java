package io.tl4j.speech.features;

/** How frequencies map to mels, as torchaudio's {@code mel_scale} argument. */
public enum MelScale {
    /** {@code 2595 log10(1 + f / 700)}: torchaudio's default. */
    HTK,
    /** Linear below 1 kHz, logarithmic above (Slaney's Auditory Toolbox, librosa's default). */
    SLANEY;

    /**
     * Converts a frequency in Hz to mels.
     *
     * @param hz a frequency in Hz
     * @return it in mels
     */
    public double toMel(double hz) {
        if (this == HTK) {
            return 2595.0 * Math.log10(1.0 + hz / 700.0);
        }
        double fSp = 200.0 / 3;
        double minLogHz = 1000.0;
        double minLogMel = minLogHz / fSp;
        double logStep = Math.log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + Math.log(hz / minLogHz) / logStep : hz / fSp;
    }

    /**
     * Converts a value in mels to Hz.
     *
     * @param mel a value in mels
     * @return it in Hz
     */
    public double toHz(double mel) {
        if (this == HTK) {
            return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        }
        double fSp = 200.0 / 3;
        double minLogHz = 1000.0;
        double minLogMel = minLogHz / fSp;
        double logStep = Math.log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.exp(logStep * (mel - minLogMel)) : fSp * mel;
    }
}
