package io.tl4j.vision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.data.LabeledData;
import io.tl4j.vision.data.IdxFile;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile inputs for tl-vision's image loading, each made on the fly: every one must either fail
 * with an exception of a known type whose message names the file (or the input) and what was
 * wrong, or give the right result. None may take long or allocate much.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostileImageTest {

    @TempDir
    Path dir;

    private final NDManager manager = NDManager.newBaseManager();

    @AfterEach
    void close() {
        manager.close();
    }

    /** Decodes one file to [0, 1] values, (3, side, side), without resizing a side x side image. */
    private float[] decode(Path file, int side) {
        ImagePipeline<Path> pipeline = ImagePipeline.forFiles(side)
                .resizeAndCrop(side, side)
                .normalize(new float[] {0, 0, 0}, new float[] {1, 1, 1});
        NDArray x = pipeline.batch(manager, List.of(file), false, new Random(0)).head();
        assertThat(x.getShape()).isEqualTo(new Shape(1, 3, side, side));
        return x.toFloatArray();
    }

    private void decodeAt(Path file, ImagePipeline<Path> pipeline) {
        pipeline.batch(manager, List.of(file), false, new Random(0));
    }

    private static BufferedImage filled(int width, int height, int type, int argb) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, argb);
            }
        }
        return image;
    }

    /** A pattern that compresses badly, so that cutting the file cuts into its pixel data. */
    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    private Path cut(Path file, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Path out = dir.resolve("cut-" + file.getFileName());
        return Files.write(out, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    // --- resource bombs -------------------------------------------------------------------------

    @Test
    void pngDeclaring30000By30000PixelsIsRefusedFromItsHeader() throws Exception {
        Path bomb = TestImages.bilevelPng(dir.resolve("bomb.png"), 30_000, 30_000);
        assertThat(Files.size(bomb)).isLessThan(200_000);
        ImagePipeline<Path> pipeline = ImagePipeline.forFiles(224);
        long before = allocatedBytes();
        assertThatThrownBy(() -> decodeAt(bomb, pipeline))
                .isInstanceOf(ImageTooLargeException.class)
                .hasMessageContaining(bomb.toString())
                .hasMessageContaining("30,000 x 30,000")
                .hasMessageContaining("900,000,000")
                .hasMessageContaining("64,000,000 pixels")
                .hasMessageContaining("ImagePipeline.imageLimits")
                .satisfies(e -> assertThat(((ImageTooLargeException) e).width()).isEqualTo(30_000));
        // the header was read, no pixel buffer was made (decoding allocates 112 MB before failing)
        assertThat(allocatedBytes() - before).isLessThan(20_000_000L);
    }

    @Test
    void aWideImageAboveTheSideLimitIsRefusedUntilTheLimitIsRaised() {
        Path wide = TestImages.bilevelPng(dir.resolve("wide.png"), 20_000, 2);
        assertThatThrownBy(() -> decodeAt(wide, ImagePipeline.forFiles(2).resizeAndCrop(2, 2)))
                .isInstanceOf(ImageTooLargeException.class)
                .hasMessageContaining(wide.toString())
                .hasMessageContaining("20,000 x 2")
                .hasMessageContaining("16,384 per side");
        ImagePipeline<Path> raised = ImagePipeline.forFiles(2)
                .resizeAndCrop(2, 2)
                .imageLimits(new ImageLimits(ImageLimits.DEFAULT.maxPixels(), 20_000));
        NDArray x = raised.batch(manager, List.of(wide), false, new Random(0)).head();
        assertThat(x.getShape()).isEqualTo(new Shape(1, 3, 2, 2));
        // the raised limit travels with the saved configuration
        assertThat(ImagePipeline.fromConfig(raised.config()).imageLimits()).isEqualTo(raised.imageLimits());
        assertThat(ImagePipeline.forFiles(2).config().limits()).isNull();
    }

    @Test
    void limitsThatDjlCannotConvertAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new ImageLimits(900_000_000L, 30_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPixels")
                .hasMessageContaining("900000000")
                .hasMessageContaining(Long.toString(ImageLimits.MAX_PIXELS_CEILING));
        assertThatThrownBy(() -> new ImageLimits(1000, 0))
                .hasMessageContaining("maxSide")
                .hasMessageContaining("0");
    }

    @Test
    void aDecodedImageAboveTheLimitNamesItsInputIndex() {
        ImagePipeline<ai.djl.modality.cv.Image> pipeline =
                ImagePipeline.forImages(8).resizeAndCrop(8, 8).imageLimits(new ImageLimits(100, 100));
        ai.djl.modality.cv.Image small = ImageFactory.getInstance().fromImage(noise(8, 8));
        ai.djl.modality.cv.Image big = ImageFactory.getInstance().fromImage(noise(20, 20));
        assertThatThrownBy(() -> pipeline.batch(manager, List.of(small, big), false, new Random(0)))
                .isInstanceOf(ImageTooLargeException.class)
                .hasMessageContaining("Input 1 to pipeline tl4j.vision.image")
                .hasMessageContaining("20 x 20")
                .hasMessageContaining("100 pixels");
    }

    // --- files that are not (whole) images ------------------------------------------------------

    @Test
    void zeroByteFileIsEmpty() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertThatThrownBy(() -> decode(empty, 8))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("empty (0 bytes)")
                .satisfies(e -> assertThat(((ImageFileException) e).file()).isEqualTo(empty));
    }

    @Test
    void textFileNamedJpgIsNotAnImage() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "Hello, this is not a picture\n");
        assertThatThrownBy(() -> decode(text, 8))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("not an image")
                .hasMessageContaining("looks like text: \"Hello, this is n")
                .hasMessageContaining("Readable formats:");
    }

    @Test
    void binaryJunkNamedPngShowsItsFirstBytes() throws Exception {
        Path junk = Files.write(dir.resolve("junk.png"), new byte[] {0x13, 0x37, (byte) 0xca, (byte) 0xfe, 1, 2});
        assertThatThrownBy(() -> decode(junk, 8))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(junk.toString())
                .hasMessageContaining("starts with bytes 13 37 ca fe 01 02");
    }

    @Test
    void pngSignatureWithoutAHeaderIsCorrupt() {
        Path bad = TestImages.corrupt(dir.resolve("bad.png"));
        assertThatThrownBy(() -> decode(bad, 8))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("PNG header cannot be read")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void truncatedPngFailsInItsPixelData() throws Exception {
        Path whole = TestImages.write(noise(64, 64), dir.resolve("noise.png"));
        Path truncated = cut(whole, 0.6);
        assertThatThrownBy(() -> decode(truncated, 8))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(truncated.toString())
                .hasMessageContaining("64 x 64 PNG")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void truncatedJpegIsRefusedInsteadOfFilledWithGray() throws Exception {
        Path whole = TestImages.write(noise(256, 192), dir.resolve("noise.jpg"));
        assertThat(decode(whole, 8)).hasSize(3 * 8 * 8);
        Path truncated = cut(whole, 0.7);
        assertThatThrownBy(() -> decode(truncated, 8))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(truncated.toString())
                .hasMessageContaining("256 x 192 JPEG")
                .hasMessageContaining("truncated");
    }

    @Test
    void webpAndMissingFilesAreNamed() throws Exception {
        byte[] webp = "RIFF\u0024\u0000\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("photo.jpg"), webp);
        assertThatThrownBy(() -> decode(file, 8))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("WebP")
                .hasMessageContaining("convert it to PNG or JPEG");
        Path missing = dir.resolve("missing.png");
        assertThatThrownBy(() -> decode(missing, 8))
                .isInstanceOf(ImageFileException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    // --- unusual but valid images are converted -------------------------------------------------

    @Test
    void gifBmpAndTiffDecodeToTheirColours() {
        for (String name : List.of("red.gif", "red.bmp", "red.tiff")) {
            Path file = TestImages.write(filled(8, 8, BufferedImage.TYPE_INT_RGB, 0xff0000), dir.resolve(name));
            float[] v = decode(file, 8);
            assertThat(new float[] {v[0], v[64], v[128]}).as(name).containsExactly(1f, 0f, 0f);
        }
    }

    @Test
    void oneByOnePixelImageIsUpscaled() {
        Path file = TestImages.write(filled(1, 1, BufferedImage.TYPE_INT_RGB, 0x00ff00), dir.resolve("dot.png"));
        float[] v = decode(file, 4);
        assertThat(Arrays.copyOfRange(v, 16, 32)).containsOnly(1f);
        assertThat(Arrays.copyOfRange(v, 0, 16)).containsOnly(0f);
    }

    @Test
    void eightAndSixteenBitGrayscaleKeepTheirLevels() {
        BufferedImage gray8 = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        fill(gray8.getRaster(), 100);
        BufferedImage gray16 = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        fill(gray16.getRaster(), 0x8080);
        float[] v8 = decode(TestImages.write(gray8, dir.resolve("gray8.png")), 8);
        float[] v16 = decode(TestImages.write(gray16, dir.resolve("gray16.png")), 8);
        assertThat(new float[] {v8[0], v8[64], v8[128]}).containsOnly(100 / 255f);
        // 0x8080 of 0xffff is 128 of 255 exactly
        assertThat(new float[] {v16[0], v16[64], v16[128]}).containsOnly(128 / 255f);
    }

    private static void fill(WritableRaster raster, int sample) {
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                raster.setSample(x, y, 0, sample);
            }
        }
    }

    @Test
    void alphaIsDroppedKeepingTheColour() {
        Path file = TestImages.write(filled(8, 8, BufferedImage.TYPE_INT_ARGB, 0x80ff8000), dir.resolve("alpha.png"));
        float[] v = decode(file, 8);
        assertThat(new float[] {v[0], v[64], v[128]}).containsExactly(1f, 128 / 255f, 0f);
    }

    @Test
    void cmykJpegIsDecodedToRgbInsteadOfRefused() throws Exception {
        // Java reads a 4-channel JPEG as CMYK; whether 0 means no ink or full ink differs between
        // writers (Adobe inverts), so this checks a uniform image comes out uniform, not its colour
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, null);
        Path file = dir.resolve("cmyk.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        float[] v = decode(file, 8);
        for (int c = 0; c < 3; c++) {
            float first = v[c * 64];
            assertThat(first).isBetween(0f, 1f);
            assertThat(Arrays.copyOfRange(v, c * 64, c * 64 + 64)).containsOnly(first);
        }
    }

    // --- image folders --------------------------------------------------------------------------

    @Test
    void hiddenFoldersAndFilesAreNeitherClassesNorImagesNorSkips() throws Exception {
        Path root = dir.resolve("data");
        TestImages.write(TestImages.halves(8, 8, Color.RED, Color.RED), root.resolve("cat/a.png"));
        TestImages.write(TestImages.halves(8, 8, Color.BLUE, Color.BLUE), root.resolve("dog/b.png"));
        TestImages.write(TestImages.halves(8, 8, Color.RED, Color.RED), root.resolve(".ipynb_checkpoints/a.png"));
        TestImages.write(TestImages.halves(8, 8, Color.RED, Color.RED), root.resolve("cat/.ipynb_checkpoints/c.png"));
        Files.write(root.resolve("cat/.DS_Store"), new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'});
        Files.write(root.resolve("dog/._b.png"), new byte[] {0, 5, 22, 7, 0, 2, 0, 0}); // macOS resource fork
        Files.write(root.resolve(".DS_Store"), new byte[] {0, 0, 0, 1});
        ImageFolder.Scan scan = ImageFolder.at(root).optSkipUnreadable(true).scan();
        assertThat(scan.data().classNames()).containsExactly("cat", "dog");
        assertThat(scan.data().inputs()).containsExactly(root.resolve("cat/a.png"), root.resolve("dog/b.png"));
        assertThat(scan.skipped()).isEmpty();
        // a class folder holding only hidden files has no images
        Files.createDirectories(root.resolve("emu"));
        Files.write(root.resolve("emu/.DS_Store"), new byte[] {1});
        assertThatThrownBy(() -> ImageFolder.at(root).load())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(root.resolve("emu").toString())
                .hasMessageContaining("no images");
    }

    @Test
    void entriesThatAreNotReadAreNamedInOneWarningAndInAnEmptyClassError() throws Exception {
        Path root = dir.resolve("data");
        TestImages.write(TestImages.halves(8, 8, Color.RED, Color.RED), root.resolve("cat/a.png"));
        TestImages.write(TestImages.halves(8, 8, Color.BLUE, Color.BLUE), root.resolve("dog/b.png"));
        TestImages.write(TestImages.halves(8, 8, Color.BLUE, Color.BLUE), root.resolve("dog/2019/c.png"));
        Files.write(root.resolve("cat/y.webp"), new byte[] {1});
        Files.write(root.resolve("dog/x.webp"), new byte[] {1});
        Files.writeString(root.resolve("labels.csv"), "a,b");
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LabeledData<Path> data;
        try {
            data = ImageFolder.at(root).load();
        } finally {
            System.setErr(stderr);
        }
        assertThat(data.inputs()).containsExactly(root.resolve("cat/a.png"), root.resolve("dog/b.png"));
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains(
                        "Image folder " + root + ": ignored"
                                + " 1 x .csv file (labels.csv), 2 x .webp file (cat/y.webp, dog/x.webp), 1 x subfolder (dog/2019)");
        // a class folder holding only WebP files says what it holds
        Files.createDirectories(root.resolve("emu"));
        Files.write(root.resolve("emu/e.webp"), new byte[] {1});
        assertThatThrownBy(() -> ImageFolder.at(root).load())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Class folder " + root.resolve("emu") + " has no images")
                .hasMessageContaining("it holds 1 x .webp file (emu/e.webp)");
    }

    @Test
    void scanSkipsBombsEmptyAndFakeImagesCountingEachWithItsReason() throws Exception {
        Path root = dir.resolve("data");
        Path good = TestImages.write(TestImages.halves(8, 8, Color.RED, Color.RED), root.resolve("cat/a.png"));
        TestImages.write(TestImages.halves(8, 8, Color.BLUE, Color.BLUE), root.resolve("dog/b.png"));
        Path bomb = TestImages.bilevelPng(root.resolve("cat/bomb.png"), 30_000, 30_000);
        Path mid = TestImages.write(TestImages.halves(16, 16, Color.RED, Color.RED), root.resolve("cat/mid.png"));
        Path empty = Files.createFile(root.resolve("dog/empty.jpg"));
        Path text = Files.writeString(root.resolve("dog/text.jpg"), "not an image");
        ImageFolder.Scan scan = ImageFolder.at(root).optSkipUnreadable(true).scan();
        assertThat(scan.data().inputs()).contains(good, mid).hasSize(3);
        assertThat(scan.skipped()).extracting(ImageFolder.Skipped::file).containsExactly(bomb, empty, text);
        assertThat(scan.skipped().get(0).reason()).contains("30,000 x 30,000").contains("64,000,000 pixels");
        assertThat(scan.skipped().get(1).reason()).contains("empty (0 bytes)");
        assertThat(scan.skipped().get(2).reason()).contains("not an image");
        // the folder's limit decides what the scan keeps: 8 x 8 leaves out the 16 x 16 image too
        ImageFolder.Scan small = ImageFolder.at(root)
                .optSkipUnreadable(true)
                .optImageLimits(new ImageLimits(64, 8))
                .scan();
        assertThat(small.skipped()).extracting(ImageFolder.Skipped::file).containsExactly(bomb, mid, empty, text);
        assertThat(small.skipped().get(1).reason()).contains("16 x 16").contains("64 pixels and 8 per side");
        LabeledData<Path> none = ImageFolder.at(root).optExtensions("png").load();
        assertThat(none.inputs()).contains(bomb); // without decoding, the pipeline refuses it later
    }

    // --- non-finite arrays ----------------------------------------------------------------------

    @Test
    void nanAndInfinityInFloatImagesNameTheInputAndPixel() {
        ArrayImagePipeline pipeline = ArrayImagePipeline.of(2, 3, 4);
        float[] fine = new float[24];
        float[] nan = new float[24];
        nan[2 * 4 + 3] = Float.NaN;
        float[] inf = new float[24];
        inf[12 + 4 + 1] = Float.NEGATIVE_INFINITY;
        assertThatThrownBy(() -> pipeline.batch(manager, List.of(fine, nan), false, new Random(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "Input 1 to pipeline tl4j.vision.array-image has NaN at pixel" + " (channel 0, y 2, x 3)");
        assertThatThrownBy(() -> pipeline.batch(manager, List.of(fine, fine, inf), true, new Random(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Input 2 to pipeline tl4j.vision.array-image has -Infinity at pixel"
                        + " (channel 1, y 1, x 1)");
        float[] big = new float[24];
        big[0] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> pipeline.normalize(0.5f, 0.25f).batch(manager, List.of(big), false, new Random(0)))
                .hasMessageContaining("Input 0")
                .hasMessageContaining("+Infinity at pixel (channel 0, y 0, x 0)");
    }

    // --- IDX files whose header lies --------------------------------------------------------------

    private static byte[] idxHeader(int... dims) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) IdxFile.UNSIGNED_BYTE).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        return header.array();
    }

    @Test
    void idxFileDeclaringMoreItemsThanItHoldsIsRefusedBeforeAllocating() throws Exception {
        byte[] header = idxHeader(1_000_000_000, 2);
        Path raw = Files.write(dir.resolve("lying-idx3-ubyte"), concat(header, new byte[100]));
        long before = allocatedBytes();
        assertThatThrownBy(() -> IdxFile.read(raw))
                .isInstanceOf(IdxFile.IdxFormatException.class)
                .hasMessageContaining(raw.toString())
                .hasMessageContaining("[1000000000, 2]")
                .hasMessageContaining("2000000000 values")
                .hasMessageContaining("holds only 100 of 2000000000 bytes");
        Path gz = dir.resolve("lying-idx3-ubyte.gz");
        Files.write(gz, gzip(concat(header, new byte[100])));
        assertThatThrownBy(() -> IdxFile.read(gz))
                .isInstanceOf(IdxFile.IdxFormatException.class)
                .hasMessageContaining(gz.toString())
                .hasMessageContaining("can expand to at most");
        assertThat(allocatedBytes() - before).isLessThan(50_000_000L);
    }

    @Test
    void gzipIdxStreamThatEndsEarlyAllocatesOnlyWhatItHolds() throws Exception {
        // declares 400 MB (within deflate's reach of the 400 KB file) but holds 4 MB of values
        byte[] file = gzip(concat(idxHeader(100_000, 4_000), new byte[4_000_000]));
        long before = allocatedBytes();
        assertThatThrownBy(() -> IdxFile.read(new java.io.ByteArrayInputStream(file), "stream.gz"))
                .isInstanceOf(IdxFile.IdxFormatException.class)
                .hasMessageContaining("stream.gz")
                .hasMessageContaining("100000 items")
                .hasMessageContaining("ends after 4000000 of 400000000 bytes");
        assertThat(allocatedBytes() - before).isLessThan(100_000_000L);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
