package io.tl4j.nlp.weights;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a TensorFlow checkpoint (tensor bundle), as in a SavedModel's {@code variables/}: the index
 * {@code <prefix>.index} is a LevelDB-format table (data blocks of prefix-compressed keys with
 * restart points, an index block of block handles, a 48-byte footer with the magic number; each
 * block followed by a compression byte and a masked CRC-32C) mapping tensor names to {@code
 * BundleEntryProto} (dtype = 1, shape = 2, shard_id = 3, offset = 4, size = 5); the values are raw
 * little-endian bytes in {@code <prefix>.data-0000S-of-0000N}. Float tensors are read; others
 * (step counters, strings) are listed by name only.
 */
public final class TfCheckpoint {

    private static final long MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER = 48;
    private static final int DT_FLOAT = 1;
    private static final int DT_DOUBLE = 2;
    private static final int DT_HALF = 19;

    /**
     * A float tensor of the checkpoint.
     *
     * @param name its variable name, e.g. {@code bert/encoder/layer_0/attention/self/query/kernel}
     * @param shape its shape
     * @param values its values, row-major
     */
    public record Tensor(String name, long[] shape, float[] values) {}

    private final Map<String, Tensor> tensors;
    private final List<String> skipped;

    private TfCheckpoint(Map<String, Tensor> tensors, List<String> skipped) {
        this.tensors = tensors;
        this.skipped = skipped;
    }

    /** Returns the float tensors by variable name, in key order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** Returns the names of entries that are not float tensors (the header, counters, strings). */
    public List<String> skipped() {
        return skipped;
    }

    /**
     * Reads a checkpoint.
     *
     * @param prefix the path without suffix, e.g. {@code model/variables/variables}
     * @return the checkpoint
     * @throws IllegalArgumentException naming the file (and tensor) when the index is corrupt or
     *     compressed, a shard is missing, or a tensor's bytes do not fit its shape
     */
    public static TfCheckpoint read(Path prefix) {
        Path index = Path.of(prefix + ".index");
        ByteBuffer file;
        try {
            file = ByteBuffer.wrap(Files.readAllBytes(index)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read TensorFlow checkpoint index " + index, e);
        }
        List<byte[][]> entries = new ArrayList<>();
        try {
            if (file.capacity() < FOOTER || file.getLong(file.capacity() - 8) != MAGIC) {
                throw new IllegalArgumentException("no table magic number at its end");
            }
            CodedInputStream footer = CodedInputStream.newInstance(file.array(), file.capacity() - FOOTER, FOOTER);
            footer.readRawVarint64(); // metaindex offset
            footer.readRawVarint64(); // metaindex size
            long indexOffset = footer.readRawVarint64();
            long indexSize = footer.readRawVarint64();
            for (byte[][] handle : readBlock(file, indexOffset, indexSize)) {
                CodedInputStream h = CodedInputStream.newInstance(handle[1]);
                entries.addAll(readBlock(file, h.readRawVarint64(), h.readRawVarint64()));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "Corrupt TensorFlow checkpoint index " + index + ": " + e.getMessage(), e);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        Map<Integer, ByteBuffer> shards = new LinkedHashMap<>();
        int numShards = 1;
        for (byte[][] entry : entries) {
            String name = new String(entry[0], StandardCharsets.UTF_8);
            if (name.isEmpty()) {
                numShards = headerShards(entry[1], index);
                skipped.add("");
                continue;
            }
            Entry e = Entry.parse(entry[1], name, index);
            if (e.dtype != DT_FLOAT && e.dtype != DT_DOUBLE && e.dtype != DT_HALF) {
                skipped.add(name);
                continue;
            }
            int shardCount = numShards;
            ByteBuffer shard = shards.computeIfAbsent(e.shard, s -> mapShard(prefix, s, shardCount, name));
            tensors.put(name, new Tensor(name, e.shape, e.values(shard, prefix, name)));
        }
        return new TfCheckpoint(tensors, skipped);
    }

    private static int headerShards(byte[] header, Path index) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(header);
            int shards = 1;
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag >>> 3 == 1) {
                    shards = in.readInt32();
                } else {
                    in.skipField(tag);
                }
            }
            return shards;
        } catch (IOException e) {
            throw new IllegalArgumentException("Corrupt bundle header in " + index, e);
        }
    }

    private static ByteBuffer mapShard(Path prefix, int shard, int shards, String tensor) {
        Path data = Path.of(String.format("%s.data-%05d-of-%05d", prefix, shard, shards));
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + data + " (holding tensor " + tensor + ")", e);
        }
    }

    /** Reads one table block: checks its trailer, then decodes its prefix-compressed entries. */
    private static List<byte[][]> readBlock(ByteBuffer file, long offset, long size) throws IOException {
        if (offset < 0 || size < 4 || offset + size + 5 > file.capacity() - FOOTER) {
            throw new IllegalArgumentException("block handle (" + offset + ", " + size + ") points outside the file");
        }
        int start = (int) offset;
        int length = (int) size;
        byte compression = file.get(start + length);
        if (compression != 0) {
            throw new IllegalArgumentException("block at " + offset + " is compressed (type " + compression
                    + (compression == 1 ? ", snappy" : "") + "); only uncompressed checkpoints are supported");
        }
        CRC32C crc = new CRC32C();
        crc.update(file.array(), start, length + 1);
        int expected = unmask(file.getInt(start + length + 1));
        if ((int) crc.getValue() != expected) {
            throw new IllegalArgumentException("block at " + offset + " fails its CRC-32C check");
        }
        int restarts = file.getInt(start + length - 4);
        int end = start + length - 4 - 4 * restarts;
        if (restarts < 1 || end < start) {
            throw new IllegalArgumentException("block at " + offset + " has a bad restart count " + restarts);
        }
        List<byte[][]> entries = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(file.array(), start, end - start);
        byte[] key = new byte[0];
        while (!in.isAtEnd()) {
            int shared = in.readRawVarint32();
            int nonShared = in.readRawVarint32();
            int valueLength = in.readRawVarint32();
            if (shared > key.length) {
                throw new IllegalArgumentException("entry in block at " + offset + " shares " + shared + " bytes of a "
                        + key.length + "-byte key");
            }
            byte[] next = Arrays.copyOf(key, shared + nonShared);
            System.arraycopy(in.readRawBytes(nonShared), 0, next, shared, nonShared);
            key = next;
            entries.add(new byte[][] {key, in.readRawBytes(valueLength)});
        }
        return entries;
    }

    private static int unmask(int masked) {
        int rot = masked - 0xa282ead8;
        return (rot >>> 17) | (rot << 15);
    }

    /** A BundleEntryProto. */
    private record Entry(int dtype, long[] shape, int shard, long offset, long size) {
        static Entry parse(byte[] bytes, String name, Path index) {
            int dtype = 0;
            List<Long> dims = new ArrayList<>();
            int shard = 0;
            long offset = 0;
            long size = 0;
            try {
                CodedInputStream in = CodedInputStream.newInstance(bytes);
                int tag;
                while ((tag = in.readTag()) != 0) {
                    switch (tag >>> 3) {
                        case 1 -> dtype = in.readEnum();
                        case 2 -> {
                            int limit = in.pushLimit(in.readRawVarint32());
                            int t;
                            while ((t = in.readTag()) != 0) {
                                if (t >>> 3 == 2) {
                                    int dimLimit = in.pushLimit(in.readRawVarint32());
                                    long dim = 0;
                                    int d;
                                    while ((d = in.readTag()) != 0) {
                                        if (d >>> 3 == 1) {
                                            dim = in.readInt64();
                                        } else {
                                            in.skipField(d);
                                        }
                                    }
                                    dims.add(dim);
                                    in.popLimit(dimLimit);
                                } else {
                                    in.skipField(t);
                                }
                            }
                            in.popLimit(limit);
                        }
                        case 3 -> shard = in.readInt32();
                        case 4 -> offset = in.readInt64();
                        case 5 -> size = in.readInt64();
                        case 7 -> throw new IllegalArgumentException("is stored in slices, which is not supported");
                        default -> in.skipField(tag);
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(
                        "Corrupt entry for tensor " + name + " in " + index + ": " + e.getMessage(), e);
            }
            return new Entry(dtype, dims.stream().mapToLong(Long::longValue).toArray(), shard, offset, size);
        }

        float[] values(ByteBuffer data, Path prefix, String name) {
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            int width = dtype == DT_FLOAT ? 4 : dtype == DT_DOUBLE ? 8 : 2;
            if (size != count * width || offset < 0 || offset + size > data.capacity()) {
                throw new IllegalArgumentException("Tensor " + name + " of shape " + Arrays.toString(shape)
                        + " in checkpoint " + prefix + " has " + size + " bytes at offset " + offset
                        + " (expected " + count * width + ", shard size " + data.capacity() + ")");
            }
            float[] values = new float[(int) count];
            int base = (int) offset;
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (width) {
                    case 4 -> data.getFloat(base + 4 * i);
                    case 8 -> (float) data.getDouble(base + 8 * i);
                    default -> io.tl4j.core.weights.SafeTensors.halfToFloat(data.getShort(base + 2 * i));
                };
            }
            return values;
        }
    }
}
