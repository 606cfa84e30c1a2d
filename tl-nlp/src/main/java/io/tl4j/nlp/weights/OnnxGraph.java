package io.tl4j.nlp.weights;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model that hold weights: the graph's initializers and nodes, read straight
 * from the protobuf wire format by the field numbers of {@code onnx.proto} (ModelProto.graph = 7;
 * GraphProto.node = 1, initializer = 5; NodeProto.input = 1, output = 2, name = 3, op_type = 4,
 * attribute = 5; TensorProto.dims = 1, data_type = 2, float_data = 4, int32_data = 5, int64_data =
 * 7, name = 8, raw_data = 9, data_location = 14; AttributeProto.name = 1, f = 2, i = 3, t = 5, ints = 8).
 * No generated classes are needed.
 */
public final class OnnxGraph {

    /** ONNX's TensorProto.DataType codes used here. */
    static final int FLOAT = 1;

    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;

    /**
     * A tensor of the graph: float tensors keep their values as floats, integer tensors as longs.
     *
     * @param name the tensor's name
     * @param dims its shape
     * @param dataType its ONNX data type code
     * @param floats its values when it is a floating-point tensor, else null
     * @param longs its values when it is an integer tensor, else null
     */
    public record Tensor(String name, long[] dims, int dataType, float[] floats, long[] longs) {
        /** Returns the number of elements. */
        public long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * A node of the graph.
     *
     * @param name the node's name
     * @param opType the operator, e.g. {@code MatMul}
     * @param inputs the input tensor names
     * @param outputs the output tensor names
     * @param tensorAttributes tensor-valued attributes (a {@code Constant}'s {@code value})
     * @param intAttributes integer and integer-list attributes
     * @param floatAttributes float attributes (a {@code LayerNormalization}'s {@code epsilon})
     */
    public record Node(
            String name,
            String opType,
            List<String> inputs,
            List<String> outputs,
            Map<String, Tensor> tensorAttributes,
            Map<String, long[]> intAttributes,
            Map<String, Float> floatAttributes) {}

    private final Path source;
    private final Map<String, Tensor> initializers;
    private final List<Node> nodes;

    private OnnxGraph(Path source, Map<String, Tensor> initializers, List<Node> nodes) {
        this.source = source;
        this.initializers = Collections.unmodifiableMap(initializers);
        this.nodes = Collections.unmodifiableList(nodes);
    }

    /**
     * Reads an ONNX model file.
     *
     * @param file the {@code .onnx} file
     * @return its graph
     * @throws IllegalArgumentException naming the file when it is not a valid ONNX model or keeps
     *     its weights in external files
     * @throws UncheckedIOException when it cannot be read
     */
    public static OnnxGraph read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ONNX file " + file + " is larger than 2 GiB; "
                        + "such models keep weights as external data, which is not supported");
            }
            ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return parse(file, CodedInputStream.newInstance(buffer));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read ONNX file " + file, e);
        }
    }

    /**
     * Reads an ONNX model from a stream (a classpath resource, say).
     *
     * @param stream the model's bytes
     * @param source a name for the model in error messages
     * @return its graph
     * @throws IllegalArgumentException naming the source when it is not a valid ONNX model
     */
    public static OnnxGraph read(InputStream stream, Path source) {
        try {
            return parse(source, CodedInputStream.newInstance(stream.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read ONNX model " + source, e);
        }
    }

    private static OnnxGraph parse(Path source, CodedInputStream in) {
        in.setSizeLimit(Integer.MAX_VALUE);
        in.enableAliasing(true);
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        boolean sawGraph = false;
        try {
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == tag(7, 2)) {
                    sawGraph = true;
                    int limit = in.pushLimit(in.readRawVarint32());
                    readGraph(source, in, initializers, nodes);
                    in.popLimit(limit);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("Corrupt ONNX file " + source + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read ONNX file " + source, e);
        }
        if (!sawGraph || initializers.isEmpty()) {
            throw new IllegalArgumentException(
                    "ONNX file " + source + " has no graph with initializers; " + "is it an ONNX model?");
        }
        return new OnnxGraph(source, initializers, nodes);
    }

    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    private static void readGraph(Path source, CodedInputStream in, Map<String, Tensor> initializers, List<Node> nodes)
            throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = tag >>> 3;
            if (field == 1 && (tag & 7) == 2) {
                int limit = in.pushLimit(in.readRawVarint32());
                nodes.add(readNode(source, in));
                in.popLimit(limit);
            } else if (field == 5 && (tag & 7) == 2) {
                int limit = in.pushLimit(in.readRawVarint32());
                Tensor t = readTensor(source, in);
                in.popLimit(limit);
                initializers.put(t.name(), t);
            } else {
                in.skipField(tag);
            }
        }
    }

    private static Node readNode(Path source, CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String opType = "";
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, long[]> ints = new LinkedHashMap<>();
        Map<String, Float> floats = new LinkedHashMap<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag >>> 3) {
                case 1 -> inputs.add(in.readStringRequireUtf8());
                case 2 -> outputs.add(in.readStringRequireUtf8());
                case 3 -> name = in.readStringRequireUtf8();
                case 4 -> opType = in.readStringRequireUtf8();
                case 5 -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    readAttribute(source, in, tensors, ints, floats);
                    in.popLimit(limit);
                }
                default -> in.skipField(tag);
            }
        }
        return new Node(name, opType, List.copyOf(inputs), List.copyOf(outputs), tensors, ints, floats);
    }

    private static void readAttribute(
            Path source,
            CodedInputStream in,
            Map<String, Tensor> tensors,
            Map<String, long[]> ints,
            Map<String, Float> floats)
            throws IOException {
        String name = "";
        Float f = null;
        Tensor tensor = null;
        List<Long> values = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = tag >>> 3;
            if (field == 1) {
                name = in.readStringRequireUtf8();
            } else if (field == 2) {
                f = in.readFloat();
            } else if (field == 3) {
                values.add(in.readInt64());
            } else if (field == 5) {
                int limit = in.pushLimit(in.readRawVarint32());
                tensor = readTensor(source, in);
                in.popLimit(limit);
            } else if (field == 8) {
                readLongs(in, tag, values);
            } else {
                in.skipField(tag);
            }
        }
        if (f != null) {
            floats.put(name, f);
        }
        if (tensor != null) {
            tensors.put(name, tensor);
        }
        if (!values.isEmpty()) {
            ints.put(name, values.stream().mapToLong(Long::longValue).toArray());
        }
    }

    private static void readLongs(CodedInputStream in, int tag, List<Long> values) throws IOException {
        if ((tag & 7) == 2) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                values.add(in.readInt64());
            }
            in.popLimit(limit);
        } else {
            values.add(in.readInt64());
        }
    }

    private static Tensor readTensor(Path source, CodedInputStream in) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        List<Float> floatData = new ArrayList<>();
        List<Long> intData = new ArrayList<>();
        boolean external = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = tag >>> 3;
            switch (field) {
                case 1 -> readLongs(in, tag, dims);
                case 2 -> dataType = in.readInt32();
                case 4 -> {
                    if ((tag & 7) == 2) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) {
                            floatData.add(in.readFloat());
                        }
                        in.popLimit(limit);
                    } else {
                        floatData.add(in.readFloat());
                    }
                }
                case 5, 7 -> readLongs(in, tag, intData);
                case 8 -> name = in.readStringRequireUtf8();
                case 9 -> raw = in.readByteBuffer();
                case 14 -> external = in.readInt32() == 1;
                default -> in.skipField(tag);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (external) {
            throw new IllegalArgumentException("ONNX tensor " + name + " in " + source
                    + " keeps its data in an external file, which is not supported");
        }
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        float[] floats = null;
        long[] longs = null;
        if (dataType == FLOAT || dataType == FLOAT16 || dataType == DOUBLE) {
            if (raw != null) {
                floats = decodeFloats(raw.order(ByteOrder.LITTLE_ENDIAN), dataType, count, name, source);
            } else {
                floats = new float[floatData.size()];
                for (int i = 0; i < floats.length; i++) {
                    floats[i] = floatData.get(i);
                }
            }
            if (floats.length != count) {
                throw new IllegalArgumentException("ONNX tensor " + name + " in " + source + " has " + floats.length
                        + " values for shape " + java.util.Arrays.toString(shape));
            }
        } else if (dataType == INT64 || dataType == INT32) {
            if (raw != null) {
                int width = dataType == INT64 ? 8 : 4;
                ByteBuffer b = raw.order(ByteOrder.LITTLE_ENDIAN);
                longs = new long[b.remaining() / width];
                for (int i = 0; i < longs.length; i++) {
                    longs[i] = width == 8 ? b.getLong(b.position() + i * 8) : b.getInt(b.position() + i * 4);
                }
            } else {
                longs = intData.stream().mapToLong(Long::longValue).toArray();
            }
        }
        return new Tensor(name, shape, dataType, floats, longs);
    }

    private static float[] decodeFloats(ByteBuffer raw, int dataType, long count, String name, Path source) {
        int width = dataType == FLOAT ? 4 : dataType == DOUBLE ? 8 : 2;
        if ((long) raw.remaining() != count * width) {
            throw new IllegalArgumentException("ONNX tensor " + name + " in " + source + " has " + raw.remaining()
                    + " bytes of data, expected " + count * width);
        }
        float[] values = new float[(int) count];
        int base = raw.position();
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (dataType) {
                case FLOAT -> raw.getFloat(base + i * 4);
                case DOUBLE -> (float) raw.getDouble(base + i * 8);
                default -> io.tl4j.core.weights.SafeTensors.halfToFloat(raw.getShort(base + i * 2));
            };
        }
        return values;
    }

    /** Returns the file (or resource) the graph came from. */
    public Path source() {
        return source;
    }

    /** Returns the initializers by name, in file order. */
    public Map<String, Tensor> initializers() {
        return initializers;
    }

    /** Returns the nodes, in file order. */
    public List<Node> nodes() {
        return nodes;
    }
}
