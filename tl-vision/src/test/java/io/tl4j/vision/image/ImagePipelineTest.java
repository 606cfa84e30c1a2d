package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.Components;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePipelineTest {

    @TempDir
    Path dir;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    private static Image image(int width, int height, Color left, Color right) {
        return ImageFactory.getInstance().fromImage(TestImages.halves(width, height, left, right));
    }

    @Test
    void decodesPngAndJpegFilesAndNormalisesWithImageNetStatistics() {
        Path png = TestImages.write(TestImages.halves(40, 30, Color.RED, Color.RED), dir.resolve("red.png"));
        Path jpg = TestImages.write(TestImages.halves(40, 30, Color.GRAY, Color.GRAY), dir.resolve("gray.jpg"));
        ImagePipeline<Path> p = ImagePipeline.forFiles(16);
        NDArray x = p.batch(manager, List.of(png, jpg), false, new Random(1)).head();
        assertThat(x.getShape()).isEqualTo(new Shape(2, 3, 16, 16));
        float[] v = x.toFloatArray();
        int plane = 16 * 16;
        assertThat(v[0]).isCloseTo((1f - 0.485f) / 0.229f, within(1e-4f));
        assertThat(v[plane]).isCloseTo((0f - 0.456f) / 0.224f, within(1e-4f));
        assertThat(v[2 * plane]).isCloseTo((0f - 0.406f) / 0.225f, within(1e-4f));
        // JPEG is lossy: Color.GRAY is 128, decoded within a few levels
        assertThat(v[3 * plane + 5]).isCloseTo((128 / 255f - 0.485f) / 0.229f, within(0.05f));
    }

    @Test
    void resizesTheShorterSideThenCropsTheCentre() {
        // 60x20, left half red, right half blue: resize to shorter side 20 keeps it, the centre
        // 16x16 crop spans columns 22..37, half red (22..29) and half blue (30..37)
        ImagePipeline<Image> p = ImagePipeline.forImages(16)
                .resizeAndCrop(20, 16)
                .normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        float[] v = p.batch(manager, List.of(image(60, 20, Color.RED, Color.BLUE)), false, null)
                .head()
                .toFloatArray();
        int plane = 256;
        assertThat(v[8 * 16]).isEqualTo(1f); // red channel, left column
        assertThat(v[8 * 16 + 15]).isEqualTo(0f); // red channel, right column
        assertThat(v[2 * plane + 8 * 16 + 15]).isEqualTo(1f); // blue channel, right column
        // an image smaller than the target is scaled up
        NDArray up = p.batch(manager, List.of(image(8, 10, Color.RED, Color.RED)), false, null)
                .head();
        assertThat(up.getShape()).isEqualTo(new Shape(1, 3, 16, 16));
        assertThat(up.get("0,0").toFloatArray()).containsOnly(1f);
    }

    @Test
    void horizontalFlipMirrorsInTrainingOnly() {
        ImagePipeline<Image> plain = ImagePipeline.forImages(16)
                .resizeAndCrop(16, 16)
                .normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        ImagePipeline<Image> flip = plain.horizontalFlip(1f);
        List<Image> input = List.of(image(16, 16, Color.RED, Color.BLUE));
        float[] eval = flip.batch(manager, input, false, new Random(1)).head().toFloatArray();
        float[] train = flip.batch(manager, input, true, new Random(1)).head().toFloatArray();
        assertThat(eval[0]).isEqualTo(1f);
        assertThat(train[0]).isEqualTo(0f);
        assertThat(train[15]).isEqualTo(1f);
        assertThat(plain.isRandomInTraining()).isFalse();
        assertThat(flip.isRandomInTraining()).isTrue();
    }

    @Test
    void randomResizedCropIsReproducibleAndStaysInsideTheImage() {
        ImagePipeline<Image> p = ImagePipeline.forImages(12).randomResizedCrop(0.08f, 1f);
        for (int seed = 0; seed < 200; seed++) {
            int[] box = RandomResizedCrop.box(30, 50, 0.08f, 1f, new Random(seed));
            assertThat(box[0]).isBetween(0, 30 - box[2]);
            assertThat(box[1]).isBetween(0, 50 - box[3]);
            double area = (double) box[2] * box[3] / (30 * 50);
            assertThat(area).isBetween(0.05, 1.0);
        }
        List<Image> images = Collections.nCopies(3, image(50, 30, Color.GREEN, Color.ORANGE));
        float[] a = p.batch(manager, images, true, new Random(5)).head().toFloatArray();
        float[] b = p.batch(manager, images, true, new Random(5)).head().toFloatArray();
        float[] c = p.batch(manager, images, true, new Random(6)).head().toFloatArray();
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void colorJitterVariesPerImageAndKeepsValuesInRange() {
        ImagePipeline<Image> p = ImagePipeline.forImages(8)
                .resizeAndCrop(8, 8)
                .normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1})
                .colorJitter(0.5f, 0.5f, 0.5f);
        List<Image> same = Collections.nCopies(4, image(8, 8, new Color(200, 60, 30), new Color(20, 90, 250)));
        NDArray x = p.batch(manager, same, true, new Random(3)).head();
        float[] v = x.toFloatArray();
        for (float f : v) {
            assertThat(f).isBetween(0f, 1f);
        }
        assertThat(x.get("0").toFloatArray()).isNotEqualTo(x.get("1").toFloatArray());
        float[] eval = p.batch(manager, same.subList(0, 1), false, new Random(3))
                .head()
                .toFloatArray();
        assertThat(eval[0]).isCloseTo(200 / 255f, within(1e-6f));
        // brightness only, factor 1 +- 0.5: every pixel of an image scales by the same factor
        ImagePipeline<Image> bright = p.colorJitter(0.5f, 0f, 0f);
        float[] b = bright.batch(manager, same.subList(0, 1), true, new Random(8))
                .head()
                .toFloatArray();
        float factor = b[0] / (200 / 255f);
        assertThat(factor).isBetween(0.5f, 1.5f);
        assertThat(b[4]).isCloseTo(Math.min(1f, factor * 20 / 255f), within(1e-5f));
    }

    @Test
    void grayscaleDecodesOneChannel() {
        ImagePipeline<Image> p = ImagePipeline.forImages(8).resizeAndCrop(8, 8).grayscale(0f, 1f);
        NDArray x = p.batch(manager, List.of(image(8, 8, Color.WHITE, Color.BLACK)), false, null)
                .head();
        assertThat(x.getShape()).isEqualTo(new Shape(1, 1, 8, 8));
        assertThat(x.toFloatArray()[0]).isEqualTo(1f);
        assertThat(x.toFloatArray()[7]).isEqualTo(0f);
    }

    @Test
    void corruptFileIsAnErrorNamingIt() {
        Path ok = TestImages.write(TestImages.halves(8, 8, Color.RED, Color.RED), dir.resolve("ok.png"));
        Path bad = TestImages.corrupt(dir.resolve("broken.png"));
        ImagePipeline<Path> p = ImagePipeline.forFiles(8);
        assertThatThrownBy(() -> p.batch(manager, List.of(ok, bad), false, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.toString());
        Path missing = dir.resolve("missing.jpg");
        assertThatThrownBy(() -> p.batch(manager, List.of(missing), false, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void rebuiltFromItsConfigurationThroughComponents() {
        ImagePipeline<Path> p = ImagePipeline.forFiles(12)
                .randomResizedCrop(0.3f, 0.9f)
                .horizontalFlip(0.5f)
                .colorJitter(0.2f, 0.3f, 0.4f);
        Object rebuilt = Components.pipeline(p.id(), p.config());
        assertThat(rebuilt).isInstanceOf(ImagePipeline.class);
        assertThat(((ImagePipeline<?>) rebuilt).config()).isEqualTo(p.config());
        Path file = TestImages.write(TestImages.halves(20, 14, Color.RED, Color.CYAN), dir.resolve("a.png"));
        @SuppressWarnings("unchecked")
        ImagePipeline<Path> q = (ImagePipeline<Path>) rebuilt;
        assertThat(q.batch(manager, List.of(file, file), true, new Random(4))
                        .head()
                        .toFloatArray())
                .containsExactly(p.batch(manager, List.of(file, file), true, new Random(4))
                        .head()
                        .toFloatArray());
        ImagePipeline<Image> images = ImagePipeline.forImages(10).grayscale(0.5f, 0.25f);
        assertThat(((ImagePipeline<?>) Components.pipeline(images.id(), images.config())).config())
                .isEqualTo(images.config());
    }
}
