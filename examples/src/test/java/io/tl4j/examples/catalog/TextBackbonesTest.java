package io.tl4j.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.nlp.bert.BertEncoder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every ONNX entry of the text catalog loads from its artifact and embeds text sensibly. */
class TextBackbonesTest {

    @ParameterizedTest
    @EnumSource(
            value = TextBackbones.class,
            names = {"BERT_BASE_UNCASED"},
            mode = EnumSource.Mode.EXCLUDE)
    void loadsFromItsArtifactAndEmbeds(TextBackbones entry) {
        try (BertEncoder encoder = entry.encoder()) {
            int hidden = entry == TextBackbones.BGE_SMALL_ZH_V15 ? 512 : 384;
            assertThat(encoder.config().hiddenSize()).isEqualTo(hidden);
            assertThat(encoder.provenance().licence()).isEqualTo(entry.licence());
            float[][] v = encoder.embed(
                    List.of("the cat sat on the mat", "a kitten sat on a rug", "quarterly revenue fell 4%"),
                    entry.pooling());
            assertThat(v).hasNumberOfRows(3);
            for (float[] row : v) {
                assertThat(row).hasSize(hidden);
                for (float x : row) {
                    assertThat(Float.isFinite(x)).isTrue();
                }
            }
            if (entry != TextBackbones.BGE_SMALL_ZH_V15) {
                // an English sentence encoder puts the paraphrase nearer than the unrelated sentence
                assertThat(cosine(v[0], v[1])).isGreaterThan(cosine(v[0], v[2]));
            }
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
