package io.tl4j.speech.features;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.speech.audio.Resampler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tl-speech's features against torchaudio 0.13.1 on formula signals both sides compute; the
 * expected outputs come from {@code tl-speech/scripts/make_feature_fixtures.py}.
 */
class FeatureGoldenTest {

    private static final float TOLERANCE = 1e-3f;
    private static JsonObject fixture;
    private static NDManager manager;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = FeatureGoldenTest.class.getResourceAsStream("torchaudio-features.json")) {
            fixture = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** The same formula as the fixture script's {@code signal()}: computed in double, stored as float. */
    static float[] signal(int n, int rate) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double saw = 2.0 * ((137.1 * t) % 1.0) - 1.0;
            x[i] = (float) (0.4 * Math.sin(2 * Math.PI * 440 * t)
                    + 0.3 * Math.sin(2 * Math.PI * (200 * t + 6000 * t * t))
                    + 0.2 * saw);
        }
        return x;
    }

    private static NDArray waves() {
        int n = fixture.get("samples").getAsInt();
        float[] x = signal(n, 16000);
        float[] both = new float[2 * n];
        for (int i = 0; i < n; i++) {
            both[i] = x[i];
            both[n + i] = 0.5f * x[n - 1 - i];
        }
        return manager.create(both, new Shape(2, n));
    }

    private static void assertMatches(String name, float[] actual, Shape shape) {
        JsonObject expected = fixture.getAsJsonObject(name);
        JsonArray dims = expected.getAsJsonArray("shape");
        long[] expectedShape = new long[dims.size()];
        for (int i = 0; i < expectedShape.length; i++) {
            expectedShape[i] = dims.get(i).getAsLong();
        }
        assertThat(shape).as(name + " shape").isEqualTo(new Shape(expectedShape));
        JsonArray values = expected.getAsJsonArray("values");
        assertThat(actual).as(name + " size").hasSize(values.size());
        float worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - values.get(i).getAsFloat()));
        }
        assertThat(worst)
                .as(name + ": largest absolute difference to torchaudio")
                .isLessThan(TOLERANCE);
    }

    private static void assertMatches(String name, NDArray actual) {
        assertMatches(name, actual.toFloatArray(), actual.getShape());
    }

    @Test
    void logMelWithHtkScaleMatchesTorchaudioDefaults() {
        MelSpectrogram mel = MelSpectrogram.builder()
                .optFftSize(400)
                .optHopLength(160)
                .optMels(40)
                .build();
        assertMatches("log_mel_htk", mel.compute(waves()).add(1e-6f).log());
    }

    @Test
    void logMelWithSlaneyScaleAndNormMatchesTorchaudio() {
        MelSpectrogram mel = MelSpectrogram.builder()
                .optFftSize(400)
                .optHopLength(160)
                .optMels(40)
                .optMelScale(MelScale.SLANEY)
                .optSlaneyNorm(true)
                .optFrequencyRange(20, 7600)
                .build();
        assertMatches("log_mel_slaney", mel.compute(waves()).add(1e-6f).log());
    }

    @Test
    void keywordEncoderSettingsMatchTorchaudio() {
        AudioPipeline pipeline = io.tl4j.speech.keyword.KeywordEncoder.pipeline();
        assertMatches("log_mel_keyword", pipeline.features(waves()));
    }

    @Test
    void powerToDbMatchesAmplitudeToDbPerClip() {
        AudioPipeline pipeline =
                AudioPipeline.builder().optFeatures(FeatureType.MEL_DB).build();
        assertMatches("mel_db", pipeline.features(waves()));
    }

    @Test
    void mfccMatchesTorchaudioMfcc() {
        Mfcc mfcc = new Mfcc(
                MelSpectrogram.builder()
                        .optFftSize(400)
                        .optHopLength(160)
                        .optMels(40)
                        .build(),
                13);
        assertMatches("mfcc", mfcc.compute(waves()));
    }

    @Test
    void filterbankAndDctMatchTorchaudio() {
        float[][] bank = MelFilterbank.create(201, 0, 8000, 40, 16000, MelScale.HTK, false);
        float[] flat = new float[201 * 40];
        for (int f = 0; f < 201; f++) {
            System.arraycopy(bank[f], 0, flat, f * 40, 40);
        }
        assertMatches("fbank_htk", flat, new Shape(201, 40));
        float[] dct = Mfcc.dctMatrix(13, 40); // [13][40]; torchaudio's create_dct is its transpose
        float[] transposed = new float[dct.length];
        for (int k = 0; k < 13; k++) {
            for (int n = 0; n < 40; n++) {
                transposed[n * 13 + k] = dct[k * 40 + n];
            }
        }
        assertMatches("dct_ortho", transposed, new Shape(40, 13));
    }

    @Test
    void resamplingMatchesTorchaudioResample() {
        float[] out = Resampler.resample(signal(2205, 22050), 22050, 16000);
        assertMatches("resample_22050_16000", out, new Shape(out.length));
    }
}
