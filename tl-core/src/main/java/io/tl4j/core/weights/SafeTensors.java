package io.tl4j.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.persist.AtomicFiles;
import java.nio.file.Path;
import java.util.Map;

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
        return SafeTensorsReader.read(file, manager);
    }

    /**
     * Reads the {@code __metadata__} entry of a safetensors file without reading any tensor.
     *
     * @param file the file to read
     * @return the metadata in file order; empty when the file has none
     * @throws WeightFileException if the file cannot be read or its header is malformed
     */
    public static Map<String, String> readMetadata(Path file) {
        return SafeTensorsReader.readMetadata(file);
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
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        SafeTensorsWriter.write(file, tensors, metadata);
    }

    /**
     * Converts an IEEE 754 half-precision value (F16) to a float; exact for every input,
     * subnormals, infinities and NaN included.
     *
     * @param half the 16 bits of the half-precision value
     * @return the same value as a float
     */
    public static float halfToFloat(short half) {
        return HalfFloats.halfToFloat(half);
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
        return HalfFloats.floatToHalf(value);
    }

    /**
     * Converts a bfloat16 value (BF16) to a float; exact for every input.
     *
     * @param bfloat16 the 16 bits of the bfloat16 value
     * @return the same value as a float
     */
    public static float bfloat16ToFloat(short bfloat16) {
        return HalfFloats.bfloat16ToFloat(bfloat16);
    }

    /**
     * Converts a float to bfloat16 (BF16), rounding to nearest, ties to even; NaN stays NaN.
     *
     * @param value the float to convert
     * @return the 16 bits of the nearest bfloat16 value
     */
    public static short floatToBfloat16(float value) {
        return HalfFloats.floatToBfloat16(value);
    }
}
