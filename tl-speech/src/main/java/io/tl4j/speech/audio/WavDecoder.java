package io.tl4j.speech.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a WAV file read from a channel, chunk by chunk: the header is checked against the
 * {@link AudioLimits} before any sample is read, and samples are decoded in blocks, so memory and
 * time stay proportional to the audio accepted, never to what a header declares.
 */
final class WavDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(WavDecoder.class);

    static final int PCM = 1;
    static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;
    /** A data chunk size meaning "until the end of the file", as ffmpeg and sox write to pipes. */
    private static final long STREAMING = 0xFFFFFFFFL;

    private static final int BLOCK_BYTES = 1 << 16;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final ReadableByteChannel in;
    private final long size;
    private final String source;
    private final AudioLimits limits;
    private long position;
    private int format = -1;
    private int channels;
    private int sampleRate;
    private int bits;
    private int blockAlign;

    private WavDecoder(ReadableByteChannel in, long size, String source, AudioLimits limits) {
        this.in = in;
        this.size = size;
        this.source = source;
        this.limits = limits;
    }

    /**
     * Decodes a WAV file's samples, mixed down to mono.
     *
     * @param in the file's bytes, from its start
     * @param size how many bytes the file holds
     * @param source the file's name, for messages and the {@link Audio}
     * @param limits the bounds its header must respect
     * @return its samples, mixed down to mono
     * @throws AudioFormatException when the bytes are not a supported WAV file within the limits
     * @throws IOException when the channel fails
     */
    static Audio decode(ReadableByteChannel in, long size, String source, AudioLimits limits) throws IOException {
        return new WavDecoder(in, size, source, limits).decode();
    }

    private Audio decode() throws IOException {
        ByteBuffer riff = read((int) Math.min(12, size));
        if (riff.limit() < 12 || !"RIFF".equals(id(riff, 0))) {
            throw new AudioFormatException(
                    source, "not a WAV file (no RIFF/WAVE header; starts with " + describeStart(riff) + ")");
        }
        if (!"WAVE".equals(id(riff, 8))) {
            throw new AudioFormatException(
                    source, "not a WAV file (a RIFF file of type '" + printable(id(riff, 8)) + "', not 'WAVE')");
        }
        while (position + 8 <= size) {
            long chunkStart = position;
            ByteBuffer header = read(8);
            String id = id(header, 0);
            long declared = Integer.toUnsignedLong(header.getInt(4));
            if ("fmt ".equals(id)) {
                readFormat(declared);
            } else if ("data".equals(id)) {
                return readData(declared);
            } else {
                skipChunk(id, chunkStart, declared);
            }
        }
        throw new AudioFormatException(
                source,
                format < 0
                        ? "truncated header: no fmt chunk (the file ends at byte " + size + ")"
                        : "no data chunk (the file ends at byte " + size + ")");
    }

    private void readFormat(long declared) throws IOException {
        checkFits("fmt ", position - 8, declared);
        if (declared < 16) {
            throw new AudioFormatException(
                    source, "fmt chunk too short (" + declared + " bytes declared, at least 16 needed)");
        }
        ByteBuffer fmt = read((int) Math.min(40, declared));
        format = Short.toUnsignedInt(fmt.getShort(0));
        channels = Short.toUnsignedInt(fmt.getShort(2));
        long rate = Integer.toUnsignedLong(fmt.getInt(4));
        blockAlign = Short.toUnsignedInt(fmt.getShort(12));
        bits = Short.toUnsignedInt(fmt.getShort(14));
        if (format == EXTENSIBLE) {
            if (fmt.limit() < 40) {
                throw new AudioFormatException(
                        source,
                        "WAVE_FORMAT_EXTENSIBLE fmt chunk too short (" + declared + " bytes declared, 40 needed)");
            }
            format = Short.toUnsignedInt(fmt.getShort(24));
        }
        skip(Math.min(declared - fmt.limit() + (declared & 1), size - position));
        checkEncoding();
        limits.checkSampleRate(source, rate);
        sampleRate = (int) rate;
    }

    private void checkEncoding() {
        boolean integer = format == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
        boolean floating = format == IEEE_FLOAT && (bits == 32 || bits == 64);
        if (!integer && !floating) {
            throw new AudioFormatException(
                    source,
                    "unsupported WAV encoding " + encodingName(format) + " with "
                            + bits
                            + " bits per sample; supported: PCM 8/16/24/32-bit and IEEE float 32/64-bit; convert it,"
                            + " e.g. ffmpeg -i in.wav -c:a pcm_s16le out.wav");
        }
        if (channels == 0) {
            throw new AudioFormatException(source, "the fmt chunk declares 0 channels");
        }
        if (blockAlign != channels * (bits / 8)) {
            throw new AudioFormatException(
                    source,
                    "inconsistent fmt chunk: " + channels + " channels of " + bits
                            + " bits but block align " + blockAlign + " (expected channels * bits / 8 = "
                            + channels * (bits / 8) + ")");
        }
    }

    private Audio readData(long declared) throws IOException {
        if (format < 0) {
            throw new AudioFormatException(
                    source,
                    "no fmt chunk before the data chunk at byte " + (position - 8)
                            + ": the file does not say how its samples are encoded");
        }
        long available = size - position;
        boolean streaming = declared == STREAMING || declared == 0;
        long bytes = streaming ? available : declared;
        long frames = bytes / blockAlign;
        limits.checkDuration(source, frames, sampleRate, streaming);
        if (bytes > available) {
            throw new AudioFormatException(
                    source,
                    "truncated data chunk (" + declared + " bytes declared, " + available
                            + " present): the file was cut short, e.g. by an interrupted copy or recording");
        }
        if (frames > MAX_ARRAY) {
            throw new AudioFormatException(
                    source,
                    "the data chunk holds " + frames
                            + " frames, more than a Java array holds; cut the file into shorter pieces");
        }
        if (bytes % blockAlign != 0) {
            LOG.warn(
                    "{}: the data chunk ({} bytes) ends {} bytes into a frame of {} bytes; that partial frame is"
                            + " dropped",
                    source,
                    bytes,
                    bytes % blockAlign,
                    blockAlign);
        }
        return new Audio(samples((int) frames), sampleRate, source);
    }

    private float[] samples(int frames) throws IOException {
        float[] mono = new float[frames];
        int width = bits / 8;
        int framesPerBlock = Math.max(1, BLOCK_BYTES / blockAlign);
        for (int first = 0; first < frames; first += framesPerBlock) {
            int count = Math.min(framesPerBlock, frames - first);
            ByteBuffer block = read(count * blockAlign);
            for (int f = 0; f < count; f++) {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    int at = f * blockAlign + c * width;
                    sum += format == PCM ? integerSample(block, at) : floatSample(block, at, first + f, c);
                }
                mono[first + f] = (float) (sum / channels);
            }
        }
        return mono;
    }

    private double integerSample(ByteBuffer in, int at) {
        switch (bits) {
            case 8:
                return (Byte.toUnsignedInt(in.get(at)) - 128) / 128.0;
            case 16:
                return in.getShort(at) / 32768.0;
            case 24:
                int v = Byte.toUnsignedInt(in.get(at)) | Byte.toUnsignedInt(in.get(at + 1)) << 8 | in.get(at + 2) << 16;
                return v / 8388608.0;
            default:
                return in.getInt(at) / 2147483648.0;
        }
    }

    private double floatSample(ByteBuffer in, int at, int frame, int channel) {
        double v = bits == 32 ? in.getFloat(at) : in.getDouble(at);
        if (!Double.isFinite(v)) {
            throw new AudioFormatException(
                    source,
                    "sample " + frame + " (channel " + channel + ") is " + v
                            + "; a float WAV must hold finite samples: the program that wrote it failed (e.g. a filter"
                            + " that diverged); regenerate the file or replace the non-finite samples");
        }
        return v;
    }

    private void skipChunk(String id, long chunkStart, long declared) throws IOException {
        checkFits(id, chunkStart, declared);
        skip(Math.min(size - position, declared + (declared & 1)));
    }

    /** Fails when a chunk declares more bytes than the file has left (a missing pad byte at the end is fine). */
    private void checkFits(String id, long chunkStart, long declared) {
        long remaining = size - position;
        if (declared > remaining) {
            throw new AudioFormatException(
                    source,
                    "truncated or damaged header: chunk '" + printable(id)
                            + "' at byte " + chunkStart + " declares " + declared + " bytes but only " + remaining
                            + " remain in the file");
        }
    }

    private ByteBuffer read(int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw new IOException(source + " ended at byte " + (position + buffer.position()) + " of " + size
                        + " while reading; was it changed while being read?");
            }
        }
        position += count;
        return buffer.flip();
    }

    private void skip(long count) throws IOException {
        if (in instanceof SeekableByteChannel seekable) {
            seekable.position(seekable.position() + count);
            position += count;
            return;
        }
        for (long left = count; left > 0; left -= BLOCK_BYTES) {
            read((int) Math.min(BLOCK_BYTES, left));
        }
    }

    private static String encodingName(int format) {
        switch (format) {
            case PCM:
                return "1 (PCM)";
            case 2:
                return "2 (Microsoft ADPCM)";
            case IEEE_FLOAT:
                return "3 (IEEE float)";
            case 6:
                return "6 (A-law)";
            case 7:
                return "7 (mu-law)";
            case 0x11:
                return "0x11 (IMA ADPCM)";
            case 0x55:
                return "0x55 (MP3)";
            default:
                return "0x" + Integer.toHexString(format);
        }
    }

    private static String id(ByteBuffer buffer, int at) {
        if (at + 4 > buffer.limit()) {
            return "";
        }
        byte[] bytes = new byte[4];
        buffer.get(at, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Shows a chunk id as text when it is printable ASCII, as hex otherwise. */
    private static String printable(String id) {
        if (id.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F)) {
            return id;
        }
        StringBuilder hex = new StringBuilder("0x");
        id.chars().forEach(ch -> hex.append(String.format("%02x", ch)));
        return hex.toString();
    }

    private static String describeStart(ByteBuffer start) {
        int n = start.limit();
        if (n == 0) {
            return "nothing: the file is empty";
        }
        if (n >= 3 && start.get(0) == 'I' && start.get(1) == 'D' && start.get(2) == '3') {
            return "'ID3': an MP3 file";
        }
        if (n >= 2 && (start.get(0) & 0xFF) == 0xFF && (start.get(1) & 0xE0) == 0xE0) {
            return "an MPEG frame sync: an MP3 file";
        }
        StringBuilder hex = new StringBuilder("0x");
        for (int i = 0; i < Math.min(4, n); i++) {
            hex.append(String.format("%02x", start.get(i)));
        }
        return hex.toString();
    }
}
