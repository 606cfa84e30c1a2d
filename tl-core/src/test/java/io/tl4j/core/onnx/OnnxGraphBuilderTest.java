package io.tl4j.core.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protobuf wire format as its specification gives it, and the graph builder's refusals. */
class OnnxGraphBuilderTest {

    private static String hex(ProtoWriter message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return HexFormat.of().formatHex(out.toByteArray());
    }

    @Test
    void fieldsAreEncodedAsTheProtobufSpecificationShows() throws IOException {
        // the specification's examples: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67
        assertThat(hex(new ProtoWriter().varint(1, 150))).isEqualTo("089601");
        assertThat(hex(new ProtoWriter().string(2, "testing"))).isEqualTo("120774657374696e67");
        // int64 -1 takes ten bytes; packed repeated [3, 270, 86942] is 22 06 03 8e 02 9e a7 05
        assertThat(hex(new ProtoWriter().varint(1, -1))).isEqualTo("08ffffffffffffffffff01");
        assertThat(hex(new ProtoWriter().packed(4, new long[] {3, 270, 86942}))).isEqualTo("2206038e029ea705");
        assertThat(hex(new ProtoWriter().message(3, new ProtoWriter().varint(1, 150))))
                .isEqualTo("1a03089601");
    }

    @Test
    void aModelFileStartsWithItsIrVersionProducerAndOpset(@TempDir Path dir) throws IOException {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("g");
        String x = graph.input("x", OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.named("batch"));
        graph.output("y", graph.op("Relu", x), OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.named("batch"));
        Path file = dir.resolve("m.onnx");
        graph.write(file, "t");
        String bytes = HexFormat.of().formatHex(Files.readAllBytes(file));
        // ir_version 7, producer_name "t", opset_import {domain "", version 14}, then the graph (field 7)
        assertThat(bytes).startsWith("0807" + "120174" + "4204" + "0a00" + "100e" + "3a");
        assertThat(bytes).contains(HexFormat.of().formatHex("Relu".getBytes()));
    }

    @Test
    void streamedWeightsAreEncodedAsOneNestedGraphMessage(@TempDir Path dir) throws IOException {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("g");
        String x = graph.input("x", OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.fixed(200));
        float[] values = new float[200]; // 800 bytes: the lengths take two varint bytes
        values[7] = 1.5f;
        String w = graph.initializer("w", values, 200);
        graph.output("y", graph.op("Mul", x, w), OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.fixed(200));
        Path file = dir.resolve("m.onnx");
        graph.write(file, "t");

        ByteBuffer raw = ByteBuffer.allocate(800).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        ProtoWriter tensor = new ProtoWriter()
                .packed(1, new long[] {200})
                .varint(2, OnnxGraphBuilder.FLOAT)
                .string(8, "w")
                .bytes(9, raw.array());
        byte[] written = Files.readAllBytes(file);
        // the weight sits in the graph as an ordinary field 5
        assertThat(HexFormat.of().formatHex(written)).contains(hex(new ProtoWriter().message(5, tensor)));
        assertThat(ProtoWriter.fieldSize(9, 800)).isEqualTo(1 + 2 + 800);
        // the graph (field 7, tag 0x3a after the 12 bytes of ir_version, producer and opset) runs to the end
        assertThat(written[11]).isEqualTo((byte) 0x3a);
        long length = 0;
        int at = 12;
        for (int shift = 0; ; shift += 7) {
            byte b = written[at++];
            length |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
        }
        assertThat(at + length).isEqualTo(written.length);
    }

    @Test
    void aDeferredWeightIsComputedOnceWhenTheFileIsWrittenAndWrittenAsAnEagerOne(@TempDir Path dir) throws IOException {
        float[] values = new float[20_000]; // more than one streamed chunk of 16,384 floats
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 7;
        }
        AtomicInteger calls = new AtomicInteger();
        Path deferred = dir.resolve("deferred.onnx");
        Path eager = dir.resolve("eager.onnx");
        for (Path file : new Path[] {deferred, eager}) {
            OnnxGraphBuilder graph = new OnnxGraphBuilder("g");
            String x = graph.input("x", OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.fixed(values.length));
            String w = file == deferred
                    ? graph.initializer(
                            "w",
                            () -> {
                                calls.incrementAndGet();
                                return values.clone();
                            },
                            values.length)
                    : graph.initializer("w", values, values.length);
            graph.output("y", graph.op("Mul", x, w), OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.fixed(values.length));
            assertThat(calls).as("computed before write").hasValue(file == deferred ? 0 : 1);
            graph.write(file, "t");
        }
        assertThat(calls).hasValue(1);
        assertThat(Files.readAllBytes(deferred)).isEqualTo(Files.readAllBytes(eager));
    }

    @Test
    void aDeferredWeightOfTheWrongSizeIsRefusedWhenWrittenAndNoFileIsLeft(@TempDir Path dir) {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("g");
        String x = graph.input("x", OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.fixed(4));
        String w = graph.initializer("layer1.weight", () -> new float[3], 2, 2);
        graph.output("y", graph.op("Mul", x, w), OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.fixed(4));
        Path file = dir.resolve("m.onnx");
        assertThatThrownBy(() -> graph.write(file, "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer1.weight has 3 values for shape [2, 2]");
        assertThat(file).doesNotExist();
    }

    @Test
    void unknownValuesDuplicateNamesAndMisshapedWeightsAreRefused() {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("g");
        String x = graph.input("x", OnnxGraphBuilder.FLOAT, OnnxGraphBuilder.Dim.fixed(2));
        assertThatThrownBy(() -> graph.op("Add", x, "nowhere"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nowhere'")
                .hasMessageContaining("Add");
        assertThatThrownBy(() -> graph.initializer("x", new float[] {1f}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already has a value named 'x'");
        assertThatThrownBy(() -> graph.initializer("w", new float[] {1f, 2f, 3f}, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("w has 3 values for shape [2, 2]");
    }
}
