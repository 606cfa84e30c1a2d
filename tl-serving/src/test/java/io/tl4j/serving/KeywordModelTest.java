package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.postFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.TransferModel;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.serving.ServingFixtures.Part;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyword spotter end to end: tl-speech's pretrained keyword encoder (frozen) and a linear head learn five words
 * from 20 espeak clips each, the saved model is served, and held-out voices' WAV files uploaded as multipart get the
 * model's own probabilities (log-mel computed by the served model's pipeline) and mostly the right word.
 */
class KeywordModelTest {

    @TempDir
    Path dir;

    @Test
    void uploadedWavClipsGetTheKeywordModelsOwnProbabilities() {
        AdaptationWords words = AdaptationWords.extract();
        List<Path> clips = AdaptationWords.firstClips(words.heldOutVoices(), 2);
        List<String> truth =
                clips.stream().map(c -> c.getParent().getFileName().toString()).toList();
        float[][] expected;
        List<String> classes;
        try (TransferModel<Audio> model = KeywordEncoder.newWordsLearner()
                .fit(AudioFolder.at(words.train()).load())) {
            model.save(dir.resolve("keywords"));
            expected = model.probabilities(clips.stream().map(Wav::read).toList());
            classes = model.classNames();
        }
        try (ModelServer server = ModelServer.builder()
                .model("keywords", dir.resolve("keywords"))
                .port(0)
                .build()
                .start()) {
            Part[] parts = new Part[clips.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = new Part("clip" + i, "clip.wav", bytes(clips.get(i)));
            }
            HttpResponse<String> response = postFiles(server, "/v1/models/keywords:predict", parts);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonArray predictions =
                    JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("predictions");
            assertThat(predictions).hasSize(clips.size());
            int right = 0;
            for (int i = 0; i < clips.size(); i++) {
                JsonArray ranked = predictions.get(i).getAsJsonArray();
                for (var element : ranked) {
                    JsonObject label = element.getAsJsonObject();
                    int c = classes.indexOf(label.get("label").getAsString());
                    assertThat(label.get("probability").getAsFloat())
                            .as("clip %s, word %s", clips.get(i).getFileName(), classes.get(c))
                            .isCloseTo(expected[i][c], within(1e-5f));
                }
                String top = ranked.get(0).getAsJsonObject().get("label").getAsString();
                right += top.equals(truth.get(i)) ? 1 : 0;
            }
            assertThat(right).as("held-out clips whose word is the top label").isGreaterThanOrEqualTo(8);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
