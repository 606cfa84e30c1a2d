package io.tl4j.core.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the JSON header of a safetensors file: header length, UTF-8, JSON syntax,
 * duplicate names, metadata, dtypes, shapes, data offsets against shapes and the file size, and
 * overlaps, all before any tensor data is touched.
 *
 * @param dataStart where the data section starts, in bytes from the start of the file
 * @param entries the tensors in header order
 * @param metadata the {@code __metadata__} entry in header order; empty when the file has none
 */
record SafeTensorsHeader(long dataStart, List<Entry> entries, Map<String, String> metadata) {

    /** The header key of the metadata object, which therefore cannot name a tensor. */
    static final String METADATA_KEY = "__metadata__";

    /** The largest header accepted, as in the reference implementation. */
    private static final long MAX_HEADER_BYTES = 100_000_000L;

    /**
     * Reads and validates the header of {@code file}, open as {@code channel}.
     *
     * @throws WeightFileException if the header is malformed or does not fit the file
     * @throws IOException if the file cannot be read
     */
    static SafeTensorsHeader read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new WeightFileException(file, "only " + size + " bytes, too short for the 8-byte header length");
        }
        long headerBytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, 8)
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
            json = StandardCharsets.UTF_8
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
        return new SafeTensorsHeader(dataStart, entries, metadata);
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
                throw new WeightFileException(file, METADATA_KEY + " value of '" + item.getKey() + "' is not a string");
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
        SafeTensorsDtype dtype;
        try {
            dtype = SafeTensorsDtype.valueOf(dtypeName.getAsString());
        } catch (IllegalArgumentException e) {
            throw new WeightFileException(
                    file,
                    name,
                    "unsupported dtype "
                            + dtypeName.getAsString()
                            + "; supported: "
                            + Arrays.toString(SafeTensorsDtype.values()),
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
            throw new WeightFileException(file, name, "shape " + Arrays.toString(shape) + " is too large", e);
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
    private static long[] naturals(Path file, String name, JsonElement value, String field, int length) {
        if (value == null || !value.isJsonArray()) {
            throw new WeightFileException(file, name, "'" + field + "' is missing or not an array", null);
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
                        "'" + field + "' holds " + array.get(i) + ", not a non-negative integer: " + array,
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

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    record Entry(String name, SafeTensorsDtype dtype, long[] shape, long begin, long end) {}
}
