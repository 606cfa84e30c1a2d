package io.tl4j.vision.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * An array of unsigned bytes in the IDX format used by MNIST and Fashion-MNIST: a 4-byte magic
 * number ({@code 0x00 0x00}, the element type {@code 0x08} for unsigned bytes, the number of
 * dimensions), each dimension as a big-endian 32-bit integer, then the values. Files may be raw or
 * gzip-compressed; compression is detected from the content, not the name.
 *
 * @param source where the array was read from, for error messages
 * @param dims the dimensions, e.g. {@code [60000, 28, 28]} for images or {@code [60000]} for labels
 * @param data the values, row-major, each an unsigned byte
 */
public record IdxFile(String source, int[] dims, byte[] data) {

    /** The element type byte for unsigned bytes, the only type this reader accepts. */
    public static final int UNSIGNED_BYTE = 0x08;

    /** Checks that the dimensions match the data. */
    public IdxFile {
        dims = dims.clone();
        long size = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(source + ": negative dimension in " + Arrays.toString(dims));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException(source + ": dimensions " + Arrays.toString(dims) + " need "
                    + size + " values, got " + data.length);
        }
    }

    /**
     * Reads an IDX file, raw or gzip-compressed.
     *
     * @param file the file
     * @return its contents
     * @throws IdxFormatException when the magic number, element type or length is wrong; the
     *     message names the file
     * @throws UncheckedIOException when the file cannot be read
     */
    public static IdxFile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an IDX array from a stream (raw or gzip-compressed), e.g. a classpath resource.
     *
     * @param stream the stream; not closed
     * @param source its name for error messages
     * @return its contents
     * @throws IdxFormatException when the magic number, element type or length is wrong
     * @throws IOException when the stream cannot be read
     */
    public static IdxFile read(InputStream stream, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(stream);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[4];
        readFully(data, magic, source, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(source + ": not an IDX file (magic number "
                    + hex(magic) + " does not start with 00 00)");
        }
        if ((magic[2] & 0xff) != UNSIGNED_BYTE) {
            throw new IdxFormatException(source + ": element type 0x" + String.format("%02x", magic[2] & 0xff)
                    + " is not supported, only 0x08 (unsigned byte)");
        }
        int rank = magic[3] & 0xff;
        if (rank == 0) {
            throw new IdxFormatException(source + ": IDX file with zero dimensions");
        }
        byte[] header = new byte[4 * rank];
        readFully(data, header, source, rank + " dimension sizes");
        ByteBuffer dimsBuffer = ByteBuffer.wrap(header);
        int[] dims = new int[rank];
        long size = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = dimsBuffer.getInt();
            if (dims[i] < 0) {
                throw new IdxFormatException(source + ": dimension " + i + " is negative (" + dims[i] + ")");
            }
            size *= dims[i];
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IdxFormatException(source + ": " + Arrays.toString(dims) + " is too large (" + size + " values)");
        }
        byte[] values = new byte[(int) size];
        readFully(data, values, source, size + " values for dimensions " + Arrays.toString(dims));
        return new IdxFile(source, dims, values);
    }

    private static void readFully(DataInputStream in, byte[] target, String source, String what) throws IOException {
        int done = 0;
        while (done < target.length) {
            int n;
            try {
                n = in.read(target, done, target.length - done);
            } catch (EOFException e) {
                n = -1;
            }
            if (n < 0) {
                throw new IdxFormatException(source + ": truncated: expected " + what + " but the file ends after "
                        + done + " of " + target.length + " bytes");
            }
            done += n;
        }
    }

    /**
     * Writes this array as an IDX file, gzip-compressed when the name ends in {@code .gz}.
     *
     * @param file the file to write
     */
    public void write(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (file.getFileName().toString().endsWith(".gz")) {
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(toBytes());
                }
            } else {
                out.write(toBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** @return the file's bytes, uncompressed */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 4 * dims.length + data.length);
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) UNSIGNED_BYTE).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        out.writeBytes(header.array());
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** @return a copy of the values */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** @return a copy of the dimensions */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** @return the number of items along the first dimension */
    public int count() {
        return dims[0];
    }

    /**
     * @param i an item index along the first dimension
     * @return that item's values scaled to [0, 1] (byte / 255)
     */
    public float[] itemAsFloats(int i) {
        int itemSize = data.length / Math.max(1, dims[0]);
        float[] values = new float[itemSize];
        for (int j = 0; j < itemSize; j++) {
            values[j] = (data[i * itemSize + j] & 0xff) / 255f;
        }
        return values;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x ", b & 0xff));
        }
        return sb.toString().trim();
    }

    /** A file that is not a valid unsigned-byte IDX file; the message names it and says why. */
    public static final class IdxFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** @param message what is wrong, and where */
        public IdxFormatException(String message) {
            super(message);
        }
    }
}
