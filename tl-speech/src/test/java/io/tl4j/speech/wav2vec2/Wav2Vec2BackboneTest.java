package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.speech.SpeechComponents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wav2vec2 classification backbone: layers, padding masked out, transfer learning, save and load. */
class Wav2Vec2BackboneTest {

    private static JsonObject smallLarge() {
        return Golden.json().getAsJsonArray("cases").get(1).getAsJsonObject();
    }

    private static Map<String, NDArray> encoderWeights(NDManager manager, JsonObject c) {
        Map<String, NDArray> weights = new LinkedHashMap<>(Golden.weights(manager, c.getAsJsonObject("tensors")));
        weights.keySet().removeIf(k -> k.startsWith("lm_head."));
        return weights;
    }

    @Test
    void paddedRecordingsPoolOnlyTheirRealFrames() {
        JsonObject c = smallLarge();
        Wav2Vec2Config config =
                Wav2Vec2Config.fromJson(c.getAsJsonObject("config").toString());
        try (NDManager manager = NDManager.newBaseManager();
                Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(Wav2Vec2Backbones.architecture(config))
                        .setPipeline(WaveformPipeline.of(600))
                        .optWeights(encoderWeights(manager, c))
                        .build();
                Wav2Vec2Model model = Wav2Vec2Model.create(config, manager)) {
            assertThat(backbone.layers())
                    .containsExactly(
                            "feature_extractor",
                            "feature_projection",
                            "encoder.pos_conv_embed",
                            "encoder.layers.0",
                            "encoder.layers.1",
                            "encoder.layer_norm",
                            "pooling");
            assertThat(backbone.featureShape()).isEqualTo(new Shape(32));
            model.loadWeights(encoderWeights(manager, c));

            Random random = new Random(3);
            List<float[]> clips = List.of(ToySpeech.speak("ab", 100, random), ToySpeech.speak("c", 80, random));
            Block block = backbone.instantiate(manager, 0);
            NDArray pooled = block.forward(
                            new ParameterStore(manager, false),
                            backbone.pipeline().batch(manager, clips, false, null),
                            false)
                    .head();
            for (int i = 0; i < clips.size(); i++) {
                // the same clip alone, unpadded and standardized as the pipeline does
                NDArray alone = WaveformPipeline.of(clips.get(i).length)
                        .batch(manager, List.of(clips.get(i)), false, null)
                        .head()
                        .get(":, 0, :");
                NDArray expected = model.forward(alone, null).hiddenStates().mean(new int[] {1});
                assertThat(Golden.maxAbsDiff(
                                pooled.get(i).toFloatArray(), expected.get(0).toFloatArray()))
                        .as("clip %d", i)
                        .isLessThan(1e-4f);
            }
        }
    }

    @Test
    void classifiesToyKeywordsAndSurvivesSaveAndLoad(@TempDir Path dir) {
        Wav2Vec2Config config = ToySpeech.tinyConfig();
        List<ToySpeech.Utterance> train = ToySpeech.words(30, 5);
        List<ToySpeech.Utterance> test = ToySpeech.words(30, 6);
        try (Backbone<float[]> backbone = Wav2Vec2Backbones.random(config, WaveformPipeline.of(220))) {
            TransferModel<float[]> model = TransferLearner.from(backbone)
                    .freezeUntil("encoder.layers.1")
                    .head(Head.linear())
                    .learningRate(3e-3f)
                    .epochs(40)
                    .batchSize(10)
                    .seed(1)
                    .progressBar(false)
                    .fit(data(train));
            double accuracy = model.evaluate(data(test)).accuracy();
            System.out.printf("toy keywords: held-out accuracy %.3f%n", accuracy);
            assertThat(accuracy).isGreaterThanOrEqualTo(0.8);

            model.save(dir);
            new SpeechComponents().register();
            TransferModel<float[]> loaded = TransferModel.load(dir);
            List<float[]> inputs = new ArrayList<>();
            test.forEach(u -> inputs.add(u.samples()));
            assertThat(loaded.predict(inputs)).containsExactly(model.predict(inputs));
        }
    }

    @Test
    void badRecordingsAreNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            WaveformPipeline pipeline = WaveformPipeline.of(100);
            assertThatThrownBy(() -> pipeline.batch(manager, List.of(new float[10], new float[0]), false, null))
                    .hasMessageContaining("recording 1 of the batch is empty");
            assertThatThrownBy(() -> Wav2Vec2Backbones.random(Wav2Vec2Config.wav2vec2Base(), WaveformPipeline.of(399)))
                    .hasMessageContaining("at least 400");
            float[] bad = new float[20];
            bad[7] = Float.NaN;
            assertThatThrownBy(() -> pipeline.batch(manager, List.of(bad), false, null))
                    .hasMessageContaining("recording 0 of the batch has NaN at sample 7");
            NDList batch = pipeline.batch(manager, List.of(new float[] {1, 2, 3}), false, null);
            assertThat(batch.head().get(0, 1).sum().getFloat()).isEqualTo(3f);
        }
    }

    private static LabeledData<float[]> data(List<ToySpeech.Utterance> utterances) {
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[utterances.size()];
        for (int i = 0; i < utterances.size(); i++) {
            inputs.add(utterances.get(i).samples());
            labels[i] = ToySpeech.ALPHABET.indexOf(utterances.get(i).text());
        }
        return LabeledData.of(inputs, labels, List.of("a", "b", "c"));
    }
}
