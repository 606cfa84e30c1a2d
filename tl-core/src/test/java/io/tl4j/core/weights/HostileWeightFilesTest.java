package io.tl4j.core.weights;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safetensors files made hostile by hand: each is refused before any array exists, with a {@link
 * WeightFileException} naming the file and the tensor to blame.
 */
class HostileWeightFilesTest {

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
    void aTruncatedFileNamesTheTensorCut() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        SafeTensors.write(file, Map.of("w", manager.create(new float[64])));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        assertRefused(file, "tensor 'w'", "run past the end of the data section");
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRefused() throws IOException {
        Path file = dir.resolve("long.safetensors");
        ByteBuffer bytes = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(1_000_000L).put("{}              ".getBytes(StandardCharsets.US_ASCII));
        Files.write(file, bytes.array());
        assertRefused(file, "header length 1000000 is impossible in a file of 24 bytes");
    }

    @Test
    void overlappingOffsetsNameBothTensors() throws IOException {
        Path file = raw(
                "overlap",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                12);
        assertRefused(file, "tensor 'b'", "overlap those of tensor 'a'");
    }

    @Test
    void offsetsOutOfRangeNameTheTensor() throws IOException {
        Path file = raw("range", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[800,808]}}", 8);
        assertRefused(file, "tensor 'a'", "run past the end of the data section (8 bytes)");
    }

    @Test
    void anUnknownDtypeListsTheSupportedOnes() throws IOException {
        Path file = raw("dtype", "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        assertRefused(file, "tensor 'a'", "unsupported dtype F8_E4M3; supported: [F32");
    }

    @Test
    void aShapeThatDoesNotMatchTheByteSizeIsRefused() throws IOException {
        Path file = raw("shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3,3],\"data_offsets\":[0,8]}}", 8);
        assertRefused(file, "tensor 'a'", "hold 8 bytes but dtype F32 with shape [3, 3] needs 36");
    }

    @Test
    void aDuplicateTensorNameIsRefused() throws IOException {
        Path file = raw(
                "twice",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                8);
        assertRefused(file, "tensor 'a'", "appears twice in the header");
    }

    private void assertRefused(Path file, String... messageParts) {
        assertThatThrownBy(() -> SafeTensors.read(file, manager))
                .isInstanceOf(WeightFileException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContainingAll(messageParts);
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json);
        Path file = dir.resolve(name + ".safetensors");
        Files.write(file, bytes.array());
        return file;
    }
}
