package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meta-pretraining recipe end to end on a tiny corpus (the vendored held-out voices of the five
 * adaptation words standing in for the 40-word source corpus, 10 episodes, checked on 3): it writes weights and a
 * card in the shipped format, and {@link SpeechMetaEncoder} loads them. The committed encoder loads
 * with the card that matches its weights.
 */
class SpeechMetaPretrainTest {

    @Test
    void tinyRunWritesWeightsAndCardThatLoad(@TempDir Path out) throws Exception {
        Path corpus = AdaptationWords.extract().heldOutVoices();
        Path weights = SpeechMetaPretrain.pretrain(new SpeechMetaPretrain.Recipe(5, 2, 2, 200, 30, 3), corpus, out);
        JsonObject card = JsonParser.parseString(Files.readString(out.resolve("keyword-encoder.json")))
                .getAsJsonObject();
        assertThat(card.get("episodes").getAsInt()).isEqualTo(10);
        assertThat(card.get("clip_passes").getAsInt()).isEqualTo(200);
        assertThat(card.get("sha256").getAsString()).isEqualTo(Provenance.sha256(weights));
        assertThat(card.get("validation_episode_accuracy").getAsDouble()).isBetween(0.0, 1.0);
        System.setProperty("tl4j.metaEncoder", out.toString());
        try (Backbone<Audio> loaded = SpeechMetaEncoder.load(KeywordEncoder.pipeline())) {
            assertThat(loaded.isPretrained()).isTrue();
            assertThat(loaded.provenance().sha256()).isEqualTo(Provenance.sha256(weights));
            assertThat(loaded.featureSize()).isEqualTo(128);
        } finally {
            System.clearProperty("tl4j.metaEncoder");
        }
    }

    @Test
    void committedEncoderLoadsWithTheCardOfItsWeights(@TempDir Path scratch) throws Exception {
        Path copy = scratch.resolve("weights.safetensors");
        try (var in = SpeechMetaEncoder.class.getResourceAsStream(
                SpeechMetaEncoder.RESOURCES + "/keyword-encoder.safetensors")) {
            Files.copy(in, copy);
        }
        try (Backbone<Audio> meta = SpeechMetaEncoder.load(KeywordEncoder.pipeline())) {
            assertThat(meta.provenance().note()).contains("prototypical network");
            assertThat(meta.provenance().sha256()).isEqualTo(Provenance.sha256(copy));
            assertThat(meta.featureSize()).isEqualTo(128);
        }
    }
}
