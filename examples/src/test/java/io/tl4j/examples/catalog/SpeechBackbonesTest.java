package io.tl4j.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every keyword encoder of the catalog loads, with its own card and its own weights. */
class SpeechBackbonesTest {

    @Test
    void everyEncoderLoadsWithItsOwnProvenanceAndWeights() {
        Set<String> notes = new HashSet<>();
        Set<Float> firstWeights = new HashSet<>();
        for (SpeechBackbones entry : SpeechBackbones.values()) {
            Provenance provenance = entry.provenance();
            assertThat(provenance.source()).contains("SpeechPretrain");
            assertThat(provenance.licence()).isNotBlank();
            notes.add(provenance.note());
            try (Backbone<Audio> backbone = entry.backbone(KeywordEncoder.pipeline())) {
                assertThat(backbone.isPretrained()).isTrue();
                assertThat(backbone.provenance()).isEqualTo(provenance);
                NDArray first = backbone.weights().values().iterator().next();
                firstWeights.add(first.toFloatArray()[0]);
            }
        }
        assertThat(notes).as("each card describes its own training run").hasSize(3);
        assertThat(firstWeights).as("each encoder has its own weights").hasSize(3);
    }
}
