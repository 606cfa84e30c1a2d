package io.tl4j.nlp.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding that names the line of the first undecodable byte. */
final class Utf8Text {

    private Utf8Text() {}

    /**
     * Decodes a file's bytes as strict UTF-8, dropping a leading byte-order mark.
     *
     * @param bytes the file's bytes
     * @param file the file name, for messages
     * @return the text, without a leading byte-order mark
     * @throws TextDataException naming the line and byte offset of the first malformed sequence
     */
    static String decode(byte[] bytes, String file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new TextDataException(
                    file,
                    lineOf(bytes, offset),
                    String.format(
                            "byte 0x%02X at offset %d is not valid UTF-8; re-encode the file as UTF-8",
                            bytes[offset] & 0xFF, offset));
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
