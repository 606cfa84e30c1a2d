package io.tl4j.nlp.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.Backbone;
import io.tl4j.nlp.bert.MiniLm;
import io.tl4j.nlp.bert.Pooling;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackboneEmbedderTest {

    @Test
    void matchesTheEncodersOwnSentenceEmbeddingsInInputOrder() {
        List<String> texts = List.of(
                "A much longer sentence about the weather in the mountains this week.",
                "Short.",
                "",
                "Medium length text about cats.");
        float[][] expected = MiniLm.encoder().embed(texts);
        try (Backbone<String> backbone = MiniLm.encoder().backbone(Pooling.MEAN, 512);
                BackboneEmbedder embedder = BackboneEmbedder.of(backbone)) {
            float[][] actual = embedder.embed(texts);
            assertThat(embedder.dimension()).isEqualTo(384);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(actual[i]).as("text %d", i).containsExactly(expected[i], within(1e-5f));
            }
        }
    }
}
