package io.tl4j.speech.keyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.tl4j.core.Backbone;
import io.tl4j.core.Provenance;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.features.AudioPipeline;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KeywordEncoderTest {

    @Test
    void isACompactFourBlockNetworkWithNamedLayers() {
        try (Backbone<Audio> encoder = KeywordEncoder.untrained(KeywordEncoder.pipeline());
                NDManager manager = NDManager.newBaseManager()) {
            assertThat(encoder.layers()).containsExactly("block1", "block2", "block3", "block4", "pool");
            assertThat(encoder.inputShape()).isEqualTo(new Shape(1, 40, 51));
            assertThat(encoder.featureShape()).isEqualTo(new Shape(128));
            Block block = encoder.instantiate(manager, 0);
            long trainable = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    trainable += p.getValue().getArray().size();
                }
            }
            assertThat(trainable).isBetween(90_000L, 110_000L);
        }
    }

    @Test
    void shipsPretrainedWeightsWithTheirProvenance() throws Exception {
        Path copy = Files.createTempFile("keyword-encoder", ".safetensors");
        try (InputStream in = KeywordEncoder.class.getResourceAsStream(KeywordEncoder.WEIGHTS)) {
            Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Provenance provenance = KeywordEncoder.provenance();
        assertThat(provenance.sha256()).isEqualTo(Provenance.sha256(copy));
        assertThat(provenance.note()).contains("log-mel").contains("espeak-ng");
        assertThat(KeywordEncoder.card().getAsJsonArray("words").size()).isGreaterThanOrEqualTo(20);
        Files.delete(copy);
        try (Backbone<Audio> encoder = KeywordEncoder.pretrained()) {
            assertThat(encoder.isPretrained()).isTrue();
            assertThat(encoder.provenance()).isEqualTo(provenance);
            assertThat(encoder.weights()).containsKeys("block1.0.weight", "block4.1.runningMean");
        }
    }

    @Test
    void theNewWordsLearnerTrainsAHeadOnTheFrozenEncoder() {
        TransferLearner<Audio> learner = KeywordEncoder.newWordsLearner();
        try (Backbone<Audio> encoder = KeywordEncoder.pretrained()) {
            assertThat(learner.config().frozenLayers()).isEqualTo(encoder.layers());
        }
        assertThat(learner.config().optimizer().learningRate()).isEqualTo(1e-2f);
        assertThat(learner.config().epochs()).isEqualTo(20);
        assertThat(learner.config().batchSize()).isEqualTo(16);
        assertThat(learner.config().seed()).isEqualTo(1);
        AdaptationWords words = AdaptationWords.extract();
        LabeledData<Audio> train = AudioFolder.at(words.train()).load().samplePerClass(5, 1);
        try (TransferModel<Audio> model = learner.fit(train)) {
            assertThat(model.evaluate(AudioFolder.at(words.heldOutVoices()).load())
                            .accuracy())
                    .isGreaterThan(0.6);
        }
    }

    @Test
    void refusesAPipelineOfAnotherShape() {
        AudioPipeline other = AudioPipeline.builder().build(); // 10 ms hop: 101 frames
        assertThatThrownBy(() -> KeywordEncoder.pretrained(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(1, 40, 51)")
                .hasMessageContaining("(1, 40, 101)");
    }

    @Test
    void pretrainedFeaturesSeparateNewWordsSpokenByUnseenVoices() {
        AdaptationWords words = AdaptationWords.extract();
        LabeledData<Audio> pool = AudioFolder.at(words.train()).load();
        assertThat(pool.classNames()).containsExactly("backward", "follow", "forward", "learn", "visual");
        LabeledData<Audio> train = pool.samplePerClass(5, 1);
        LabeledData<Audio> test = AudioFolder.at(words.heldOutVoices()).load();
        assertThat(test.size()).isEqualTo(180);
        assertThat(AudioFolder.at(words.flite()).load().size()).isEqualTo(100);
        try (Backbone<Audio> encoder = KeywordEncoder.pretrained();
                TransferModel<Audio> model = TransferLearner.from(encoder)
                        .freezeAll()
                        .learningRate(1e-2f)
                        .epochs(100)
                        .progressBar(false)
                        .fit(train)) {
            assertThat(model.evaluate(test).accuracy()).isGreaterThan(0.6);
        }
    }
}
