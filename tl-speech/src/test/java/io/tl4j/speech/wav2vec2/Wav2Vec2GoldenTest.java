package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The encoder equals torchaudio 0.13's wav2vec2 for the same weights (fixtures from the script). */
class Wav2Vec2GoldenTest {

    private static final float TOLERANCE = 1e-4f;

    @Test
    void encoderMatchesTorchaudioForBaseAndLargeLayouts() {
        JsonObject golden = Golden.json();
        for (JsonElement element : golden.getAsJsonArray("cases")) {
            JsonObject c = element.getAsJsonObject();
            String name = c.get("name").getAsString();
            Wav2Vec2Config config =
                    Wav2Vec2Config.fromJson(c.getAsJsonObject("config").toString());
            try (NDManager manager = NDManager.newBaseManager();
                    Wav2Vec2Model model = Wav2Vec2Model.create(config, manager)) {
                Map<String, NDArray> all = Golden.weights(manager, c.getAsJsonObject("tensors"));
                Map<String, NDArray> encoder = new LinkedHashMap<>(all);
                encoder.keySet().removeIf(k -> k.startsWith("lm_head."));
                Map<String, Shape> expectedShapes = new LinkedHashMap<>();
                encoder.forEach((k, v) -> expectedShapes.put(k, v.getShape()));
                assertThat(Wav2Vec2Model.parameterShapes(config))
                        .as(name)
                        .containsExactlyInAnyOrderEntriesOf(expectedShapes);
                model.loadWeights(encoder);

                int batch = c.get("batch").getAsInt();
                int samples = c.get("samples").getAsInt();
                NDArray waveforms = Golden.waveform(manager, batch, samples);
                NDArray lengths = manager.create(Golden.longs(c.getAsJsonArray("lengths")));
                Wav2Vec2Model.Output padded = model.forward(waveforms, lengths);
                assertThat(padded.hiddenStates().getShape()).isEqualTo(Golden.shape(c.getAsJsonArray("hidden_shape")));
                assertThat(padded.frameLengths().toLongArray())
                        .as(name)
                        .containsExactly(Golden.longs(c.getAsJsonArray("frame_lengths")));
                float diff = Golden.maxAbsDiff(
                        padded.hiddenStates().toFloatArray(), Golden.floats(c.getAsJsonArray("hidden")));
                assertThat(diff)
                        .as(name + " padded batch, max |java - torchaudio|")
                        .isLessThan(TOLERANCE);

                Wav2Vec2Model.Output unpadded = model.forward(waveforms, null);
                float diffAll = Golden.maxAbsDiff(
                        unpadded.hiddenStates().toFloatArray(), Golden.floats(c.getAsJsonArray("hidden_unpadded")));
                assertThat(diffAll).as(name + " without lengths").isLessThan(TOLERANCE);
            }
        }
    }
}
