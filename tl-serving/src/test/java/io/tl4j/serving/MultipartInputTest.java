package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.assertError;
import static io.tl4j.serving.ServingFixtures.assertProbabilities;
import static io.tl4j.serving.ServingFixtures.postFiles;
import static io.tl4j.serving.ServingFixtures.uploadsLeft;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.serving.ServingFixtures.Part;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.features.AudioPipeline;
import io.tl4j.vision.image.ImagePipeline;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image and audio files posted as multipart/form-data are decoded by the served model's own pipeline (tl-vision's
 * images, tl-speech's WAV recordings) and answered with the model's probabilities; undecodable files are 400 naming
 * their form field, oversized bodies 413, files for a model that reads none 400; no upload outlives its request.
 */
class MultipartInputTest {

    private static final int RATE = 16_000;

    @TempDir
    static Path dir;

    private static ModelServer server;
    private static TransferModel<Path> vision;
    private static TransferModel<Audio> speech;
    private static final List<Path> IMAGES = new ArrayList<>();
    private static final List<Path> CLIPS = new ArrayList<>();

    @BeforeAll
    static void trainSaveAndServe() {
        List<Path> trainImages = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            trainImages.add(png("red" + i, new Color(200 + 10 * i, 10, 10)));
            trainImages.add(png("blue" + i, new Color(10, 10, 200 + 10 * i)));
        }
        IMAGES.add(png("unseen-blue", new Color(30, 20, 230)));
        IMAGES.add(png("unseen-red", new Color(230, 30, 20)));
        Backbone<Path> imageBackbone = Backbone.<Path>builder()
                .setArchitecture(Architectures.convNet(4))
                .setPipeline(ImagePipeline.forFiles(8))
                .build();
        vision = TransferLearner.from(imageBackbone)
                .unfreezeAll()
                .learningRate(0.05f)
                .epochs(15)
                .progressBar(false)
                .fit(LabeledData.of(trainImages, new int[] {0, 1, 0, 1, 0, 1, 0, 1}, List.of("red", "blue")));
        vision.save(dir.resolve("vision"));

        List<Audio> tones = new ArrayList<>();
        int[] labels = new int[8];
        for (int i = 0; i < 4; i++) {
            tones.add(tone(300 + 20 * i));
            tones.add(tone(2500 + 100 * i));
            labels[2 * i + 1] = 1;
        }
        CLIPS.add(wav("unseen-high", tone(2700)));
        CLIPS.add(wav("unseen-low", tone(330)));
        Backbone<Audio> audioBackbone = Backbone.<Audio>builder()
                .setArchitecture(Architectures.convNet(4))
                .setPipeline(AudioPipeline.builder().build())
                .build();
        speech = TransferLearner.from(audioBackbone)
                .unfreezeAll()
                .learningRate(0.05f)
                .epochs(10)
                .progressBar(false)
                .fit(LabeledData.of(tones, labels, List.of("low", "high")));
        speech.save(dir.resolve("speech"));

        server = ModelServer.builder()
                .model("colours", dir.resolve("vision"))
                .model("tones", dir.resolve("speech"))
                .model("vectors", ServingFixtures.saveModel(dir.resolve("vectors"), 1))
                .port(0)
                .maxUploadBytes(80_000)
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
        vision.close();
        speech.close();
    }

    @Test
    void imageFilesAreDecodedByTheModelsPipelineAndAnswerItsProbabilities() {
        float[][] expected = vision.probabilities(IMAGES);
        HttpResponse<String> response = postFiles(
                server,
                "/v1/models/colours:predict",
                new Part("image", "a.png", bytes(IMAGES.get(0))),
                new Part("image", "b.png", bytes(IMAGES.get(1))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertProbabilities(response, expected, List.of("red", "blue"));
        assertThat(topLabels(response)).containsExactly("blue", "red");
        assertThat(uploadsLeft(server)).isZero();
    }

    @Test
    void wavFilesAreDecodedByTheModelsPipelineAndAnswerItsProbabilities() {
        float[][] expected = speech.probabilities(List.of(Wav.read(CLIPS.get(0)), Wav.read(CLIPS.get(1))));
        HttpResponse<String> response = postFiles(
                server,
                "/v1/models/tones:predict",
                new Part("first", "high.wav", bytes(CLIPS.get(0))),
                new Part("second", "low.wav", bytes(CLIPS.get(1))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertProbabilities(response, expected, List.of("low", "high"));
        assertThat(topLabels(response)).containsExactly("high", "low");
        assertThat(uploadsLeft(server)).isZero();
    }

    @Test
    void undecodableFilesAreRefusedNamingTheirField() {
        byte[] text = "this is not an image".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> image = postFiles(
                server,
                "/v1/models/colours:predict",
                new Part("photo", "ok.png", bytes(IMAGES.get(0))),
                new Part("photo", "../../etc/passwd", text));
        assertError(image, 400, "photo[1]");
        assertThat(image.body()).doesNotContain(server.uploadDirectory().toString());

        byte[] brokenWav = "RIFF\u0000\u0000\u0000\u0000WAVEjunk".getBytes(StandardCharsets.ISO_8859_1);
        assertError(postFiles(server, "/v1/models/tones:predict", new Part("clip", "c.wav", brokenWav)), 400, "clip");
        // a PNG is not a recording either
        assertError(
                postFiles(server, "/v1/models/tones:predict", new Part("clip", "c.wav", bytes(IMAGES.get(0)))),
                400,
                "clip");
        // a model whose pipeline reads float arrays takes no files
        HttpResponse<String> vectors =
                postFiles(server, "/v1/models/vectors:predict", new Part("x", "x.png", bytes(IMAGES.get(0))));
        assertError(vectors, 400, "x");
        assertThat(vectors.body()).contains("takes no files");
        assertThat(uploadsLeft(server)).isZero();
    }

    @Test
    void anOversizedUploadIs413() {
        byte[] clip = bytes(CLIPS.get(0)); // 1 s of 16-bit audio: 32 kB
        HttpResponse<String> response = postFiles(
                server,
                "/v1/models/tones:predict",
                new Part("a", "a.wav", clip),
                new Part("b", "b.wav", clip),
                new Part("c", "c.wav", clip));
        assertError(response, 413, null);
        // without a Content-Length the multipart reader stops at the cap
        assertError(
                postFiles(
                        server,
                        "/v1/models/tones:predict",
                        true,
                        new Part("a", "a.wav", clip),
                        new Part("b", "b.wav", clip),
                        new Part("c", "c.wav", clip)),
                413,
                null);
        // the cap on uploads is not the cap on JSON bodies: two clips pass
        assertThat(postFiles(
                                server,
                                "/v1/models/tones:predict",
                                new Part("a", "a.wav", clip),
                                new Part("b", "b.wav", clip))
                        .statusCode())
                .isEqualTo(200);
    }

    private static List<String> topLabels(HttpResponse<String> response) {
        List<String> top = new ArrayList<>();
        JsonParser.parseString(response.body())
                .getAsJsonObject()
                .getAsJsonArray("predictions")
                .forEach(p -> top.add(
                        p.getAsJsonArray().get(0).getAsJsonObject().get("label").getAsString()));
        return top;
    }

    private static Path png(String name, Color colour) {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 16, 16);
        g.dispose();
        Path file = dir.resolve(name + ".png");
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static Audio tone(double hertz) {
        float[] samples = new float[RATE];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.5 * Math.sin(2 * Math.PI * hertz * i / RATE));
        }
        return new Audio(samples, RATE, hertz + " Hz");
    }

    private static Path wav(String name, Audio audio) {
        Path file = dir.resolve(name + ".wav");
        Wav.write16(file, audio);
        return file;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
