package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.assertError;
import static io.tl4j.serving.ServingFixtures.assertProbabilities;
import static io.tl4j.serving.ServingFixtures.body;
import static io.tl4j.serving.ServingFixtures.post;
import static io.tl4j.serving.ServingFixtures.postFiles;
import static io.tl4j.serving.ServingFixtures.uploadsLeft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.Backbone;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TransferModel;
import io.tl4j.demo.FashionMnistSubset;
import io.tl4j.serving.ServingFixtures.Part;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.wav2vec2.Wav2Vec2Backbones;
import io.tl4j.speech.wav2vec2.Wav2Vec2Config;
import io.tl4j.speech.wav2vec2.WaveformPipeline;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.data.IdxDatasets;
import io.tl4j.vision.data.Mnist;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads for models whose pipelines take float arrays: the shipped Fashion-MNIST ResNet (tl-vision's
 * {@code ArrayImagePipeline}, 1x28x28) answers the PNG of a test image with the probabilities of its array, and a
 * tiny wav2vec2 model (tl-speech's {@code WaveformPipeline}) answers WAV files; corrupt or wrongly sized files are 400
 * naming their form field, and JSON arrays of a length the pipeline refuses are 400 naming {@code inputs[i]} before
 * anything is queued. Both heads are seeded linear heads: the test compares the server with the model, not accuracy.
 */
class ArrayPipelineUploadsTest {

    private static final int RATE = WaveformPipeline.SAMPLE_RATE;

    @TempDir
    static Path dir;

    private static ModelServer server;
    private static Backbone<float[]> resnet;
    private static Backbone<float[]> wav2vec2;
    private static TransferModel<float[]> fashion;
    private static TransferModel<float[]> speech;
    private static List<float[]> images;

    @BeforeAll
    static void saveAndServe() {
        images = IdxDatasets.load(
                        FashionMnistSubset.targetImages(), FashionMnistSubset.targetLabels(), Mnist.FASHION_CLASSES)
                .inputs()
                .subList(0, 3);
        resnet = FashionMnistResNet.backbone();
        fashion = LinearHeads.of(
                resnet, Mnist.FASHION_CLASSES, weights(10, FashionMnistResNet.FEATURES, 1), new float[10]);
        fashion.save(dir.resolve("fashion"));
        Wav2Vec2Config tiny = Wav2Vec2Config.builder()
                .conv(new int[] {32, 32, 32}, new int[] {10, 3, 2}, new int[] {5, 2, 2})
                .hiddenSize(32)
                .numHiddenLayers(2)
                .numAttentionHeads(4)
                .intermediateSize(64)
                .numConvPosEmbeddings(16)
                .numConvPosEmbeddingGroups(4)
                .allDropouts(0f)
                .featExtractNorm(Wav2Vec2Config.FeatureNorm.LAYER)
                .doStableLayerNorm(true)
                .build();
        wav2vec2 = Wav2Vec2Backbones.random(tiny, WaveformPipeline.of(1600));
        speech = LinearHeads.of(wav2vec2, List.of("low", "mid", "high"), weights(3, 32, 2), new float[3]);
        speech.save(dir.resolve("speech"));
        server = ModelServer.builder()
                .model("fashion", dir.resolve("fashion"))
                .model("keywords", dir.resolve("speech"))
                .port(0)
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
        fashion.close();
        speech.close();
        resnet.close();
        wav2vec2.close();
    }

    @Test
    void thePngOfAFashionMnistImageIsAnsweredAsItsArray() {
        float[][] expected = fashion.probabilities(images);
        HttpResponse<String> files = postFiles(
                server,
                "/v1/models/fashion:predict",
                new Part("image", "0.png", png(images.get(0))),
                new Part("image", "1.png", png(images.get(1))),
                new Part("image", "2.png", png(images.get(2))));
        assertThat(files.statusCode()).as(files.body()).isEqualTo(200);
        assertProbabilities(files, expected, Mnist.FASHION_CLASSES);
        HttpResponse<String> arrays = post(server, "/v1/models/fashion:predict", body(images.toArray(new float[0][])));
        assertThat(arrays.statusCode()).as(arrays.body()).isEqualTo(200);
        assertProbabilities(arrays, expected, Mnist.FASHION_CLASSES);
        assertThat(uploadsLeft(server)).isZero();
    }

    @Test
    void wavFilesAreAnsweredByTheWav2vec2Model() {
        float[] sweep = sweep(RATE, 1600, 200, 3000);
        float[] tone = sweep(8000, 700, 1500, 1500);
        Path wide = dir.resolve("sweep.wav");
        Path narrow = dir.resolve("tone-8k.wav");
        Wav.write16(wide, new Audio(sweep, RATE, "sweep"));
        Wav.write16(narrow, new Audio(tone, 8000, "tone"));
        WaveformPipeline pipeline = WaveformPipeline.of(1600);
        float[][] expected = speech.probabilities(List.of(pipeline.readFile(wide), pipeline.readFile(narrow)));
        HttpResponse<String> response = postFiles(
                server,
                "/v1/models/keywords:predict",
                new Part("first", "sweep.wav", bytes(wide)),
                new Part("second", "tone.wav", bytes(narrow)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertProbabilities(response, expected, List.of("low", "mid", "high"));
        // the recording itself, unquantised, as JSON: the same answer within what 16 bits change
        float[][] exact = speech.probabilities(List.of(sweep));
        float[] fromWav = expected[0];
        float gap = 0;
        for (int c = 0; c < 3; c++) {
            gap = Math.max(gap, Math.abs(fromWav[c] - exact[0][c]));
            assertThat(fromWav[c]).isCloseTo(exact[0][c], within(1e-3f));
        }
        System.out.printf("wav2vec2 served: 16-bit WAV vs float waveform, probabilities within %.2e%n", gap);
        HttpResponse<String> json = post(server, "/v1/models/keywords:predict", body(sweep));
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertProbabilities(json, exact, List.of("low", "mid", "high"));
        assertThat(uploadsLeft(server)).isZero();
    }

    @Test
    void corruptOrMissizedFilesAre400NamingTheirField() {
        byte[] text = "this is not an image".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> corrupt = postFiles(
                server,
                "/v1/models/fashion:predict",
                new Part("photo", "ok.png", png(images.get(0))),
                new Part("photo", "bad.png", text));
        assertError(corrupt, 400, "photo[1]");
        assertThat(corrupt.body()).doesNotContain(server.uploadDirectory().toString());

        float[] big = new float[56 * 56];
        HttpResponse<String> missized =
                postFiles(server, "/v1/models/fashion:predict", new Part("scan", "big.png", png(big, 56, 56)));
        assertError(missized, 400, "scan");
        assertThat(missized.body())
                .contains("is 56 x 56 pixels")
                .contains("takes 28 x 28 images and does not resize")
                .doesNotContain(server.uploadDirectory().toString());

        byte[] brokenWav = "RIFF\u0000\u0000\u0000\u0000WAVEjunk".getBytes(StandardCharsets.ISO_8859_1);
        assertError(
                postFiles(server, "/v1/models/keywords:predict", new Part("clip", "c.wav", brokenWav)), 400, "clip");
        assertError(
                postFiles(server, "/v1/models/keywords:predict", new Part("clip", "c.wav", png(images.get(0)))),
                400,
                "clip");
        assertThat(uploadsLeft(server)).isZero();
    }

    @Test
    void jsonArraysThePipelineRefusesAre400NamingTheInput() {
        float[] shortImage = new float[783];
        HttpResponse<String> image = post(server, "/v1/models/fashion:predict", body(images.get(0), shortImage));
        assertError(image, 400, "inputs[1]");
        assertThat(image.body())
                .contains("inputs[1] has 783 numbers; model 'fashion' takes arrays of 784 numbers (a 1x28x28 image");
        HttpResponse<String> text = post(server, "/v1/models/fashion:predict", "{\"inputs\":[\"a shirt\"]}");
        assertError(text, 400, "inputs[0]");
        assertThat(text.body()).contains("inputs[0] is text; model 'fashion' takes arrays of 784 numbers");

        HttpResponse<String> empty = post(server, "/v1/models/keywords:predict", "{\"inputs\":[[0.1,0.2],[]]}");
        assertError(empty, 400, "inputs[1]");
        assertThat(empty.body())
                .contains("inputs[1] has 0 numbers; model 'keywords' takes non-empty arrays of 16000 Hz samples");
    }

    /** The 8-bit grayscale PNG of a 28x28 array in [0, 1]. */
    private static byte[] png(float[] values) {
        return png(values, Mnist.SIDE, Mnist.SIDE);
    }

    /** The 8-bit grayscale PNG of a one-channel array in [0, 1], each value as {@code round(v * 255)}. */
    private static byte[] png(float[] values, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, Math.round(values[y * width + x] * 255));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A sine sweeping from {@code from} to {@code to} Hz, amplitude 0.4, at {@code rate}. */
    private static float[] sweep(int rate, int samples, double from, double to) {
        float[] x = new float[samples];
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            phase += 2 * Math.PI * (from + (to - from) * i / samples) / rate;
            x[i] = (float) (0.4 * Math.sin(phase));
        }
        return x;
    }

    private static float[][] weights(int classes, int features, long seed) {
        Random random = new Random(seed);
        float[][] weights = new float[classes][features];
        for (float[] row : weights) {
            for (int f = 0; f < features; f++) {
                row[f] = (float) random.nextGaussian() * 2;
            }
        }
        return weights;
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
