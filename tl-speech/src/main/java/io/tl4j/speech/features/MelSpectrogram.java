package io.tl4j.speech.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The mel power spectrogram of a batch of waveforms, computed on the engine and equal to
 * torchaudio's {@code transforms.MelSpectrogram} (torchaudio 0.13) with the same settings: STFT with
 * a periodic Hann window of {@code nFft} samples, centred frames with reflect padding, power 2, then
 * a triangular mel filterbank ({@link MelFilterbank}).
 *
 * <pre>{@code
 * MelSpectrogram mel = MelSpectrogram.builder().optMels(40).optHopLength(160).build();
 * NDArray power = mel.compute(waveforms);   // (batch, samples) -> (batch, 40, 1 + samples / 160)
 * }</pre>
 */
public final class MelSpectrogram {

    private final int sampleRate;
    private final int nFft;
    private final int hopLength;
    private final int mels;
    private final double fMin;
    private final double fMax;
    private final MelScale scale;
    private final boolean slaneyNorm;
    private final float[] window;
    private final float[] filterbank;

    private MelSpectrogram(Builder b) {
        this.sampleRate = b.sampleRate;
        this.nFft = b.nFft;
        this.hopLength = b.hopLength;
        this.mels = b.mels;
        this.fMin = b.fMin;
        this.fMax = b.fMax > 0 ? b.fMax : b.sampleRate / 2.0;
        this.scale = b.scale;
        this.slaneyNorm = b.slaneyNorm;
        if (nFft < 2 || hopLength <= 0 || mels <= 0 || sampleRate <= 0) {
            throw new IllegalArgumentException("Invalid mel spectrogram settings: " + config());
        }
        window = new float[nFft];
        for (int i = 0; i < nFft; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / nFft));
        }
        float[][] bank = MelFilterbank.create(nFft / 2 + 1, fMin, fMax, mels, sampleRate, scale, slaneyNorm);
        filterbank = new float[mels * (nFft / 2 + 1)];
        for (int f = 0; f < bank.length; f++) {
            for (int m = 0; m < mels; m++) {
                filterbank[m * bank.length + f] = bank[f][m];
            }
        }
    }

    /** Returns a builder with torchaudio's defaults except 16 kHz, 40 mels and a 10 ms hop. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Computes the mel power spectrograms of a batch of waveforms, shape (batch, mels, frames).
     *
     * @param waveforms a batch of waveforms, shape (batch, samples), more than {@code nFft / 2} samples each
     * @return the mel power spectrograms, shape (batch, mels, frames), frames = 1 + samples / hop
     */
    public NDArray compute(NDArray waveforms) {
        Shape shape = waveforms.getShape();
        if (shape.dimension() != 2 || shape.get(1) <= nFft / 2) {
            throw new IllegalArgumentException("Expected waveforms of shape (batch, samples) with more than " + nFft / 2
                    + " samples, got " + shape);
        }
        NDManager manager = waveforms.getManager();
        NDArray spectrum = waveforms
                .stft(nFft, hopLength, true, manager.create(window), true)
                .real();
        NDArray power = spectrum.square().sum(new int[] {3}); // (batch, freq, frames)
        NDArray bank = manager.create(filterbank, new Shape(mels, nFft / 2 + 1));
        return bank.matMul(power); // (batch, mels, frames)
    }

    /**
     * Returns the number of frames {@link #compute} gives for waveforms of that many samples.
     *
     * @param samples the number of samples per waveform
     * @return the number of frames {@link #compute} gives
     */
    public int frames(int samples) {
        return 1 + samples / hopLength;
    }

    /** Returns the number of mel bands. */
    public int mels() {
        return mels;
    }

    /** Returns the sample rate the filterbank is built for. */
    public int sampleRate() {
        return sampleRate;
    }

    /**
     * The settings of a {@link MelSpectrogram}, as saved pipelines store them.
     *
     * @param sampleRate the sample rate the filterbank is built for
     * @param nFft the window and FFT size
     * @param hopLength the samples between frames
     * @param mels the number of mel bands
     * @param fMin the lowest frequency of the filterbank
     * @param fMax the highest frequency of the filterbank
     * @param melScale the mel scale
     * @param slaneyNorm whether the filters are area-normalised
     */
    public record Config(
            int sampleRate,
            int nFft,
            int hopLength,
            int mels,
            double fMin,
            double fMax,
            MelScale melScale,
            boolean slaneyNorm) {}

    /**
     * Returns the settings, for saving; {@link #fromConfig} rebuilds the same transform.
     *
     * @return the settings
     */
    public Config config() {
        return new Config(sampleRate, nFft, hopLength, mels, fMin, fMax, scale, slaneyNorm);
    }

    /**
     * Rebuilds the transform that settings from {@link #config()} describe.
     *
     * @param c the settings
     * @return the transform
     */
    public static MelSpectrogram fromConfig(Config c) {
        return builder()
                .optSampleRate(c.sampleRate())
                .optFftSize(c.nFft())
                .optHopLength(c.hopLength())
                .optMels(c.mels())
                .optFrequencyRange(c.fMin(), c.fMax())
                .optMelScale(c.melScale())
                .optSlaneyNorm(c.slaneyNorm())
                .build();
    }

    @Override
    public String toString() {
        return "MelSpectrogram." + config();
    }

    /** Builds a {@link MelSpectrogram}; every setting is optional. */
    public static final class Builder {
        private int sampleRate = 16000;
        private int nFft = 400;
        private int hopLength = 160;
        private int mels = 40;
        private double fMin;
        private double fMax;
        private MelScale scale = MelScale.HTK;
        private boolean slaneyNorm;

        private Builder() {}

        /**
         * Sets the waveforms' sample rate.
         *
         * @param sampleRate the waveforms' sample rate (default 16000)
         * @return this builder
         */
        public Builder optSampleRate(int sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        /**
         * Sets the FFT and window size in samples.
         *
         * @param nFft FFT and window size in samples (default 400: 25 ms at 16 kHz)
         * @return this builder
         */
        public Builder optFftSize(int nFft) {
            this.nFft = nFft;
            return this;
        }

        /**
         * Sets the number of samples between frames.
         *
         * @param hopLength samples between frames (default 160: 10 ms at 16 kHz)
         * @return this builder
         */
        public Builder optHopLength(int hopLength) {
            this.hopLength = hopLength;
            return this;
        }

        /**
         * Sets the number of mel bands.
         *
         * @param mels number of mel bands (default 40)
         * @return this builder
         */
        public Builder optMels(int mels) {
            this.mels = mels;
            return this;
        }

        /**
         * Sets the lowest and highest frequency of the filters.
         *
         * @param fMin lowest frequency in Hz (default 0)
         * @param fMax highest frequency in Hz (default: half the sample rate)
         * @return this builder
         */
        public Builder optFrequencyRange(double fMin, double fMax) {
            this.fMin = fMin;
            this.fMax = fMax;
            return this;
        }

        /**
         * Chooses the mel scale: HTK (default, as torchaudio) or Slaney.
         *
         * @param scale HTK (default, as torchaudio) or Slaney
         * @return this builder
         */
        public Builder optMelScale(MelScale scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Chooses whether the filters are area-normalised, as torchaudio's {@code norm="slaney"}.
         *
         * @param slaneyNorm true for torchaudio's {@code norm="slaney"} (area-normalised filters)
         * @return this builder
         */
        public Builder optSlaneyNorm(boolean slaneyNorm) {
            this.slaneyNorm = slaneyNorm;
            return this;
        }

        /** Builds the transform. */
        public MelSpectrogram build() {
            return new MelSpectrogram(this);
        }
    }
}
