package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken ONNX files and missing classpath models get errors that name them. */
class OnnxErrorsTest {

    @Test
    void garbageTruncatedAndEmptyModelsAreNamed(@TempDir Path dir) throws IOException {
        Path tokenizer = dir.resolve("tokenizer.json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(Bert.MINILM_TOKENIZER)) {
            Files.copy(in, tokenizer);
        }
        Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {(byte) 0xff, (byte) 0xff, 0x13, 0x7f, 1});
        assertThatThrownBy(() -> Bert.fromOnnx(garbage, tokenizer, "test"))
                .hasMessageContaining("garbage.onnx")
                .hasMessageContaining("Corrupt ONNX");

        byte[] head;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(Bert.MINILM_ONNX)) {
            head = in.readNBytes(1 << 20);
        }
        Path truncated = Files.write(dir.resolve("truncated.onnx"), head);
        assertThatThrownBy(() -> Bert.fromOnnx(truncated, tokenizer, "test"))
                .hasMessageContaining("truncated.onnx")
                .hasMessageContaining("Corrupt ONNX");

        // a valid protobuf message without a graph: field 1 (ir_version) = 8
        Path empty = Files.write(dir.resolve("empty.onnx"), new byte[] {0x08, 0x08});
        assertThatThrownBy(() -> Bert.fromOnnx(empty, tokenizer, "test"))
                .hasMessageContaining("empty.onnx")
                .hasMessageContaining("no graph");

        assertThatThrownBy(() -> Bert.fromClasspath("no-such-model.onnx", Bert.MINILM_TOKENIZER, "x", "x"))
                .hasMessageContaining("no-such-model.onnx");
    }
}
