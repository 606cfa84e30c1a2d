package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation pipeline against Pillow 9.4 and torchvision 0.14.1's transform of a PIL image ({@code resize},
 * {@code center_crop}), and against Hugging Face's ConvNeXT image processor's arithmetic on the same PIL resize, from
 * {@code scripts/make_preprocessing_golden_fixtures.py}: a 45x34 formula image upscaled and downscaled, bilinear and
 * bicubic, squashed, with center-crop offsets that are whole and half pixels (torchvision rounds halves to even,
 * transformers rounds down). The fixture holds the 8-bit pixels Pillow produces; tl4j's pipeline output, turned back
 * into 8-bit levels, equals them: no pixel is a level off (torchvision's tensor path misses bicubic upscaling by up to
 * 8 levels on this image).
 */
class PreprocessingGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/preprocessing");
    private static final float[] MEAN = ImagePipeline.IMAGENET_MEAN;
    private static final float[] STD = ImagePipeline.IMAGENET_STD;

    @Test
    void filesThroughThePipelineEqualPillowsPixels(@TempDir Path dir) throws IOException {
        JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN.resolve("golden.json")))
                .getAsJsonObject();
        Path image = GOLDEN.resolve(golden.get("image").getAsString());
        JsonArray cases = golden.getAsJsonArray("cases");
        assertThat(cases).hasSize(8);
        int convNextCases = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (JsonElement element : cases) {
                JsonObject c = element.getAsJsonObject();
                Image.Interpolation mode = Image.Interpolation.valueOf(
                        c.get("interpolation").getAsString().toUpperCase(Locale.ROOT));
                ImagePipeline<Path> pipeline;
                if (c.get("kind").getAsString().equals("convnext")) {
                    Path model = Files.createDirectories(dir.resolve("convnext" + convNextCases++));
                    Files.writeString(
                            model.resolve("preprocessor_config.json"),
                            "{\"image_processor_type\": \"ConvNextImageProcessor\", \"crop_pct\": " + c.get("crop_pct")
                                    + ", \"size\": {\"shortest_edge\": " + c.get("shortest_edge") + "},"
                                    + " \"resample\": " + (mode == Image.Interpolation.BICUBIC ? 3 : 2)
                                    + ", \"image_mean\": [0.485, 0.456, 0.406], \"image_std\": [0.229, 0.224, 0.225]}");
                    pipeline = Preprocessing.huggingFace(model).forFiles();
                } else {
                    int resize = c.get("resize").getAsInt();
                    int crop = c.get("crop").getAsInt();
                    pipeline = ImagePipeline.forFiles(crop)
                            .resizeAndCrop(resize, crop)
                            .interpolation(mode)
                            .squash(c.get("squash").getAsBoolean());
                }
                float[] actual = pipeline.batch(manager, List.of(image), false, null)
                        .head()
                        .toFloatArray();
                JsonArray pixels = c.getAsJsonArray("pixels");
                assertThat(actual).as("%s", c.get("kind")).hasSize(pixels.size());
                int plane = actual.length / 3;
                double worst = 0;
                for (int i = 0; i < actual.length; i++) {
                    int ch = i / plane;
                    double level = (actual[i] * STD[ch] + MEAN[ch]) * 255;
                    worst = Math.max(worst, Math.abs(level - pixels.get(i).getAsInt()));
                }
                assertThat(worst)
                        .as("%s: largest gap in 8-bit levels", pipeline)
                        .isLessThan(1e-3);
            }
        }
        assertThat(convNextCases).isEqualTo(1);
    }

    @Test
    void transformersRoundsTheCropDownWhereTorchvisionRoundsToEven(@TempDir Path dir) throws IOException {
        // the fixture's ConvNeXT case: 45x34 -> 39x30, crop 20: offset (39 - 20) // 2 = 9, torchvision's round(9.5) =
        // 10
        JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN.resolve("golden.json")))
                .getAsJsonObject();
        Path image = GOLDEN.resolve(golden.get("image").getAsString());
        ImagePipeline<Path> hf = ImagePipeline.forFiles(20)
                .resizeAndCrop(30, 20)
                .interpolation(Image.Interpolation.BICUBIC)
                .cropRoundsDown(true);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] down = hf.batch(manager, List.of(image), false, null).head().toFloatArray();
            float[] even = hf.cropRoundsDown(false)
                    .batch(manager, List.of(image), false, null)
                    .head()
                    .toFloatArray();
            // the same rows, shifted by one column: torchvision's column x is transformers' column x + 1
            for (int row = 0; row < 20; row++) {
                for (int x = 0; x < 19; x++) {
                    assertThat(even[row * 20 + x]).isEqualTo(down[row * 20 + x + 1]);
                }
            }
            assertThat(even).isNotEqualTo(down);
        }
    }
}
