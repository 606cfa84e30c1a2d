package io.tl4j.core.weights;

import static io.tl4j.core.weights.SafeTensorsHeader.METADATA_KEY;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.tl4j.core.persist.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes tensors and metadata to a safetensors file atomically, with bytes that depend only on
 * the arguments: tensors in iteration order, metadata sorted by key, the header padded with spaces
 * to a multiple of 8 bytes.
 */
final class SafeTensorsWriter {

    /** Size of the staging buffer used when writing; a multiple of every element width. */
    private static final int CHUNK_BYTES = 1 << 20;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private SafeTensorsWriter() {}

    /** Writes a safetensors file; see {@link SafeTensors#write(Path, Map, Map)}. */
    static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            new TreeMap<>(metadata)
                    .forEach((key, value) ->
                            meta.addProperty(key, Objects.requireNonNull(value, "metadata value of " + key)));
            header.add(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> tensor : tensors.entrySet()) {
            String name = tensor.getKey();
            NDArray array = tensor.getValue();
            if (METADATA_KEY.equals(name)) {
                throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved and cannot name a tensor");
            }
            SafeTensorsDtype dtype = SafeTensorsDtype.forArray(name, array.getDataType());
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
            AtomicFiles.write(file, channel -> {
                writeFully(channel, head);
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Map.Entry<String, NDArray> tensor : tensors.entrySet()) {
                    writeData(channel, tensor.getKey(), tensor.getValue(), chunk);
                }
            });
        } catch (IOException e) {
            throw new WeightFileException(file, null, "cannot write: " + e, e);
        }
    }

    private static void writeData(FileChannel channel, String name, NDArray array, ByteBuffer chunk)
            throws IOException {
        int width = array.getDataType().getNumOfBytes();
        ByteBuffer source = array.toByteBuffer(true);
        if (source.remaining() != array.size() * width) {
            throw new IllegalStateException("tensor '"
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
            ElementBuffers.copy(source.slice(source.position(), length).order(source.order()), chunk, width);
            chunk.limit(length);
            writeFully(channel, chunk);
            source.position(source.position() + length);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
