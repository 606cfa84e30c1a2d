package io.tl4j.speech.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Mel-frequency cepstral coefficients as torchaudio's {@code transforms.MFCC} defaults: the mel
 * power spectrogram in dB ({@link AmplitudeToDb}, top 80 dB) times an orthonormal DCT-II.
 */
public final class Mfcc {

    /** torchaudio's default dynamic range for the dB conversion. */
    public static final float TOP_DB = 80f;

    private final MelSpectrogram mel;
    private final int coefficients;
    private final float[] dct;

    /**
     * Creates an MFCC transform over a mel spectrogram.
     *
     * @param mel the mel spectrogram the coefficients are computed from
     * @param coefficients how many coefficients to keep, at most the number of mel bands
     */
    public Mfcc(MelSpectrogram mel, int coefficients) {
        if (coefficients <= 0 || coefficients > mel.mels()) {
            throw new IllegalArgumentException("MFCC count must be in [1, " + mel.mels() + "], got " + coefficients);
        }
        this.mel = mel;
        this.coefficients = coefficients;
        this.dct = dctMatrix(coefficients, mel.mels());
    }

    /**
     * The orthonormal DCT-II matrix, as torchaudio's {@code functional.create_dct(n, mels, "ortho")}
     * transposed.
     *
     * @param coefficients rows
     * @param mels columns
     * @return row-major {@code [coefficients][mels]}
     */
    public static float[] dctMatrix(int coefficients, int mels) {
        float[] m = new float[coefficients * mels];
        for (int k = 0; k < coefficients; k++) {
            double scale = Math.sqrt(2.0 / mels) * (k == 0 ? 1 / Math.sqrt(2.0) : 1.0);
            for (int n = 0; n < mels; n++) {
                m[k * mels + n] = (float) (scale * Math.cos(Math.PI / mels * (n + 0.5) * k));
            }
        }
        return m;
    }

    /**
     * Computes the coefficients of a batch of waveforms, shape (batch, coefficients, frames).
     *
     * @param waveforms shape (batch, samples)
     * @return the coefficients, shape (batch, coefficients, frames)
     */
    public NDArray compute(NDArray waveforms) {
        NDArray db = AmplitudeToDb.powerToDb(mel.compute(waveforms), TOP_DB);
        return waveforms
                .getManager()
                .create(dct, new Shape(coefficients, mel.mels()))
                .matMul(db);
    }

    /** Returns the number of coefficients. */
    public int coefficients() {
        return coefficients;
    }

    /** Returns the mel spectrogram underneath. */
    public MelSpectrogram melSpectrogram() {
        return mel;
    }
}
