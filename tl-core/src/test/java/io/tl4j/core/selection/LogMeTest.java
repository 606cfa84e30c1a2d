package io.tl4j.core.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LogME against the reference algorithm: {@code tl-core/scripts/make_selection_fixtures.py} runs the
 * reference's fixed-point LogME (numpy) on small deterministic matrices, tall (N > D, truncated SVD),
 * wide and square (N ≤ D, full SVD), and commits the scores: with the N < D fix of thuml/LogME #24,
 * as published, and by the paper's ICML algorithm.
 */
class LogMeTest {

    @Test
    void matchesTheReferenceImplementationWithinOnePartInAMillion() throws IOException {
        JsonObject fixture;
        try (InputStream in = LogMeTest.class.getResourceAsStream("/selection/logme_fixture.json")) {
            fixture = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        JsonArray cases = fixture.getAsJsonArray("cases");
        assertThat(cases).hasSize(6);
        int verbatim = 0;
        for (JsonElement element : cases) {
            JsonObject c = element.getAsJsonObject();
            float[][] features = matrix(c.getAsJsonArray("features"));
            int[] labels = ints(c.getAsJsonArray("labels"));
            String name = c.get("name").getAsString();
            double expected = c.get("logme").getAsDouble();
            double actual = LogMe.score(features, labels, c.get("classes").getAsInt());
            assertThat(actual).as(name).isCloseTo(expected, within(1e-6 * Math.abs(expected)));
            // full rank with N >= D: the fix changes nothing, this is the published code's value
            if (features.length >= features[0].length) {
                assertThat(actual)
                        .as(name)
                        .isCloseTo(c.get("logme_unpatched").getAsDouble(), within(1e-6 * Math.abs(expected)));
                verbatim++;
            }
            // the ICML algorithm (another iteration, the same evidence) agrees to 0.2%
            double icml = c.get("logme_icml").getAsDouble();
            assertThat(actual).as(name).isCloseTo(icml, within(2e-3 * Math.abs(icml)));
        }
        assertThat(verbatim).isEqualTo(4);
    }

    @Test
    void ranksInformativeFeaturesAboveNoise() {
        Random random = new Random(3);
        int n = 60;
        int[] labels = new int[n];
        float[][] informative = new float[n][10];
        float[][] noise = new float[n][10];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int a = 0; a < 10; a++) {
                noise[i][a] = (float) random.nextGaussian();
                informative[i][a] = (float) random.nextGaussian() + (a == labels[i] ? 3f : 0f);
            }
        }
        assertThat(LogMe.score(informative, labels, 3)).isGreaterThan(LogMe.score(noise, labels, 3) + 0.1);
    }

    @Test
    void staysFiniteOnRankDeficientFeatures() {
        // dead ReLU units (zero columns) and a repeated column, N > D: round-off directions are dropped
        int n = 40;
        float[][] f = new float[n][8];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            f[i][0] = (float) Math.sin(i) + labels[i];
            f[i][1] = (float) Math.cos(3 * i);
            f[i][2] = f[i][0];
        }
        double score = LogMe.score(f, labels, 2);
        assertThat(score).isFinite();
    }

    @Test
    void eigendecompositionReconstructsASymmetricMatrix() {
        Random random = new Random(5);
        int n = 30;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = random.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        SymmetricEigen eigen = SymmetricEigen.of(a);
        double[] values = eigen.values();
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                assertThat(values[k]).isGreaterThanOrEqualTo(values[k - 1]);
            }
            double[] v = eigen.vector(k);
            double norm = 0;
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i][j] * v[j];
                }
                assertThat(av).isCloseTo(values[k] * v[i], within(1e-10));
                norm += v[i] * v[i];
            }
            assertThat(norm).isCloseTo(1.0, within(1e-12));
        }
    }

    private static float[][] matrix(JsonArray rows) {
        float[][] m = new float[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            m[i] = new float[row.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = (float) row.get(j).getAsDouble();
            }
        }
        return m;
    }

    private static int[] ints(JsonArray values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).getAsInt();
        }
        return out;
    }
}
