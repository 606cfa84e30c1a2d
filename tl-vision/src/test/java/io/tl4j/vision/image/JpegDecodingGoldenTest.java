package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * tl-vision's JPEG decoding (Java's ImageIO, through {@link ImageFiles}) against Pillow 9.4's (libjpeg-turbo),
 * which torchvision's and timm's reference evaluation decodes photos with, from {@code
 * scripts/make_jpeg_fixtures.py}: a 48x36 synthetic photo at quality 90 with 4:2:0 chroma subsampling and without
 * subsampling, as a progressive JPEG at quality 75, and as a grey JPEG. Both decoders descend from IJG's libjpeg (the
 * same integer inverse DCT, the same "fancy" triangle-filter chroma upsampling, the same YCbCr conversion) and give
 * the same 8-bit value for every pixel of every file: a model trained in Python on Pillow-decoded JPEGs sees the same
 * input here. Any difference fails the test.
 */
class JpegDecodingGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/jpeg");

    @Test
    void imageIoDecodesJpegsExactlyAsPillowDoes() throws IOException {
        JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN.resolve("golden.json")))
                .getAsJsonObject()
                .getAsJsonObject("files");
        assertThat(golden.keySet())
                .containsExactlyInAnyOrder("photo420.jpg", "photo444.jpg", "progressive.jpg", "gray.jpg");
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String name : golden.keySet()) {
                JsonObject expected = golden.getAsJsonObject(name);
                Image image = ImageFiles.read(GOLDEN.resolve(name), ImageLimits.DEFAULT);
                assertThat(image.getHeight()).isEqualTo(expected.get("height").getAsInt());
                assertThat(image.getWidth()).isEqualTo(expected.get("width").getAsInt());
                NDArray decoded = image.toNDArray(manager, Image.Flag.COLOR);
                int[] actual = decoded.toType(ai.djl.ndarray.types.DataType.INT32, false)
                        .toIntArray();
                JsonArray pixels = expected.getAsJsonArray("pixels");
                assertThat(actual).hasSize(pixels.size());
                int worst = 0;
                int off = 0;
                for (int i = 0; i < actual.length; i++) {
                    int gap = Math.abs(actual[i] - pixels.get(i).getAsInt());
                    worst = Math.max(worst, gap);
                    off += gap > 0 ? 1 : 0;
                }
                assertThat(off)
                        .as("%s: values of %d that differ from Pillow's, largest gap %d", name, actual.length, worst)
                        .isZero();
            }
        }
    }
}
