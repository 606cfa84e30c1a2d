package io.tl4j.speech.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.FileInput;
import io.tl4j.core.InputPipeline;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.CropOrPad;
import io.tl4j.speech.audio.Wav;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Turns recordings into the spectrogram images a speech encoder takes, batched on the engine:
 * resample to the feature sample rate ({@link io.tl4j.speech.audio.Resampler}), crop or pad to a
 * fixed length ({@link CropOrPad}: centred, or at a random position in training when enabled), the
 * log-mel spectrogram or MFCC, per-clip standardisation (zero mean, unit variance over the whole
 * clip, which also removes the recording's gain) and, in training, {@link SpecAugment} masking.
 * Output shape per clip: (1, rows, frames).
 *
 * <pre>{@code
 * AudioPipeline plain = AudioPipeline.builder().build();          // 1 s, 40-band log-mel
 * AudioPipeline train = plain.toBuilder()
 *         .optRandomCrop(true)
 *         .optSpecAugment(new SpecAugment(2, 6, 2, 12))
 *         .build();                                                // isRandomInTraining() == true
 * }</pre>
 */
public final class AudioPipeline implements InputPipeline<Audio>, FileInput<Audio> {

    /** The id under which this pipeline is registered in {@link io.tl4j.core.Components}. */
    public static final String ID = "tl4j.speech.audio";

    private static final float LOG_EPSILON = 1e-6f;

    private final MelSpectrogram mel;
    private final FeatureType type;
    private final int mfccCount;
    private final int clipSamples;
    private final boolean randomCrop;
    private final SpecAugment specAugment;
    private final Mfcc mfcc;

    private AudioPipeline(Builder b) {
        this.mel = b.mel;
        this.type = b.type;
        this.mfccCount = b.mfccCount;
        this.clipSamples = b.clipSamples;
        this.randomCrop = b.randomCrop;
        this.specAugment = b.specAugment;
        if (clipSamples <= 400) {
            throw new IllegalArgumentException("Clip length must be more than 400 samples, got " + clipSamples);
        }
        this.mfcc = type == FeatureType.MFCC ? new Mfcc(mel, mfccCount) : null;
    }

    /**
     * Returns a builder with the defaults: 1 s at 16 kHz, 40-band log-mel (25 ms window, 10 ms hop), no augmentation.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this pipeline's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.mel = mel;
        b.type = type;
        b.mfccCount = mfccCount;
        b.clipSamples = clipSamples;
        b.randomCrop = randomCrop;
        b.specAugment = specAugment;
        return b;
    }

    @Override
    public Shape sampleShape() {
        return new Shape(1, type == FeatureType.MFCC ? mfccCount : mel.mels(), mel.frames(clipSamples));
    }

    @Override
    public NDList batch(NDManager manager, List<Audio> inputs, boolean training, Random random) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("Empty batch");
        }
        float[] flat = new float[inputs.size() * clipSamples];
        CropOrPad.Position position = training && randomCrop ? CropOrPad.Position.RANDOM : CropOrPad.Position.CENTER;
        for (int i = 0; i < inputs.size(); i++) {
            Audio audio = inputs.get(i);
            if (audio == null || audio.samples().length == 0) {
                throw new IllegalArgumentException(
                        "Input " + i + " of the batch is " + (audio == null ? "null" : "empty: " + audio.source()));
            }
            float[] samples = audio.resampledTo(mel.sampleRate()).samples();
            System.arraycopy(
                    CropOrPad.apply(samples, clipSamples, position, random), 0, flat, i * clipSamples, clipSamples);
        }
        NDArray waves = manager.create(flat, new Shape(inputs.size(), clipSamples));
        NDArray features = features(waves);
        Shape shape = features.getShape();
        NDArray flatFeatures = features.reshape(shape.get(0), -1);
        NDArray centred = flatFeatures.sub(flatFeatures.mean(new int[] {1}, true));
        NDArray std = centred.square().mean(new int[] {1}, true).sqrt().add(1e-5f);
        NDArray normalized = centred.div(std).reshape(shape);
        if (training && specAugment != null) {
            normalized = specAugment.apply(normalized, random);
        }
        return new NDList(normalized.expandDims(1));
    }

    /**
     * The features before standardisation and augmentation.
     *
     * @param waveforms shape (batch, samples) at the pipeline's sample rate
     * @return shape (batch, rows, frames)
     */
    public NDArray features(NDArray waveforms) {
        switch (type) {
            case MFCC:
                return mfcc.compute(waveforms);
            case MEL_DB:
                return AmplitudeToDb.powerToDb(mel.compute(waveforms), Mfcc.TOP_DB);
            default:
                return mel.compute(waveforms).add(LOG_EPSILON).log();
        }
    }

    /**
     * Reads one WAV file (within the default {@link io.tl4j.speech.audio.AudioLimits}), mixed down to mono; batching
     * resamples it to this pipeline's rate.
     *
     * @param file a WAV file
     * @return the recording
     * @throws io.tl4j.speech.audio.AudioFormatException when the file is not a supported WAV file within the limits
     */
    @Override
    public Audio readFile(Path file) {
        return Wav.read(file);
    }

    @Override
    public boolean isRandomInTraining() {
        return randomCrop || (specAugment != null && (specAugment.frequencyMasks() > 0 || specAugment.timeMasks() > 0));
    }

    /** Returns the sample rate recordings are resampled to. */
    public int sampleRate() {
        return mel.sampleRate();
    }

    /** Returns the number of samples each clip is cropped or padded to. */
    public int clipSamples() {
        return clipSamples;
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * The configuration of an {@link AudioPipeline}, as saved models store it.
     *
     * @param mel the mel spectrogram settings
     * @param features log-mel, mel in dB or MFCC
     * @param mfcc the number of MFCCs (used for MFCC features)
     * @param clipSamples the fixed length every recording is cropped or padded to
     * @param randomCrop whether the crop/pad window is placed at random in training
     * @param specAugment the masking applied in training, or null for none
     */
    public record Config(
            MelSpectrogram.Config mel,
            FeatureType features,
            int mfcc,
            int clipSamples,
            boolean randomCrop,
            SpecAugment specAugment) {}

    @Override
    public Config config() {
        return new Config(mel.config(), type, mfccCount, clipSamples, randomCrop, specAugment);
    }

    /**
     * Rebuilds a pipeline from {@link #config()}.
     *
     * @param c the configuration
     * @return the pipeline
     */
    public static AudioPipeline fromConfig(Config c) {
        Builder b = builder()
                .optMelSpectrogram(
                        MelSpectrogram.fromConfig(Objects.requireNonNull(c.mel(), "AudioPipeline config has no 'mel'")))
                .optClipSamples(c.clipSamples())
                .optRandomCrop(c.randomCrop())
                .optSpecAugment(c.specAugment());
        FeatureType type = Objects.requireNonNull(c.features(), "AudioPipeline config has no 'features'");
        return (type == FeatureType.MFCC ? b.optMfcc(c.mfcc()) : b.optFeatures(type)).build();
    }

    @Override
    public String toString() {
        return "AudioPipeline." + config();
    }

    /** Builds an {@link AudioPipeline}; every setting is optional. */
    public static final class Builder {
        private MelSpectrogram mel = MelSpectrogram.builder().build();
        private FeatureType type = FeatureType.LOG_MEL;
        private int mfccCount = 40;
        private int clipSamples = 16000;
        private boolean randomCrop;
        private SpecAugment specAugment;

        private Builder() {}

        /**
         * Sets the mel spectrogram settings.
         *
         * @param mel the mel spectrogram settings (default: 16 kHz, 400-sample window, 160 hop, 40 mels, HTK)
         * @return this builder
         */
        public Builder optMelSpectrogram(MelSpectrogram mel) {
            this.mel = mel;
            return this;
        }

        /**
         * Chooses the features: log-mel (default) or mel in dB.
         *
         * @param type log-mel (default) or mel in dB
         * @return this builder
         */
        public Builder optFeatures(FeatureType type) {
            if (type == FeatureType.MFCC) {
                throw new IllegalArgumentException("Use optMfcc(count) for MFCC features");
            }
            this.type = type;
            return this;
        }

        /**
         * Computes that many MFCCs instead of the log-mel spectrogram.
         *
         * @param coefficients compute this many MFCCs instead of the log-mel spectrogram
         * @return this builder
         */
        public Builder optMfcc(int coefficients) {
            this.type = FeatureType.MFCC;
            this.mfccCount = coefficients;
            return this;
        }

        /**
         * Sets the fixed length every recording is cropped or padded to.
         *
         * @param clipSamples the fixed length every recording is cropped or padded to (default 16000: 1 s)
         * @return this builder
         */
        public Builder optClipSamples(int clipSamples) {
            this.clipSamples = clipSamples;
            return this;
        }

        /**
         * Chooses whether the crop/pad window is placed at random in training (default: centred).
         *
         * @param randomCrop true to place the crop/pad window at random in training (default false: centred)
         * @return this builder
         */
        public Builder optRandomCrop(boolean randomCrop) {
            this.randomCrop = randomCrop;
            return this;
        }

        /**
         * Sets the masking applied in training, or none.
         *
         * @param specAugment masking applied in training, or null for none (default)
         * @return this builder
         */
        public Builder optSpecAugment(SpecAugment specAugment) {
            this.specAugment = specAugment;
            return this;
        }

        /** Builds the pipeline. */
        public AudioPipeline build() {
            return new AudioPipeline(this);
        }
    }
}
