package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** all-MiniLM-L6-v2 as a tl-core backbone: feature extraction, fine-tuning, save and load. */
class MiniLmTransferTest {

    @Test
    void layersAreHuggingFacesModulesAndFeaturesAreMeanPooled() {
        try (Backbone<String> backbone = MiniLm.encoder().backbone(Pooling.MEAN, 64)) {
            assertThat(backbone.layers())
                    .containsExactly(
                            "embeddings",
                            "encoder.layer.0",
                            "encoder.layer.1",
                            "encoder.layer.2",
                            "encoder.layer.3",
                            "encoder.layer.4",
                            "encoder.layer.5",
                            "pooling");
            assertThat(backbone.featureSize()).isEqualTo(384);
            assertThat(backbone.weights())
                    .containsKeys(
                            "embeddings.word_embeddings.weight",
                            "encoder.layer.3.attention.self.query.weight",
                            "encoder.layer.5.output.LayerNorm.bias");
            assertThat(backbone.weights()
                            .get("encoder.layer.0.intermediate.dense.weight")
                            .getShape()
                            .getShape())
                    .containsExactly(1536, 384);
        }
    }

    @Test
    void featureExtractionClassifiesUnseenTexts() {
        try (Backbone<String> backbone = MiniLm.encoder().backbone(Pooling.MEAN, 64);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .epochs(30)
                        .learningRate(0.05f)
                        .progressBar(false)
                        .fit(MiniLm.train())) {
            assertThat(model.evaluate(MiniLm.test()).accuracy()).isEqualTo(1.0);
        }
    }

    @Test
    void fineTuningTrainsTheUnfrozenLayersOnlyAndTheSavedModelPredictsTheSame(@TempDir Path dir) {
        try (Backbone<String> backbone = MiniLm.encoder().backbone(Pooling.MEAN, 32);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .freezeUntil("encoder.layer.5")
                        .epochs(2)
                        .batchSize(6)
                        .learningRate(1e-3f)
                        .progressBar(false)
                        .fit(MiniLm.train());
                Backbone<String> trained = model.backbone()) {
            Map<String, float[]> before = values(backbone);
            Map<String, float[]> after = values(trained);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            after.forEach((name, v) -> {
                if (name.startsWith("encoder.layer.5.")) {
                    assertThat(v).as(name).isNotEqualTo(before.get(name));
                } else {
                    assertThat(v).as(name).isEqualTo(before.get(name));
                }
            });
            model.save(dir);
            try (TransferModel<String> loaded = TransferModel.load(dir)) {
                List<String> texts = MiniLm.test().inputs();
                float[][] expected = model.probabilities(texts);
                float[][] actual = loaded.probabilities(texts);
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(actual[i]).containsExactly(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    private static Map<String, float[]> values(Backbone<String> backbone) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        backbone.weights().forEach((k, v) -> copy.put(k, v.toFloatArray()));
        return copy;
    }
}
