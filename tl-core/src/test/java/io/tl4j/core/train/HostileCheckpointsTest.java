package io.tl4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.persist.ModelFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint directories after crashes and corruption: a damaged newest checkpoint falls back to
 * the previous one with a warning naming it, temporary files of killed writes are deleted, and
 * nothing unusable is returned.
 */
class HostileCheckpointsTest {

    @TempDir
    Path dir;

    private NDManager manager;
    private Checkpoints checkpoints;

    @BeforeEach
    void twoCheckpoints() {
        manager = NDManager.newBaseManager();
        checkpoints = new Checkpoints(dir);
        checkpoints.write(1, tensors(1f), "{\"epochsDone\":1,\"loss\":NaN}");
        checkpoints.write(2, tensors(2f), "{\"epochsDone\":2,\"loss\":0.5}");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void aTruncatedNewestJsonFallsBackToThePreviousWithAWarningNamingIt() throws IOException {
        Path newest = dir.resolve("epoch-0002.json");
        String json = Files.readString(newest);
        Files.writeString(newest, json.substring(0, json.length() / 2));
        String log = stderrOf(() -> assertThat(checkpoints.latest(manager)).hasValueSatisfying(c -> {
            assertThat(c.epoch()).isEqualTo(1);
            assertThat(c.tensors().get("w").toFloatArray()).containsExactly(1f, 1f);
        }));
        assertThat(log)
                .contains("WARN")
                .contains(newest.toString())
                .contains("is not valid JSON")
                .contains("falling back to epoch-0001.json");
        assertThat(checkpoints.latestFile()).contains(dir.resolve("epoch-0001.json"));
    }

    @Test
    void corruptNewestWeightsFallBackToThePrevious() throws IOException {
        Path weights = dir.resolve("epoch-0002.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 0x40; // one bit flipped in the data: the header still parses
        Files.write(weights, bytes);
        String log = stderrOf(() ->
                assertThat(checkpoints.latest(manager).orElseThrow().epoch()).isEqualTo(1));
        assertThat(log).contains(weights.toString()).contains("has sha256");
    }

    @Test
    void aMissingNewestWeightsFileFallsBackToThePrevious() throws IOException {
        Files.delete(dir.resolve("epoch-0002.safetensors"));
        String log = stderrOf(() ->
                assertThat(checkpoints.latest(manager).orElseThrow().epoch()).isEqualTo(1));
        assertThat(log)
                .contains("epoch-0002.json")
                .contains("field 'weights' names epoch-0002.safetensors, which is missing");
    }

    @Test
    void aTruncatedOnlyCheckpointIsAnErrorNamingTheFile() throws IOException {
        Path only = dir.resolve("epoch-0003.json");
        Files.delete(dir.resolve("epoch-0001.json"));
        Files.delete(dir.resolve("epoch-0002.json"));
        Files.writeString(only, "{\"format\": \"tl4j-checkpoint\", \"vers");
        assertThatThrownBy(() -> checkpoints.latest(manager))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("holds no usable checkpoint")
                .hasMessageContaining(only + ": is not valid JSON");
        assertThat(checkpoints.latestFile()).isEmpty();
    }

    @Test
    void anEditedCheckpointNamesTheField() throws IOException {
        Path newest = dir.resolve("epoch-0002.json");
        Files.writeString(newest, Files.readString(newest).replaceFirst("\"epoch\": *2", "\"epoch\": \"two\""));
        String log = stderrOf(() ->
                assertThat(checkpoints.latest(manager).orElseThrow().epoch()).isEqualTo(1));
        assertThat(log).contains(newest + ": field 'epoch' is \"two\", not an integer");
    }

    @Test
    void temporaryFilesOfKilledWritesArePrunedOnReadAndWrite() throws IOException {
        Path fresh = dir.resolve(".epoch-0003.safetensors.3kq9z1.tmp");
        Path old = dir.resolve("epoch-00037702983464.json.tmp");
        Files.writeString(fresh, "half a safetensors file");
        Files.writeString(old, "{\"epochsDone\":");
        checkpoints.latest(manager);
        assertThat(fresh).doesNotExist();
        assertThat(old).doesNotExist();

        Files.writeString(fresh, "half a safetensors file");
        checkpoints.write(3, tensors(3f), "{\"epochsDone\":3}");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "epoch-0002.json", "epoch-0002.safetensors", "epoch-0003.json", "epoch-0003.safetensors");
        }
    }

    @Test
    void theStateComesBackAsWrittenNonFiniteNumbersIncluded() throws IOException {
        assertThat(new Checkpoints(dir).latest(manager).orElseThrow().state())
                .isEqualTo("{\"epochsDone\":2,\"loss\":0.5}");
        Files.delete(dir.resolve("epoch-0002.json"));
        assertThat(new Checkpoints(dir).latest(manager).orElseThrow().state())
                .isEqualTo("{\"epochsDone\":1,\"loss\":NaN}");
    }

    @Test
    void aStateThatIsNotJsonIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> checkpoints.write(3, tensors(3f), "epochsDone=3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThat(dir.resolve("epoch-0003.safetensors")).doesNotExist();
    }

    @Test
    void checkpointFilesAreWorldReadable() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as(file.toString())
                        .isEqualTo("rw-r--r--");
            }
        }
    }

    private Map<String, NDArray> tensors(float value) {
        return Map.of("w", manager.create(new float[] {value, value}));
    }

    /** Runs {@code action} and returns what it logged (slf4j-simple writes to the current System.err). */
    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
