package io.tl4j.speech.features;

/** Which features {@link AudioPipeline} computes. */
public enum FeatureType {
    /** Natural log of the mel power spectrogram plus a small epsilon. */
    LOG_MEL,
    /** Mel power in dB (top 80 dB), as torchaudio's {@code AmplitudeToDB}. */
    MEL_DB,
    /** Mel-frequency cepstral coefficients ({@link Mfcc}). */
    MFCC
}
