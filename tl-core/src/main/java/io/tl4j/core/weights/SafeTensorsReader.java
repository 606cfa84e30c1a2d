package io.tl4j.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.weights.SafeTensorsHeader.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the tensors or the metadata of a safetensors file through memory mapping, once {@link
 * SafeTensorsHeader} has validated its header; F16 and BF16 are widened to float32 and I16 to int32
 * before any array exists.
 */
final class SafeTensorsReader {

    private SafeTensorsReader() {}

    /** Reads every tensor of {@code file}; see {@link SafeTensors#read}. */
    static Map<String, NDArray> read(Path file, NDManager manager) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SafeTensorsHeader header = SafeTensorsHeader.read(file, channel);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            try {
                for (Entry entry : header.entries()) {
                    tensors.put(entry.name(), toArray(file, channel, header.dataStart(), entry, manager));
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

    /** Reads the metadata of {@code file} only; see {@link SafeTensors#readMetadata}. */
    static Map<String, String> readMetadata(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafeTensorsHeader.read(file, channel).metadata();
        } catch (IOException e) {
            throw new WeightFileException(file, null, "cannot read: " + e, e);
        }
    }

    private static NDArray toArray(Path file, FileChannel channel, long dataStart, Entry entry, NDManager manager) {
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
            source = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), entry.end() - entry.begin())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new WeightFileException(file, entry.name(), "cannot read its data: " + e, e);
        }
        ByteBuffer target = ByteBuffer.allocateDirect((int) count * arrayWidth).order(ByteOrder.nativeOrder());
        switch (entry.dtype()) {
            case F16:
            case BF16:
                ShortBuffer halves = source.asShortBuffer();
                FloatBuffer floats = target.asFloatBuffer();
                boolean bfloat = entry.dtype() == SafeTensorsDtype.BF16;
                while (halves.hasRemaining()) {
                    short bits = halves.get();
                    floats.put(bfloat ? HalfFloats.bfloat16ToFloat(bits) : HalfFloats.halfToFloat(bits));
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
                ElementBuffers.copy(source, target, entry.dtype().fileBytes);
        }
        NDArray array = manager.create(target, new Shape(entry.shape()), entry.dtype().arrayType);
        array.setName(entry.name());
        return array;
    }
}
