package io.tl4j.core.onnx;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds an ONNX graph (inputs, weights, operators, outputs) and writes it as a self-contained
 * {@code .onnx} model file: opset {@value #OPSET} of the default domain, IR version {@value
 * #IR_VERSION}, every weight inside the file. Each value is named once; an operator that reads a
 * value no input, weight or earlier operator made is refused, naming the value.
 */
public final class OnnxGraphBuilder {

    /** The opset of the default ONNX domain the graph is written for. */
    public static final int OPSET = 14;

    /** The ONNX IR version written: 7, the version of opsets 13 and 14. */
    public static final int IR_VERSION = 7;

    /** ONNX's element type code for float32. */
    public static final int FLOAT = 1;

    /** ONNX's element type code for int64. */
    public static final int INT64 = 7;

    /**
     * One dimension of a graph input or output: a fixed size, or a name for a size that varies
     * (batch, sequence).
     *
     * @param size the fixed size, or -1 when the dimension is named
     * @param name the dimension's name, or null when it is fixed
     */
    public record Dim(long size, String name) {
        /**
         * Returns a fixed dimension.
         *
         * @param size its size
         * @return the dimension
         */
        public static Dim fixed(long size) {
            return new Dim(size, null);
        }

        /**
         * Returns a dimension whose size varies from run to run.
         *
         * @param name its name, e.g. {@code batch}
         * @return the dimension
         */
        public static Dim named(String name) {
            return new Dim(-1, name);
        }
    }

    /** Floats per write when a weight's values are streamed to the file. */
    private static final int CHUNK_FLOATS = 16_384;

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Set<String> values = new HashSet<>();
    private int counter;

    /**
     * Starts an empty graph.
     *
     * @param name the graph's name
     */
    public OnnxGraphBuilder(String name) {
        this.name = name;
    }

    /**
     * Declares a graph input.
     *
     * @param input the input's name, e.g. {@code input_ids}
     * @param elementType {@link #FLOAT} or {@link #INT64}
     * @param dims its dimensions
     * @return the input's name
     */
    public String input(String input, int elementType, Dim... dims) {
        declare(input);
        inputs.add(valueInfo(input, elementType, dims));
        return input;
    }

    /**
     * Declares a graph output, a copy of a value the graph computes.
     *
     * @param output the output's name, e.g. {@code logits}
     * @param value the value it copies
     * @param elementType {@link #FLOAT} or {@link #INT64}
     * @param dims its dimensions
     */
    public void output(String output, String value, int elementType, Dim... dims) {
        nodes.add(node("Identity", List.of(value), List.of(declare(output)), OnnxAttributes.of()));
        outputs.add(valueInfo(output, elementType, dims));
    }

    /**
     * Adds a float weight.
     *
     * @param weight its name, e.g. {@code encoder.layer.0.attention.self.query.weight}
     * @param data its values, row-major; the array is kept, not copied, until the file is written
     * @param dims its shape
     * @return its name
     * @throws IllegalArgumentException when the number of values does not fit the shape
     */
    public String initializer(String weight, float[] data, long... dims) {
        checkCount(weight, data.length, dims);
        return initializer(weight, () -> data, dims);
    }

    /**
     * Adds a float weight whose values are computed when the file is {@link #write written}, one
     * weight at a time, so that a network's weights (and their folded or transposed copies) are
     * never all held in the Java heap at once: a ResNet-50's 100 MB would otherwise be.
     *
     * @param weight its name, e.g. {@code layer1.0.conv1.weight}
     * @param data computes its values, row-major; called once, by {@link #write}, which refuses
     *     values that do not fit the shape, naming the weight
     * @param dims its shape
     * @return its name
     */
    public String initializer(String weight, Supplier<float[]> data, long... dims) {
        declare(weight);
        initializers.add(new Initializer(
                new ProtoWriter().packed(1, dims).varint(2, FLOAT).string(8, weight),
                count(dims) * Float.BYTES,
                out -> writeFloats(out, weight, data.get(), dims)));
        return weight;
    }

    /**
     * Adds an int64 weight.
     *
     * @param weight its name
     * @param data its values, row-major
     * @param dims its shape
     * @return its name
     * @throws IllegalArgumentException when the number of values does not fit the shape
     */
    public String initializer(String weight, long[] data, long... dims) {
        checkCount(weight, data.length, dims);
        ByteBuffer raw = little(data.length * Long.BYTES);
        raw.asLongBuffer().put(data);
        return tensor(weight, INT64, raw.array(), dims);
    }

    /**
     * Adds a float scalar constant (a {@code Constant} operator) under a fresh name.
     *
     * @param value the constant
     * @return its name
     */
    public String scalar(float value) {
        return constant(FLOAT, little(Float.BYTES).putFloat(value).array());
    }

    /**
     * Adds a one-dimensional int64 constant (a {@code Constant} operator) under a fresh name, e.g. the
     * axes of an {@code Unsqueeze}.
     *
     * @param data its values
     * @return its name
     */
    public String longs(long... data) {
        ByteBuffer raw = little(data.length * Long.BYTES);
        raw.asLongBuffer().put(data);
        return constant(INT64, raw.array(), data.length);
    }

    /**
     * Adds an operator without attributes that has one output.
     *
     * @param opType the operator, e.g. {@code MatMul}
     * @param operands the names of its inputs
     * @return the name of its output
     */
    public String op(String opType, String... operands) {
        return op(opType, OnnxAttributes.of(), operands);
    }

    /**
     * Adds an operator that has one output.
     *
     * @param opType the operator, e.g. {@code Transpose}
     * @param attributes its attributes
     * @param operands the names of its inputs
     * @return the name of its output
     * @throws IllegalArgumentException naming an input that nothing in the graph made
     */
    public String op(String opType, OnnxAttributes attributes, String... operands) {
        for (String operand : operands) {
            if (!values.contains(operand)) {
                throw new IllegalArgumentException("ONNX graph '" + name + "': operator " + opType + " reads '"
                        + operand + "', which no input, weight or earlier operator makes");
            }
        }
        String output = declare(fresh(opType.toLowerCase(Locale.ROOT)));
        nodes.add(node(opType, Arrays.asList(operands), List.of(output), attributes));
        return output;
    }

    /**
     * Writes the model to a file, replacing it.
     *
     * @param file the {@code .onnx} file
     * @param producer who wrote the model, e.g. {@code tl4j 0.2.0}
     * @throws UncheckedIOException naming the file when it cannot be written
     * @throws IllegalArgumentException naming the weight when a deferred weight's values do not fit
     *     its shape (the partly written file is deleted)
     */
    public void write(Path file, String producer) {
        // the weights are streamed one by one, never copied into one message (a ResNet-50's 100 MB
        // would otherwise be held three times over in the Java heap); deferred ones are computed here
        ProtoWriter head = new ProtoWriter();
        nodes.forEach(n -> head.message(1, n));
        head.string(2, name);
        ProtoWriter tail = new ProtoWriter();
        inputs.forEach(i -> tail.message(11, i));
        outputs.forEach(o -> tail.message(12, o));
        long graphSize = head.size() + tail.size();
        for (Initializer initializer : initializers) {
            graphSize += ProtoWriter.fieldSize(5, initializer.size());
        }
        ProtoWriter model = new ProtoWriter()
                .varint(1, IR_VERSION)
                .string(2, producer)
                .message(8, new ProtoWriter().string(1, "").varint(2, OPSET))
                .header(7, graphSize);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            model.writeTo(out);
            head.writeTo(out);
            for (Initializer initializer : initializers) {
                new ProtoWriter().header(5, initializer.size()).writeTo(out);
                initializer.writeTo(out);
            }
            tail.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the ONNX model " + file, e);
        } catch (RuntimeException e) {
            deletePartial(file, e);
            throw e;
        }
    }

    private static void deletePartial(Path file, RuntimeException cause) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private String constant(int dataType, byte[] raw, long... dims) {
        String output = declare(fresh("const"));
        ProtoWriter value =
                new ProtoWriter().packed(1, dims).varint(2, dataType).bytes(9, raw);
        nodes.add(
                node("Constant", List.of(), List.of(output), OnnxAttributes.of().tensor("value", value)));
        return output;
    }

    private static ByteBuffer little(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private String tensor(String weight, int dataType, byte[] raw, long[] dims) {
        declare(weight);
        initializers.add(new Initializer(
                new ProtoWriter().packed(1, dims).varint(2, dataType).string(8, weight),
                raw.length,
                out -> out.write(raw)));
        return weight;
    }

    /** Writes float values little-endian through a small buffer, never as one byte array. */
    private static void writeFloats(OutputStream out, String weight, float[] data, long[] dims) throws IOException {
        checkCount(weight, data.length, dims);
        ByteBuffer chunk = little(CHUNK_FLOATS * Float.BYTES);
        for (int start = 0; start < data.length; start += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, data.length - start);
            chunk.clear();
            chunk.asFloatBuffer().put(data, start, n);
            out.write(chunk.array(), 0, n * Float.BYTES);
        }
    }

    /** Writes a weight's {@code raw_data} bytes to the file. */
    @FunctionalInterface
    private interface RawData {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * A weight's {@code TensorProto}: dims, data type and name, then its values as {@code raw_data}
     * (field 9), of a length known in advance, written (and for a deferred weight, computed) only
     * when the file is.
     */
    private record Initializer(ProtoWriter head, long rawLength, RawData raw) {

        long size() {
            return head.size() + ProtoWriter.fieldSize(9, rawLength);
        }

        void writeTo(OutputStream out) throws IOException {
            head.writeTo(out);
            new ProtoWriter().header(9, rawLength).writeTo(out);
            raw.writeTo(out);
        }
    }

    /** Returns the number of values a shape holds. */
    private static long count(long[] dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        return count;
    }

    private static void checkCount(String weight, int count, long[] dims) {
        if (count(dims) != count) {
            throw new IllegalArgumentException(
                    "ONNX weight " + weight + " has " + count + " values for shape " + Arrays.toString(dims));
        }
    }

    private String declare(String value) {
        if (!values.add(value)) {
            throw new IllegalArgumentException("ONNX graph '" + name + "' already has a value named '" + value + "'");
        }
        return value;
    }

    private String fresh(String prefix) {
        String candidate;
        do {
            candidate = prefix + "_" + counter++;
        } while (values.contains(candidate));
        return candidate;
    }

    private static ProtoWriter node(String opType, List<String> in, List<String> out, OnnxAttributes attributes) {
        ProtoWriter node = new ProtoWriter();
        in.forEach(i -> node.string(1, i));
        out.forEach(o -> node.string(2, o));
        node.string(3, out.get(0)).string(4, opType);
        attributes.writeTo(node);
        return node;
    }

    private static ProtoWriter valueInfo(String value, int elementType, Dim[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Dim d : dims) {
            shape.message(
                    1,
                    d.name() == null ? new ProtoWriter().varint(1, d.size()) : new ProtoWriter().string(2, d.name()));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elementType).message(2, shape);
        return new ProtoWriter().string(1, value).message(2, new ProtoWriter().message(1, tensorType));
    }
}
