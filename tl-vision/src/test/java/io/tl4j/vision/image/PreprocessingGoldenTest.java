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

/**
 * The evaluation pipeline against torchvision 0.14.1's weights transform ({@code resize} with antialiasing, {@code
 * center_crop}, ImageNet normalisation) on an 8-bit image tensor, from {@code
 * scripts/make_preprocessing_golden_fixtures.py}: a 45x34 formula image upscaled and downscaled, bilinear and bicubic,
 * with center-crop offsets that are whole and half pixels (torchvision rounds halves to even). torchvision rounds each
 * resized value to 8 bits and tl4j keeps floats, so values agree within half a level over the smallest standard
 * deviation. Downscaling, tl4j also lands within one and a half levels of the same transform of a PIL image (PIL's
 * filters, as torchvision's and timm's reference evaluation reads photos).
 */
class PreprocessingGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/preprocessing");
    private static final double HALF_LEVEL = 0.5 / 255 / 0.224;

    @Test
    void filesThroughThePipelineMatchTorchvisionsTransform() throws IOException {
        JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN.resolve("golden.json")))
                .getAsJsonObject();
        Path image = GOLDEN.resolve(golden.get("image").getAsString());
        JsonArray cases = golden.getAsJsonArray("cases");
        assertThat(cases).hasSize(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (JsonElement element : cases) {
                JsonObject c = element.getAsJsonObject();
                int resize = c.get("resize").getAsInt();
                int crop = c.get("crop").getAsInt();
                Image.Interpolation mode = Image.Interpolation.valueOf(
                        c.get("interpolation").getAsString().toUpperCase(Locale.ROOT));
                ImagePipeline<Path> pipeline =
                        ImagePipeline.forFiles(crop).resizeAndCrop(resize, crop).interpolation(mode);
                float[] actual = pipeline.batch(manager, List.of(image), false, null)
                        .head()
                        .toFloatArray();
                JsonArray expected = c.getAsJsonArray("values");
                assertThat(actual).as("%s", c.get("interpolation")).hasSize(expected.size());
                double worst = 0;
                for (int i = 0; i < actual.length; i++) {
                    worst = Math.max(worst, Math.abs(actual[i] - expected.get(i).getAsDouble()));
                }
                assertThat(worst).as("resize %d crop %d %s", resize, crop, mode).isLessThan(HALF_LEVEL + 1e-4);
            }
        }
    }

    private static double worst(float[] actual, JsonArray expected) {
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected.get(i).getAsDouble()));
        }
        return worst;
    }
}
