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
 * <p>A header that declares more values than the file holds is refused before the values are
 * allocated: for a raw file from its size, for a gzip file whose declared size exceeds what its
 * compressed size can expand to (deflate's ratio is at most 1032:1) likewise, and otherwise while
 * reading, with memory that grows with the bytes actually read, not with the declared size.
 *
 * @param source where the array was read from, for error messages
 * @param dims the dimensions, e.g. {@code [60000, 28, 28]} for images or {@code [60000]} for labels
 * @param data the values, row-major, each an unsigned byte
 */
public record IdxFile(String source, int[] dims, byte[] data) {

    /** The element type byte for unsigned bytes, the only type this reader accepts. */
    public static final int UNSIGNED_BYTE = 0x08;

    /** The largest expansion of deflate: 1032 output bytes per input byte. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    /** The first allocation for the values; it doubles as bytes arrive, up to the declared size. */
    private static final int FIRST_CHUNK = 1 << 20;

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
            throw new IllegalArgumentException(
                    source + ": dimensions " + Arrays.toString(dims) + " need " + size + " values, got " + data.length);
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
            return read(in, file.toString(), Files.size(file));
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
        return read(stream, source, -1);
    }

    /** Reads an IDX array from a stream of {@code length} bytes, or of unknown length when -1. */
    private static IdxFile read(InputStream stream, String source, long length) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(stream);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[4];
        readFully(data, magic, source, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(
                    source + ": not an IDX file (magic number " + hex(magic) + " does not start with 00 00)");
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
        if (length >= 0) {
            long available = gzip ? length * MAX_DEFLATE_RATIO : length - header.length - magic.length;
            if (size > available) {
                throw new IdxFormatException(source + ": truncated or a wrong header: dimensions "
                        + Arrays.toString(dims) + " declare " + size + " values (" + dims[0] + " items) but the "
                        + (gzip
                                ? "gzip file of " + length + " bytes can expand to at most " + available
                                : "file holds only " + Math.max(0, available) + " of " + size + " bytes after its "
                                        + (magic.length + header.length) + "-byte header"));
            }
        }
        return new IdxFile(source, dims, readValues(data, (int) size, source, dims));
    }

    /** Reads {@code size} values, allocating as they arrive so a false header cannot exhaust memory. */
    private static byte[] readValues(DataInputStream in, int size, String source, int[] dims) throws IOException {
        byte[] values = new byte[Math.min(size, FIRST_CHUNK)];
        int done = 0;
        while (done < size) {
            if (done == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(size, 2L * values.length));
            }
            int n;
            try {
                n = in.read(values, done, values.length - done);
            } catch (EOFException e) {
                n = -1;
            }
            if (n < 0) {
                throw new IdxFormatException(source + ": truncated: expected " + size + " values for dimensions "
                        + Arrays.toString(dims) + " (" + dims[0] + " items) but the file ends after " + done
                        + " of " + size + " bytes");
            }
            done += n;
        }
        return values;
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

    /** Encodes the file's bytes, uncompressed. */
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

    /** Returns a copy of the values. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Returns a copy of the dimensions. */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Returns the number of items along the first dimension. */
    public int count() {
        return dims[0];
    }

    /**
     * Returns an item's values scaled to [0, 1] (byte / 255).
     *
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

        /**
         * Creates the exception with what is wrong, and where.
         *
         * @param message what is wrong, and where
         */
        public IdxFormatException(String message) {
            super(message);
        }
    }
}
