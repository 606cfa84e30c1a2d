package io.tl4j.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

import io.tl4j.core.persist.AtomicFiles;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files in
 * pure Java.
 *
 * <p>A file is an 8-byte little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON
 * mapping each tensor name to its {@code dtype}, {@code shape} and {@code data_offsets} (relative
 * to the end of the header) plus an optional {@code __metadata__} object of strings, then the raw
 * little-endian tensor data.
 *
 * <p>Reading supports the dtypes F32, F64, F16, BF16, I64, I32, I16, I8, U8 and BOOL. F16 and BF16
 * are widened to float32 and I16 to int32 in Java before any array exists, because the PyTorch
 * engine aborts the JVM when it is handed a bfloat16 or int16 array. Files are read through
 * memory mapping, so files over 2 GiB work as long as every single tensor is under 2 GiB once
 * widened. The header is validated in full (header length, JSON, dtypes, shapes, offsets against
 * shapes and the file size, no overlaps) before any array is created.
 *
 * <p>Every failure, malformed file or file-system error alike, is an unchecked {@link
 * WeightFileException} whose message names the file and, where one is to blame, the tensor.
 */
public final class SafeTensors {

    /** The largest header accepted, as in the reference implementation. */
    private static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";

    /** Size of the staging buffer used when writing; a multiple of every element width. */
    private static final int CHUNK_BYTES = 1 << 20;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private SafeTensors() {}

    /**
     * Reads every tensor of a safetensors file.
     *
     * @param file the file to read
     * @param manager the manager the new arrays are attached to
     * @return the tensors by name, in the order of the file's header; F16 and BF16 tensors come
     *     back as float32 and I16 tensors as int32
     * @throws WeightFileException if the file cannot be read, is malformed or truncated, or uses
     *     an unsupported dtype
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            try {
                for (Entry entry : header.entries()) {
                    tensors.put(
                            entry.name(),
                            toArray(file, channel, header.dataStart(), entry, manager));
                }
            } catch (RuntimeException e) {
                tensors.values().forEach(NDArray::close);
                throw e;
            }
            return tensors;
        } catch (IOException e) {
            throw new WeightFileException(file, null, "cannot read: " + e, e);
        }
    }

    /**
     * Reads the {@code __metadata__} entry of a safetensors file without reading any tensor.
     *
     * @param file the file to read
     * @return the metadata in file order; empty when the file has none
     * @throws WeightFileException if the file cannot be read or its header is malformed
     */
    public static Map<String, String> readMetadata(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, channel).metadata();
        } catch (IOException e) {
            throw new WeightFileException(file, null, "cannot read: " + e, e);
        }
    }

    /**
     * Writes tensors to a safetensors file without metadata; see {@link #write(Path, Map, Map)}.
     *
     * @param file the file to create or replace
     * @param tensors the tensors by name, written in iteration order
     * @throws WeightFileException if the file cannot be written
     */
    public static void write(Path file, Map<String, NDArray> tensors) {
        write(file, tensors, Map.of());
    }

    /**
     * Writes tensors and metadata to a safetensors file, atomically: the data goes to a temporary
     * file in the same directory, which is forced to disk and then moved over {@code file}, so
     * readers see either the old file or the complete new one.
     *
     * <p>Arrays of type float32, float64, float16, int64, int32, int8, uint8 and boolean are written
     * as they are (F32, F64, F16, I64, I32, I8, U8, BOOL). The header is padded with spaces to a
     * multiple of 8 bytes, as the reference implementation does.
     *
     * <p>The bytes depend only on the arguments: tensors are written in the map's iteration order
     * (pass an ordered map) and metadata sorted by key, so the same model gives the same file, and
     * the same sha256, in every JVM. The file gets mode 0644 (see {@link AtomicFiles}).
     *
     * @param file the file to create or replace
     * @param tensors the tensors by name, written in iteration order
     * @param metadata string metadata stored under {@code __metadata__}; omitted when empty
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__} or has an
     *     unsupported data type
     * @throws WeightFileException if the file cannot be written; {@code file} is then unchanged
     */
    public static void write(
            Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            new TreeMap<>(metadata)
                    .forEach(
                            (key, value) ->
                                    meta.addProperty(
                                            key,
                                            Objects.requireNonNull(
                                                    value, "metadata value of " + key)));
            header.add(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> tensor : tensors.entrySet()) {
            String name = tensor.getKey();
            NDArray array = tensor.getValue();
            if (METADATA_KEY.equals(name)) {
                throw new IllegalArgumentException(
                        "'" + METADATA_KEY + "' is reserved and cannot name a tensor");
            }
            Dtype dtype = Dtype.forArray(name, array.getDataType());
            long bytes = array.size() * dtype.fileBytes;
            JsonArray shape = new JsonArray();
            for (long dim : array.getShape().getShape()) {
                shape.add(dim);
            }
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", dtype.name());
            entry.add("shape", shape);
            entry.add("data_offsets", offsets);
            header.add(name, entry);
            offset += bytes;
        }
        byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        try {
            AtomicFiles.write(
                    file,
                    channel -> {
                        writeFully(channel, head);
                        ByteBuffer chunk =
                                ByteBuffer.allocateDirect(CHUNK_BYTES)
                                        .order(ByteOrder.LITTLE_ENDIAN);
                        for (Map.Entry<String, NDArray> tensor : tensors.entrySet()) {
                            writeData(channel, tensor.getKey(), tensor.getValue(), chunk);
                        }
                    });
        } catch (IOException e) {
            throw new WeightFileException(file, null, "cannot write: " + e, e);
        }
    }

    /**
     * Converts an IEEE 754 half-precision value (F16) to a float; exact for every input,
     * subnormals, infinities and NaN included.
     *
     * @param half the 16 bits of the half-precision value
     * @return the same value as a float
     */
    public static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * Converts a float to IEEE 754 half precision (F16), rounding to nearest, ties to even; values
     * beyond the half range become infinities, tiny values become subnormals or signed zeros, NaN
     * stays NaN.
     *
     * @param value the float to convert
     * @return the 16 bits of the nearest half-precision value
     */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            int nan = mantissa == 0 ? 0 : 0x200 | (mantissa >>> 13);
            return (short) (sign | 0x7c00 | nan);
        }
        int unbiased = exponent - 127;
        if (unbiased > 15) {
            return (short) (sign | 0x7c00);
        }
        if (unbiased >= -14) {
            int half = ((unbiased + 15) << 10) | (mantissa >>> 13);
            return (short) (sign | roundHalfEven(half, mantissa & 0x1fff, 13));
        }
        int shift = -unbiased - 1;
        if (shift > 24) {
            return (short) sign;
        }
        int significand = mantissa | 0x800000;
        int half = significand >>> shift;
        return (short) (sign | roundHalfEven(half, significand & ((1 << shift) - 1), shift));
    }

    /**
     * Converts a bfloat16 value (BF16) to a float; exact for every input.
     *
     * @param bfloat16 the 16 bits of the bfloat16 value
     * @return the same value as a float
     */
    public static float bfloat16ToFloat(short bfloat16) {
        return Float.intBitsToFloat((bfloat16 & 0xffff) << 16);
    }

    /**
     * Converts a float to bfloat16 (BF16), rounding to nearest, ties to even; NaN stays NaN.
     *
     * @param value the float to convert
     * @return the 16 bits of the nearest bfloat16 value
     */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** Rounds {@code truncated}, which dropped the low {@code dropped} bits {@code rest}. */
    private static int roundHalfEven(int truncated, int rest, int dropped) {
        int halfway = 1 << (dropped - 1);
        if (rest > halfway || (rest == halfway && (truncated & 1) == 1)) {
            return truncated + 1;
        }
        return truncated;
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new WeightFileException(
                    file, "only " + size + " bytes, too short for the 8-byte header length");
        }
        long headerBytes =
                channel.map(FileChannel.MapMode.READ_ONLY, 0, 8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong(0);
        if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES || headerBytes > size - 8) {
            throw new WeightFileException(
                    file,
                    "header length "
                            + headerBytes
                            + " is impossible in a file of "
                            + size
                            + " bytes (at most "
                            + MAX_HEADER_BYTES
                            + " accepted); truncated or not a safetensors file");
        }
        String json;
        try {
            json =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(channel.map(FileChannel.MapMode.READ_ONLY, 8, headerBytes))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new WeightFileException(file, null, "header is not valid UTF-8", e);
        }
        long dataStart = 8 + headerBytes;
        long dataBytes = size - dataStart;
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonElement> member : parseJson(file, json)) {
            String name = member.getKey();
            if (!seen.add(name)) {
                throw new WeightFileException(file, name, "appears twice in the header", null);
            }
            if (METADATA_KEY.equals(name)) {
                metadata = parseMetadata(file, member.getValue());
            } else {
                entries.add(parseEntry(file, name, member.getValue(), dataBytes));
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry previous = byOffset.get(i - 1);
            Entry current = byOffset.get(i);
            if (current.begin() < previous.end()) {
                throw new WeightFileException(
                        file,
                        current.name(),
                        "data_offsets ["
                                + current.begin()
                                + ", "
                                + current.end()
                                + ") overlap those of tensor '"
                                + previous.name()
                                + "' ["
                                + previous.begin()
                                + ", "
                                + previous.end()
                                + ")",
                        null);
            }
        }
        return new Header(dataStart, entries, metadata);
    }

    /** Parses the header's top-level object into its members, in order, duplicates kept. */
    private static List<Map.Entry<String, JsonElement>> parseJson(Path file, String json) {
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            List<Map.Entry<String, JsonElement>> members = new ArrayList<>();
            reader.beginObject();
            while (reader.hasNext()) {
                members.add(Map.entry(reader.nextName(), JsonParser.parseReader(reader)));
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedJsonException("content after the header object");
            }
            return members;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new WeightFileException(
                    file,
                    null,
                    "header is not a valid JSON object: "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
                    e);
        }
    }

    private static Map<String, String> parseMetadata(Path file, JsonElement value) {
        if (!value.isJsonObject()) {
            throw new WeightFileException(file, METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> item : value.getAsJsonObject().entrySet()) {
            JsonElement text = item.getValue();
            if (!text.isJsonPrimitive() || !text.getAsJsonPrimitive().isString()) {
                throw new WeightFileException(
                        file,
                        METADATA_KEY + " value of '" + item.getKey() + "' is not a string");
            }
            metadata.put(item.getKey(), text.getAsString());
        }
        return metadata;
    }

    private static Entry parseEntry(Path file, String name, JsonElement value, long dataBytes) {
        if (!value.isJsonObject()) {
            throw new WeightFileException(file, name, "header entry is not a JSON object", null);
        }
        JsonObject object = value.getAsJsonObject();
        JsonElement dtypeName = object.get("dtype");
        if (dtypeName == null
                || !dtypeName.isJsonPrimitive()
                || !dtypeName.getAsJsonPrimitive().isString()) {
            throw new WeightFileException(file, name, "'dtype' is missing or not a string", null);
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dtypeName.getAsString());
        } catch (IllegalArgumentException e) {
            throw new WeightFileException(
                    file,
                    name,
                    "unsupported dtype "
                            + dtypeName.getAsString()
                            + "; supported: "
                            + Arrays.toString(Dtype.values()),
                    e);
        }
        long[] shape = naturals(file, name, object.get("shape"), "shape", -1);
        long[] offsets = naturals(file, name, object.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        long needed;
        try {
            long count = 1;
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            needed = Math.multiplyExact(count, (long) dtype.fileBytes);
        } catch (ArithmeticException e) {
            throw new WeightFileException(
                    file, name, "shape " + Arrays.toString(shape) + " is too large", e);
        }
        String range = "data_offsets [" + begin + ", " + end + ")";
        if (end < begin) {
            throw new WeightFileException(file, name, range + " end before they begin", null);
        }
        if (end - begin != needed) {
            throw new WeightFileException(
                    file,
                    name,
                    range
                            + " hold "
                            + (end - begin)
                            + " bytes but dtype "
                            + dtype
                            + " with shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + needed,
                    null);
        }
        if (end > dataBytes) {
            throw new WeightFileException(
                    file,
                    name,
                    range
                            + " run past the end of the data section ("
                            + dataBytes
                            + " bytes); the file is truncated or corrupt",
                    null);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** Reads a JSON array of non-negative integers, of {@code length} entries unless negative. */
    private static long[] naturals(
            Path file, String name, JsonElement value, String field, int length) {
        if (value == null || !value.isJsonArray()) {
            throw new WeightFileException(
                    file, name, "'" + field + "' is missing or not an array", null);
        }
        JsonArray array = value.getAsJsonArray();
        if (length >= 0 && array.size() != length) {
            throw new WeightFileException(
                    file, name, "'" + field + "' must have " + length + " entries: " + array, null);
        }
        long[] numbers = new long[array.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = natural(array.get(i));
            if (numbers[i] < 0) {
                throw new WeightFileException(
                        file,
                        name,
                        "'"
                                + field
                                + "' holds "
                                + array.get(i)
                                + ", not a non-negative integer: "
                                + array,
                        null);
            }
        }
        return numbers;
    }

    /** Returns the JSON value as a long when it is an integral number that fits, else -1. */
    private static long natural(JsonElement item) {
        if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber()) {
            return -1;
        }
        try {
            return Math.max(-1, item.getAsBigDecimal().longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }

    private static NDArray toArray(
            Path file, FileChannel channel, long dataStart, Entry entry, NDManager manager) {
        long count = (entry.end() - entry.begin()) / entry.dtype().fileBytes;
        int arrayWidth = entry.dtype().arrayType.getNumOfBytes();
        if (count > Integer.MAX_VALUE / arrayWidth) {
            throw new WeightFileException(
                    file,
                    entry.name(),
                    count
                            + " elements of "
                            + entry.dtype().arrayType
                            + " exceed the 2 GiB a single array can be read into",
                    null);
        }
        ByteBuffer source;
        try {
            source =
                    channel.map(
                                    FileChannel.MapMode.READ_ONLY,
                                    dataStart + entry.begin(),
                                    entry.end() - entry.begin())
                            .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new WeightFileException(file, entry.name(), "cannot read its data: " + e, e);
        }
        ByteBuffer target =
                ByteBuffer.allocateDirect((int) count * arrayWidth).order(ByteOrder.nativeOrder());
        switch (entry.dtype()) {
            case F16:
            case BF16:
                ShortBuffer halves = source.asShortBuffer();
                FloatBuffer floats = target.asFloatBuffer();
                boolean bfloat = entry.dtype() == Dtype.BF16;
                while (halves.hasRemaining()) {
                    short bits = halves.get();
                    floats.put(bfloat ? bfloat16ToFloat(bits) : halfToFloat(bits));
                }
                break;
            case I16:
                ShortBuffer shorts = source.asShortBuffer();
                IntBuffer ints = target.asIntBuffer();
                while (shorts.hasRemaining()) {
                    ints.put(shorts.get());
                }
                break;
            default:
                copyElements(source, target, entry.dtype().fileBytes);
        }
        NDArray array = manager.create(target, new Shape(entry.shape()), entry.dtype().arrayType);
        array.setName(entry.name());
        return array;
    }

    private static void writeData(
            FileChannel channel, String name, NDArray array, ByteBuffer chunk)
            throws IOException {
        int width = array.getDataType().getNumOfBytes();
        ByteBuffer source = array.toByteBuffer(true);
        if (source.remaining() != array.size() * width) {
            throw new IllegalStateException(
                    "tensor '"
                            + name
                            + "': the engine returned "
                            + source.remaining()
                            + " bytes for "
                            + array.size()
                            + " elements of "
                            + array.getDataType());
        }
        while (source.hasRemaining()) {
            int length = Math.min(source.remaining(), chunk.capacity());
            chunk.clear();
            copyElements(source.slice(source.position(), length).order(source.order()), chunk, width);
            chunk.limit(length);
            writeFully(channel, chunk);
            source.position(source.position() + length);
        }
    }

    /**
     * Copies the remaining bytes of {@code source} to the start of {@code target} as elements of
     * {@code width} bytes, converting from the source's byte order to the target's; positions are
     * left as they are.
     */
    private static void copyElements(ByteBuffer source, ByteBuffer target, int width) {
        switch (width) {
            case 1:
                target.duplicate().put(source.duplicate());
                break;
            case 2:
                target.asShortBuffer().put(source.asShortBuffer());
                break;
            case 4:
                target.asIntBuffer().put(source.asIntBuffer());
                break;
            default:
                target.asLongBuffer().put(source.asLongBuffer());
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** A safetensors dtype, its width in the file and the type of the array it is read into. */
    private enum Dtype {
        F32(4, DataType.FLOAT32),
        F64(8, DataType.FLOAT64),
        F16(2, DataType.FLOAT32),
        BF16(2, DataType.FLOAT32),
        I64(8, DataType.INT64),
        I32(4, DataType.INT32),
        I16(2, DataType.INT32),
        I8(1, DataType.INT8),
        U8(1, DataType.UINT8),
        BOOL(1, DataType.BOOLEAN);

        final int fileBytes;
        final DataType arrayType;

        Dtype(int fileBytes, DataType arrayType) {
            this.fileBytes = fileBytes;
            this.arrayType = arrayType;
        }

        /** The dtype an array of {@code type} is written as. */
        static Dtype forArray(String name, DataType type) {
            switch (type) {
                case FLOAT32:
                    return F32;
                case FLOAT64:
                    return F64;
                case FLOAT16:
                    return F16;
                case INT64:
                    return I64;
                case INT32:
                    return I32;
                case INT8:
                    return I8;
                case UINT8:
                    return U8;
                case BOOLEAN:
                    return BOOL;
                default:
                    throw new IllegalArgumentException(
                            "tensor '"
                                    + name
                                    + "' has data type "
                                    + type
                                    + "; writable: float32, float64, float16, int64, int32, int8,"
                                    + " uint8, boolean");
            }
        }
    }

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    private record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {}

    /** A parsed header: where the data section starts, the tensors in order, the metadata. */
    private record Header(long dataStart, List<Entry> entries, Map<String, String> metadata) {}
}
