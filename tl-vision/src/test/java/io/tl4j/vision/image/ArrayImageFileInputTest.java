package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.ArrayInput;
import io.tl4j.core.Backbone;
import io.tl4j.core.FileInput;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.FashionMnistSubset;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.data.IdxDatasets;
import io.tl4j.vision.data.Mnist;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ArrayImagePipeline} as a {@link FileInput} and an {@link ArrayInput}: an image file of the pipeline's size
 * becomes the very array it was written from; another size, a corrupt file and an unreadable channel count are
 * refused naming the file.
 */
class ArrayImageFileInputTest {

    @TempDir
    Path dir;

    @Test
    void thePngOfAFashionMnistImageIsThatArrayAndPredictsTheSameProbabilities() {
        LabeledData<float[]> test = IdxDatasets.load(
                FashionMnistSubset.targetImages(), FashionMnistSubset.targetLabels(), Mnist.FASHION_CLASSES);
        List<float[]> arrays = test.inputs().subList(0, 8);
        List<float[]> read = new ArrayList<>();
        ArrayImagePipeline pipeline = FashionMnistResNet.pipeline();
        for (int i = 0; i < arrays.size(); i++) {
            Path png = TestImages.write(gray(arrays.get(i), Mnist.SIDE, Mnist.SIDE), dir.resolve(i + ".png"));
            read.add(pipeline.readFile(png));
            assertThat(read.get(i)).as("image %d", i).containsExactly(arrays.get(i));
        }
        try (Backbone<float[]> backbone = FashionMnistResNet.backbone();
                TransferModel<float[]> model =
                        LinearHeads.of(backbone, Mnist.FASHION_CLASSES, weights(10, 1), new float[10])) {
            float[][] expected = model.probabilities(arrays);
            float[][] actual = model.probabilities(read);
            for (int i = 0; i < expected.length; i++) {
                assertThat(expected[i][argMax(expected[i])])
                        .as("a confident head")
                        .isGreaterThan(0.2f);
                for (int c = 0; c < expected[i].length; c++) {
                    assertThat(actual[i][c]).as("image %d class %d", i, c).isCloseTo(expected[i][c], within(1e-5f));
                }
            }
        }
    }

    @Test
    void filesAreConvertedToThePipelinesChannelsAndLaidOutChannelMajor() {
        Path colour = TestImages.write(
                TestImages.halves(4, 2, new Color(30, 60, 90), new Color(255, 0, 0)), dir.resolve("colour.png"));
        // one channel: DJL's grayscale (luma, 0.299 r + 0.587 g + 0.114 b), as ImagePipeline.grayscale reads it
        float[] gray = ArrayImagePipeline.of(1, 2, 4).readFile(colour);
        float dark = 54 / 255f;
        float red = 76 / 255f;
        assertThat(gray).containsExactly(dark, dark, red, red, dark, dark, red, red);
        // three channels: the R plane, then G, then B, each row by row
        float[] rgb = ArrayImagePipeline.of(3, 2, 4).readFile(colour);
        assertThat(rgb).hasSize(24);
        assertThat(rgb[0]).isEqualTo(30 / 255f);
        assertThat(rgb[3]).isEqualTo(1f);
        assertThat(rgb[8]).isEqualTo(60 / 255f);
        assertThat(rgb[11]).isZero();
        assertThat(rgb[16 + 4]).isEqualTo(90 / 255f);
        assertThat(rgb[16 + 7]).isZero();
        // a grayscale file for three channels: its level in each
        Path grayFile = TestImages.write(gray(new float[] {0f, 0.2f, 0.6f, 1f}, 2, 2), dir.resolve("gray.png"));
        float[] copied = ArrayImagePipeline.of(3, 2, 2).readFile(grayFile);
        assertThat(copied)
                .containsExactly(
                        0f, 51 / 255f, 153 / 255f, 1f, 0f, 51 / 255f, 153 / 255f, 1f, 0f, 51 / 255f, 153 / 255f, 1f);
    }

    @Test
    void aFileOfAnotherSizeIsRefusedNamingItAndBothSizesNotResized() {
        ArrayImagePipeline pipeline = ArrayImagePipeline.of(1, 28, 28);
        Path small = TestImages.write(TestImages.halves(28, 10, Color.RED, Color.BLUE), dir.resolve("small.png"));
        assertThatThrownBy(() -> pipeline.readFile(small))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(small.toString())
                .hasMessageContaining("is 28 x 10 pixels")
                .hasMessageContaining("takes 28 x 28 images and does not resize");
        // larger than the pipeline: refused from its header
        Path large = TestImages.write(TestImages.halves(640, 480, Color.RED, Color.BLUE), dir.resolve("large.png"));
        assertThatThrownBy(() -> pipeline.readFile(large))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(large.toString())
                .hasMessageContaining("is 640 x 480 pixels")
                .hasMessageContaining("takes 28 x 28 images");
    }

    @Test
    void aCorruptFileOrAPipelineOfUnreadableChannelsIsRefusedNamingIt() {
        Path bad = TestImages.corrupt(dir.resolve("bad.png"));
        assertThatThrownBy(() -> ArrayImagePipeline.of(1, 28, 28).readFile(bad))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(bad.toString());
        Path ok = TestImages.write(TestImages.halves(2, 2, Color.RED, Color.BLUE), dir.resolve("ok.png"));
        assertThatThrownBy(() -> ArrayImagePipeline.of(2, 2, 2).readFile(ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ok.toString())
                .hasMessageContaining("with 2 channels");
    }

    @Test
    void asAnArrayInputItTakesExactlyOneImagesValues() {
        ArrayInput input = ArrayImagePipeline.of(1, 28, 28).normalize(0.3f, 0.3f);
        assertThat(input.acceptsLength(784)).isTrue();
        assertThat(input.acceptsLength(783)).isFalse();
        assertThat(input.acceptsLength(785)).isFalse();
        assertThat(input.acceptedArrays()).startsWith("arrays of 784 numbers (a 1x28x28 image");
    }

    /** An 8-bit grayscale image of a one-channel array in [0, 1], each value as {@code round(v * 255)}. */
    static BufferedImage gray(float[] values, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setSample(x, y, 0, Math.round(values[y * width + x] * 255));
            }
        }
        return image;
    }

    private static float[][] weights(int classes, long seed) {
        Random random = new Random(seed);
        float[][] weights = new float[classes][FashionMnistResNet.FEATURES];
        for (float[] row : weights) {
            for (int f = 0; f < row.length; f++) {
                row[f] = (float) random.nextGaussian();
            }
        }
        return weights;
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }
}
