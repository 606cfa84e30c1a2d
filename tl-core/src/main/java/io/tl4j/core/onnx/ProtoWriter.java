package io.tl4j.core.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes one protobuf message in the wire format: varints, length-delimited strings, bytes, packed
 * integers and nested messages, each under its field number. Enough of protobuf to write {@code
 * onnx.proto}'s messages without generated classes.
 */
final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Writes an integer field (int32, int64 or enum) as a varint. */
    ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    /** Writes a string field in UTF-8. */
    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a bytes field. */
    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    /** Writes a nested message. */
    ProtoWriter message(int field, ProtoWriter message) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(message.out.size());
        append(message.out);
        return this;
    }

    /** Writes a repeated integer field, packed (proto3's default for repeated scalars). */
    ProtoWriter packed(int field, long[] values) {
        ProtoWriter packed = new ProtoWriter();
        for (long v : values) {
            packed.rawVarint(v);
        }
        tag(field, LENGTH_DELIMITED);
        rawVarint(packed.out.size());
        append(packed.out);
        return this;
    }

    /**
     * Copies the message's bytes to a stream.
     *
     * @param stream the stream
     * @throws IOException when the stream fails
     */
    void writeTo(OutputStream stream) throws IOException {
        out.writeTo(stream);
    }

    /** Writes the tag and length of a nested message whose bytes the caller writes next. */
    ProtoWriter header(int field, long length) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(length);
        return this;
    }

    /** Returns the bytes a length-delimited field of that length takes: tag, length and content. */
    static long fieldSize(int field, long length) {
        return varintSize(((long) field << 3) | LENGTH_DELIMITED) + varintSize(length) + length;
    }

    private static int varintSize(long value) {
        int size = 1;
        for (long v = value; (v & ~0x7FL) != 0; v >>>= 7) {
            size++;
        }
        return size;
    }

    /** Returns the message's size in bytes. */
    long size() {
        return out.size();
    }

    private void append(ByteArrayOutputStream bytes) {
        try {
            bytes.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream cannot fail", e);
        }
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
