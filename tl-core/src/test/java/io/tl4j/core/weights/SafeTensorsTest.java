package io.tl4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void roundTripsF32AndI64ValuesAndShapesInOrder() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", manager.create(new float[] {1.5f, -2f, 3.25f, 0f, 1e-30f, 7f}, new Shape(2, 3)));
        tensors.put("a.index", manager.create(new long[] {Long.MIN_VALUE, -1, 0, 1L << 40}, new Shape(4, 1)));
        tensors.put("scalar", manager.create(2.5f));
        tensors.put("empty", manager.create(new float[0], new Shape(0, 3)));
        Path file = dir.resolve("model.safetensors");

        SafeTensors.write(file, tensors);
        Map<String, NDArray> read = SafeTensors.read(file, manager);

        assertThat(read.keySet()).containsExactly("z.weight", "a.index", "scalar", "empty");
        assertThat(read.get("z.weight").getShape()).isEqualTo(new Shape(2, 3));
        assertThat(read.get("z.weight").getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(read.get("z.weight").toFloatArray()).containsExactly(1.5f, -2f, 3.25f, 0f, 1e-30f, 7f);
        assertThat(read.get("a.index").getShape()).isEqualTo(new Shape(4, 1));
        assertThat(read.get("a.index").getDataType()).isEqualTo(DataType.INT64);
        assertThat(read.get("a.index").toLongArray()).containsExactly(Long.MIN_VALUE, -1, 0, 1L << 40);
        assertThat(read.get("scalar").getShape()).isEqualTo(new Shape());
        assertThat(read.get("scalar").getFloat()).isEqualTo(2.5f);
        assertThat(read.get("empty").getShape()).isEqualTo(new Shape(0, 3));
        assertThat(read.get("z.weight").getName()).isEqualTo("z.weight");
        assertThat(read.get("z.weight").getManager()).isSameAs(manager);
    }

    @Test
    void roundTripsEveryWritableType() throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("f64", manager.create(new double[] {Math.PI, -1e300}));
        tensors.put("i32", manager.create(new int[] {Integer.MIN_VALUE, 7}));
        tensors.put("i8", manager.create(new byte[] {-128, 127}));
        tensors.put("u8", manager.create(new byte[] {-1, 3}).toType(DataType.UINT8, false));
        tensors.put("bool", manager.create(new boolean[] {true, false, true}));
        tensors.put("f16", manager.create(new float[] {1.5f, 65504f}).toType(DataType.FLOAT16, false));
        Path file = dir.resolve("types.safetensors");

        SafeTensors.write(file, tensors);
        Map<String, NDArray> read = SafeTensors.read(file, manager);

        assertThat(read.get("f64").toDoubleArray()).containsExactly(Math.PI, -1e300);
        assertThat(read.get("i32").toIntArray()).containsExactly(Integer.MIN_VALUE, 7);
        assertThat(read.get("i8").getDataType()).isEqualTo(DataType.INT8);
        assertThat(read.get("i8").toByteArray()).containsExactly(-128, 127);
        assertThat(read.get("u8").getDataType()).isEqualTo(DataType.UINT8);
        assertThat(read.get("u8").toUint8Array()).containsExactly(255, 3);
        assertThat(read.get("bool").toBooleanArray()).containsExactly(true, false, true);
        assertThat(read.get("f16").getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(read.get("f16").toFloatArray()).containsExactly(1.5f, 65504f);
        assertThat(header(file).getAsJsonObject("f16").get("dtype").getAsString())
                .isEqualTo("F16");
    }

    @Test
    void readsF16WidenedToF32() throws IOException {
        float[] values = {1.5f, -2.0f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, -0.0f, 0.1f};
        ByteBuffer data = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            data.putShort(SafeTensors.floatToHalf(value));
        }
        Path file = dir.resolve("half.safetensors");
        writeRaw(file, "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,4],\"data_offsets\":[0,16]}}", data.array());

        NDArray h = SafeTensors.read(file, manager).get("h");

        assertThat(h.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(h.getShape()).isEqualTo(new Shape(2, 4));
        assertThat(h.toFloatArray())
                .containsExactly(
                        1.5f, -2.0f, 65504f, 5.9604645e-8f, 6.097555e-5f, 6.1035156e-5f, -0.0f, 0.0999755859375f);
        assertThat(Float.floatToRawIntBits(h.toFloatArray()[6])).isEqualTo(0x80000000);
    }

    @Test
    void readsBf16WidenedToF32() throws IOException {
        float[] values = {(float) Math.PI, 1.0f, -2.5f, 1e-40f, 3.0e38f, Float.NEGATIVE_INFINITY};
        ByteBuffer data = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            data.putShort(SafeTensors.floatToBfloat16(value));
        }
        Path file = dir.resolve("bfloat.safetensors");
        writeRaw(file, "{\"b\":{\"dtype\":\"BF16\",\"shape\":[6],\"data_offsets\":[0,12]}}", data.array());

        NDArray b = SafeTensors.read(file, manager).get("b");

        assertThat(b.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(b.toFloatArray())
                .containsExactly(
                        3.140625f,
                        1.0f,
                        -2.5f,
                        Float.intBitsToFloat(0x00010000),
                        Float.intBitsToFloat(0x7f620000),
                        Float.NEGATIVE_INFINITY);
    }

    @Test
    void readsI16WidenedToI32() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) -32768).putShort((short) 1).putShort((short) 32767);
        Path file = dir.resolve("short.safetensors");
        writeRaw(file, "{\"s\":{\"dtype\":\"I16\",\"shape\":[3],\"data_offsets\":[0,6]}}", data.array());

        NDArray s = SafeTensors.read(file, manager).get("s");

        assertThat(s.getDataType()).isEqualTo(DataType.INT32);
        assertThat(s.toIntArray()).containsExactly(-32768, 1, 32767);
    }

    @Test
    void metadataRoundTripsAndIsNotATensor() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "ünïcode <&> \"quoted\"");
        Path file = dir.resolve("meta.safetensors");

        SafeTensors.write(file, Map.of("w", manager.create(new float[] {1f})), metadata);

        assertThat(SafeTensors.readMetadata(file)).containsExactlyEntriesOf(metadata);
        assertThat(SafeTensors.read(file, manager)).containsOnlyKeys("w");
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.write(plain, Map.of("w", manager.create(new float[] {1f})));
        assertThat(SafeTensors.readMetadata(plain)).isEmpty();
    }

    @Test
    void headerIsPaddedToEightBytesWithMetadataFirst() throws IOException {
        Path file = dir.resolve("layout.safetensors");
        SafeTensors.write(file, Map.of("abc", manager.create(new float[] {1f, 2f, 3f})), Map.of("k", "v"));

        byte[] bytes = Files.readAllBytes(file);
        long headerLength =
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);

        assertThat(headerLength % 8).isZero();
        assertThat(bytes.length).isEqualTo(8 + headerLength + 12);
        assertThat(header.strip()).startsWith("{\"__metadata__\":{\"k\":\"v\"}");
        assertThat(header.substring(header.lastIndexOf('}') + 1)).matches(" *");
        assertThat(header(file).getAsJsonObject("abc").toString())
                .isEqualTo("{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}");
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + headerLength), 12).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.getFloat()).isEqualTo(1f);
        assertThat(data.getFloat()).isEqualTo(2f);
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("w", manager.create(new float[] {1f})));
        SafeTensors.write(file, Map.of("w", manager.create(new float[] {2f, 3f})));

        assertThat(SafeTensors.read(file, manager).get("w").toFloatArray()).containsExactly(2f, 3f);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("w", manager.create(new float[] {1f})));
        byte[] before = Files.readAllBytes(file);
        Map<String, NDArray> bad = new LinkedHashMap<>();
        bad.put("w", manager.create(new float[] {2f}));
        bad.put("names", manager.create(new String[] {"not", "numbers"}));

        assertThatThrownBy(() -> SafeTensors.write(file, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names");
        assertThatThrownBy(() -> SafeTensors.write(file, Map.of("__metadata__", manager.create(1f))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writeIntoMissingDirectoryNamesTheFile() {
        Path file = dir.resolve("missing/model.safetensors");

        assertThatThrownBy(() -> SafeTensors.write(file, Map.of("w", manager.create(1f))))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void truncatedFileNamesTheFileAndTheTensor() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("first", manager.create(new float[] {1f, 2f}));
        tensors.put("second", manager.create(new float[] {3f, 4f}));
        SafeTensors.write(file, tensors);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 4);
        }

        assertThatThrownBy(() -> SafeTensors.read(file, manager))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("'second'")
                .hasMessageContaining("truncated")
                .satisfies(e -> {
                    WeightFileException w = (WeightFileException) e;
                    assertThat(w.file()).isEqualTo(file);
                    assertThat(w.tensor()).contains("second");
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not JSON | {\"a\":{\"dtype\":\"F32\", | 8 | ",
                "array instead of object | [1, 2] | 8 | ",
                "trailing garbage | {} x | 0 | ",
                "unsupported dtype | {\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}} | 2 | a",
                "byte count mismatch | {\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}} | 8 | a",
                "reversed offsets | {\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}} | 8 | a",
                "negative dimension | {\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}} | 8 | a",
                "fractional offset | {\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0.5,2.5]}} | 8 | a",
                "missing shape | {\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}} | 8 | a",
                "shape overflow | {\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}} | 8 | a",
                "offsets past the end | {\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}} | 8 | a",
                "overlap | {\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}} | 12 | b",
                "duplicate name | {\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}} | 2 | a",
                "non-string metadata | {\"__metadata__\":{\"epochs\":3}} | 0 | ",
            })
    void corruptHeaderNamesTheFileAndTheTensor(String problem, String header, int dataBytes, String tensor)
            throws IOException {
        Path file = dir.resolve("corrupt.safetensors");
        writeRaw(file, header, new byte[dataBytes]);

        assertThatThrownBy(() -> SafeTensors.read(file, manager))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> {
                    WeightFileException w = (WeightFileException) e;
                    assertThat(w.tensor()).isEqualTo(Optional.ofNullable(tensor));
                    if (tensor != null) {
                        assertThat(w).hasMessageContaining("'" + tensor + "'");
                    }
                });
    }

    @Test
    void impossibleHeaderLengthNamesTheFile() throws IOException {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, new byte[] {-1, -1, -1, -1, -1, -1, -1, 127, '{', '}'});
        Path notUtf8 = dir.resolve("latin1.safetensors");
        writeRaw(notUtf8, "{\"e\":{}}", new byte[0]);
        byte[] bytes = Files.readAllBytes(notUtf8);
        bytes[10] = (byte) 0xe9;
        Files.write(notUtf8, bytes);

        for (Path file : List.of(tiny, huge, notUtf8)) {
            assertThatThrownBy(() -> SafeTensors.read(file, manager))
                    .isInstanceOf(WeightFileException.class)
                    .hasMessageStartingWith(file.toString());
        }
    }

    @Test
    void missingFileIsAWeightFileExceptionWithTheCause() {
        Path file = dir.resolve("absent.safetensors");

        assertThatThrownBy(() -> SafeTensors.read(file, manager))
                .isInstanceOf(WeightFileException.class)
                .hasMessageContaining(file.toString())
                .hasCauseInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> SafeTensors.readMetadata(file))
                .isInstanceOf(WeightFileException.class)
                .hasCauseInstanceOf(NoSuchFileException.class);
    }

    @Test
    void readsTensorsBeyondTwoGibibytesOfASparseFile() throws IOException {
        long offset = 3_000_000_000L;
        Path file = dir.resolve("big.safetensors");
        String header =
                "{\"far\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + offset + "," + (offset + 8) + "]}}";
        writeRaw(file, header, new byte[0]);
        long dataStart = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(dataStart + offset);
            ByteBuffer values = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            values.putFloat(6.5f).putFloat(-1f);
            raf.write(values.array());
        }

        assertThat(SafeTensors.read(file, manager).get("far").toFloatArray()).containsExactly(6.5f, -1f);
    }

    /** Writes a safetensors file from a header (padded here) and raw data bytes. */
    private static void writeRaw(Path file, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer bytes = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(padded).put(json);
        while (bytes.position() < 8 + padded) {
            bytes.put((byte) ' ');
        }
        bytes.put(data);
        Files.write(file, bytes.array());
    }

    private static JsonObject header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return JsonParser.parseString(new String(bytes, 8, (int) length, StandardCharsets.UTF_8))
                .getAsJsonObject();
    }
}
