package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The named configurations build exactly the tensors of the real checkpoints: names and shapes
 * from torchaudio's wav2vec2_base / hubert_base / wav2vec2_large_lv60k, renamed to Hugging Face's
 * (base-keys.tsv, made by the fixture script). Nothing is allocated.
 */
class Wav2Vec2KeysTest {

    private static Map<String, Shape> expected(String model) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (String line : Golden.resource("base-keys.tsv").split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f[0].equals(model)) {
                String[] dims = f[2].split("x");
                long[] d = new long[dims.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = Long.parseLong(dims[i]);
                }
                shapes.put(f[1], new Shape(d));
            }
        }
        assertThat(shapes).as(model).isNotEmpty();
        return shapes;
    }

    private static long count(Map<String, Shape> shapes) {
        return shapes.values().stream().mapToLong(Shape::size).sum();
    }

    @Test
    void wav2vec2BaseHasHuggingFaceNamesAndShapes() {
        Map<String, Shape> actual = Wav2Vec2Model.parameterShapes(Wav2Vec2Config.wav2vec2Base());
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected("wav2vec2-base"));
        assertThat(count(actual)).isEqualTo(94_370_944L);
        assertThat(Wav2Vec2Config.wav2vec2Base().receptiveField()).isEqualTo(400);
        assertThat(Wav2Vec2Config.wav2vec2Base().frames(16000)).isEqualTo(49);
    }

    @Test
    void hubertBaseHasHuggingFaceNamesAndShapes() {
        assertThat(Wav2Vec2Model.parameterShapes(Wav2Vec2Config.hubertBase()))
                .containsExactlyInAnyOrderEntriesOf(expected("hubert-base"));
    }

    @Test
    void wav2vec2LargeHasHuggingFaceNamesAndShapes() {
        Map<String, Shape> actual = Wav2Vec2Model.parameterShapes(Wav2Vec2Config.wav2vec2Large());
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected("wav2vec2-large"));
        assertThat(actual)
                .containsKey("feature_extractor.conv_layers.6.layer_norm.weight")
                .containsKey("feature_extractor.conv_layers.6.conv.bias");
    }
}
