package io.tl4j.vision.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.MnistSubset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

    @TempDir
    Path dir;

    private static IdxFile images(int n) {
        byte[] data = new byte[n * 2 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37);
        }
        return new IdxFile("test", new int[] {n, 2, 3}, data);
    }

    @Test
    void rawAndGzipFilesRoundTrip() {
        IdxFile original = images(4);
        for (String name : List.of("x-idx3-ubyte", "x-idx3-ubyte.gz")) {
            Path file = dir.resolve(name);
            original.write(file);
            IdxFile read = IdxFile.read(file);
            assertThat(read.dims()).containsExactly(4, 2, 3);
            assertThat(read.data()).isEqualTo(original.data());
        }
        assertThat(dir.resolve("x-idx3-ubyte.gz")).isNotEmptyFile();
        assertThat(IdxFile.read(dir.resolve("x-idx3-ubyte.gz")).source()).endsWith("x-idx3-ubyte.gz");
    }

    @Test
    void imagesAndLabelsBecomeLabeledData() {
        images(3).write(dir.resolve("img.gz"));
        new IdxFile("labels", new int[] {3}, new byte[] {2, 0, 1}).write(dir.resolve("lab"));
        LabeledData<float[]> data = IdxDatasets.load(dir.resolve("img.gz"), dir.resolve("lab"), List.of("a", "b", "c"));
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.labels()).containsExactly(2, 0, 1);
        assertThat(data.input(1)).hasSize(6);
        // item 1 starts at byte 6: (6 * 37) & 0xff = 222
        assertThat(data.input(1)[0]).isEqualTo(222 / 255f);
    }

    @Test
    void wrongMagicNumberNamesTheFile() throws Exception {
        Path file = dir.resolve("bad-magic");
        Files.write(file, new byte[] {0x12, 0x34, 0x08, 0x01, 0, 0, 0, 1, 5});
        assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IdxFile.IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not an IDX file");
    }

    @Test
    void unsupportedElementTypeIsRejected() throws Exception {
        Path file = dir.resolve("floats");
        Files.write(file, new byte[] {0, 0, 0x0D, 0x01, 0, 0, 0, 1, 0, 0, 0, 0});
        assertThatThrownBy(() -> IdxFile.read(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("0x0d");
    }

    @Test
    void truncatedFilesSayWhatIsMissing() throws Exception {
        byte[] whole = images(4).toBytes();
        Path data = dir.resolve("cut-data");
        Files.write(data, Arrays.copyOf(whole, whole.length - 5));
        assertThatThrownBy(() -> IdxFile.read(data))
                .isInstanceOf(IdxFile.IdxFormatException.class)
                .hasMessageContaining(data.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("19 of 24 bytes");
        Path header = dir.resolve("cut-header");
        Files.write(header, Arrays.copyOf(whole, 9));
        assertThatThrownBy(() -> IdxFile.read(header))
                .hasMessageContaining("truncated")
                .hasMessageContaining("dimension sizes");
        IdxFile gz = images(4);
        gz.write(dir.resolve("whole.gz"));
        byte[] compressed = Files.readAllBytes(dir.resolve("whole.gz"));
        Path cutGz = dir.resolve("cut.gz");
        Files.write(cutGz, Arrays.copyOf(compressed, compressed.length - 12));
        assertThatThrownBy(() -> IdxFile.read(cutGz)).hasMessageContaining(cutGz.toString());
    }

    @Test
    void countMismatchAndUnknownLabelsAreErrors() {
        images(3).write(dir.resolve("img"));
        new IdxFile("l", new int[] {2}, new byte[] {0, 1}).write(dir.resolve("two-labels"));
        new IdxFile("l", new int[] {3}, new byte[] {0, 1, 7}).write(dir.resolve("label-seven"));
        assertThatThrownBy(() -> IdxDatasets.load(dir.resolve("img"), dir.resolve("two-labels"), Mnist.DIGITS))
                .hasMessageContaining("3 images")
                .hasMessageContaining("2 labels");
        assertThatThrownBy(() -> IdxDatasets.load(dir.resolve("img"), dir.resolve("label-seven"), List.of("a", "b")))
                .hasMessageContaining("label 7 of item 2")
                .hasMessageContaining("label-seven");
        assertThatThrownBy(() -> IdxDatasets.load(dir.resolve("label-seven"), dir.resolve("label-seven"), Mnist.DIGITS))
                .hasMessageContaining("images need 3 dimensions");
    }

    @Test
    void vendoredDigitsAreBalancedGrayscaleImages() {
        LabeledData<float[]> digits = IdxDatasets.load(MnistSubset.images(), MnistSubset.labels(), Mnist.DIGITS);
        assertThat(digits.size()).isEqualTo(2500);
        assertThat(digits.classNames()).isEqualTo(Mnist.DIGITS);
        assertThat(digits.classCounts()).containsOnly(250);
        assertThat(digits.labels()).startsWith(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0);
        double sum = 0;
        for (float[] x : digits.inputs()) {
            assertThat(x).hasSize(784);
            for (float v : x) {
                sum += v;
            }
        }
        // MNIST's mean pixel is about 0.13
        assertThat(sum / (2500.0 * 784)).isBetween(0.10, 0.16);
    }
}
