package io.tl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tl4j.core.Backbone;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.FashionMnistSubset;
import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.data.IdxDatasets;
import io.tl4j.vision.data.Mnist;
import io.tl4j.vision.image.ImagePipeline;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image rows, the bad ones among them, scored by tl-vision's shipped Fashion-MNIST ResNet with a linear head over PNG
 * files: the same rows as paths and as bytes. Each readable image gets the model's own probabilities; a corrupt file,
 * a missing one, a null and an empty cell get a null prediction and an error naming the problem, and only their own
 * rows do; with {@code failOnError} the job fails naming the row and the file.
 */
class ImageRowsTest {

    private static final int GOOD = 6;

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Path modelDir;
    private static List<Path> images;
    private static Path corrupt;
    private static Path missing;
    private static float[][] expected;

    @BeforeAll
    static void setUp() throws IOException {
        LabeledData<float[]> fashion = IdxDatasets.load(
                FashionMnistSubset.targetImages(), FashionMnistSubset.targetLabels(), Mnist.FASHION_CLASSES);
        images = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            images.add(png(fashion.input(i), dir.resolve("image-" + i + ".png")));
        }
        corrupt = Files.write(dir.resolve("corrupt.png"), "\u0089PNG\r\n\u001a\nnot an image".getBytes());
        missing = dir.resolve("missing.png");
        Random random = new Random(3);
        float[][] weights = new float[Mnist.FASHION_CLASSES.size()][FashionMnistResNet.FEATURES];
        float[] bias = new float[weights.length];
        for (float[] row : weights) {
            for (int f = 0; f < row.length; f++) {
                row[f] = (float) random.nextGaussian() * 0.3f;
            }
        }
        modelDir = dir.resolve("fashion");
        try (Backbone<float[]> shipped = FashionMnistResNet.backbone();
                Backbone<Path> files = shipped.withPipeline(ImagePipeline.forFiles(Mnist.SIDE)
                        .resizeAndCrop(Mnist.SIDE, Mnist.SIDE)
                        .grayscale(0.2860f, 0.3530f));
                TransferModel<Path> model = LinearHeads.of(files, Mnist.FASHION_CLASSES, weights, bias)) {
            model.save(modelDir);
            expected = model.probabilities(images);
        }
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("tl-spark-images")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    @Test
    void imagePathsGetTheModelsProbabilitiesAndBadRowsAnErrorNamingTheProblem() {
        List<String> paths = new ArrayList<>();
        images.forEach(p -> paths.add(p.toString()));
        paths.add(corrupt.toString());
        paths.add(missing.toString());
        paths.add("");
        paths.add(null);
        List<Row> scored = score(frame(DataTypes.StringType, paths.toArray()), true);
        assertGood(scored);
        assertBad(scored.get(GOOD), corrupt.getFileName().toString());
        assertBad(scored.get(GOOD + 1), missing.getFileName().toString(), "does not exist");
        assertBad(scored.get(GOOD + 2), "empty string");
        assertBad(scored.get(GOOD + 3), "null");
    }

    @Test
    void imageBytesGetTheModelsProbabilitiesAndBadRowsAnErrorNamingTheProblem() throws IOException {
        List<byte[]> cells = new ArrayList<>();
        for (Path image : images) {
            cells.add(Files.readAllBytes(image));
        }
        cells.add(Files.readAllBytes(corrupt));
        cells.add(new byte[0]);
        cells.add(null);
        List<Row> scored = score(frame(DataTypes.BinaryType, cells.toArray()), false);
        assertGood(scored);
        assertBad(scored.get(GOOD), "binary input (" + Files.size(corrupt) + " bytes) cannot be decoded");
        assertBad(scored.get(GOOD + 1), "no bytes");
        assertBad(scored.get(GOOD + 2), "null");
        assertThat(scored.get(GOOD).<String>getAs("error")).doesNotContain("tl4j-spark-cell");
    }

    @Test
    void failOnErrorFailsTheJobNamingTheRowAndTheFile() {
        List<String> paths = new ArrayList<>();
        images.subList(0, 2).forEach(p -> paths.add(p.toString()));
        paths.add(corrupt.toString());
        TransferModelTransformer stage = new TransferModelTransformer()
                .setModelDirectory(modelDir.toString())
                .setPathInput(true)
                .setFailOnError(true);
        Dataset<Row> frame = frame(DataTypes.StringType, paths.toArray()).coalesce(1);
        assertThatThrownBy(() -> stage.transform(frame).collectAsList())
                .hasMessageContaining("Row 2 of the partition cannot be scored by " + modelDir)
                .hasMessageContaining(corrupt.toString());
    }

    private static void assertGood(List<Row> scored) {
        for (int i = 0; i < GOOD; i++) {
            Row row = scored.get(i);
            assertThat(row.<String>getAs("error")).as("error of image %d", i).isNull();
            double[] probability = row.<Vector>getAs("probability").toArray();
            for (int c = 0; c < probability.length; c++) {
                assertThat(probability[c]).isCloseTo(expected[i][c], within(1e-5));
            }
            int best = 0;
            for (int c = 1; c < expected[i].length; c++) {
                best = expected[i][c] > expected[i][best] ? c : best;
            }
            assertThat(row.<String>getAs("prediction")).isEqualTo(Mnist.FASHION_CLASSES.get(best));
        }
    }

    private static void assertBad(Row row, String... problem) {
        assertThat(row.<String>getAs("prediction"))
                .as("prediction of row %d", row.getInt(0))
                .isNull();
        assertThat(row.<Vector>getAs("probability")).isNull();
        assertThat(row.<String>getAs("error"))
                .as("error of row %d", row.getInt(0))
                .contains(problem);
    }

    private static List<Row> score(Dataset<Row> frame, boolean paths) {
        return new TransferModelTransformer()
                .setModelDirectory(modelDir.toString())
                .setPathInput(paths)
                .setBatchSize(4)
                .transform(frame.repartition(2))
                .orderBy("id")
                .collectAsList();
    }

    private static Dataset<Row> frame(org.apache.spark.sql.types.DataType type, Object[] cells) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            rows.add(RowFactory.create(i, cells[i]));
        }
        return spark.createDataFrame(
                rows, new StructType().add("id", DataTypes.IntegerType).add("input", type, true));
    }

    /** Writes a 28x28 image with values in [0, 1] as an 8-bit grayscale PNG. */
    private static Path png(float[] pixels, Path file) throws IOException {
        BufferedImage image = new BufferedImage(Mnist.SIDE, Mnist.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        int[] levels = new int[pixels.length];
        Arrays.setAll(levels, i -> Math.round(pixels[i] * 255f));
        image.getRaster().setPixels(0, 0, Mnist.SIDE, Mnist.SIDE, levels);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
