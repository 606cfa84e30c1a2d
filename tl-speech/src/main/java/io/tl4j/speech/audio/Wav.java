package io.tl4j.speech.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes WAV files: integer PCM of 8, 16, 24 or 32 bits and IEEE float of 32 or 64 bits,
 * plain or WAVE_FORMAT_EXTENSIBLE, any number of channels (mixed down to mono by averaging).
 *
 * <p>Anything else is an {@link AudioFormatException} naming the file, the field and its value: MP3
 * bytes, ADPCM, A-law, a truncated header or data chunk, a float sample that is NaN or infinite, a
 * sample rate or a duration outside the {@link AudioLimits} (1,000..384,000 Hz and ten minutes by
 * default; pass other limits to {@link #read(Path, AudioLimits)} to raise them). A data chunk whose
 * size is 0xFFFFFFFF or 0, as ffmpeg and sox write when streaming to a pipe, runs to the end of the
 * file. The header is checked before any sample is read, and memory grows with the samples
 * accepted, never with a size a header declares.
 */
public final class Wav {

    private static final int PCM = WavDecoder.PCM;
    private static final int IEEE_FLOAT = WavDecoder.IEEE_FLOAT;

    private Wav() {}

    /**
     * Reads a WAV file within the default {@link AudioLimits}.
     *
     * @param file a WAV file
     * @return its samples, mixed down to mono
     * @throws AudioFormatException when the file is not a supported WAV file within the limits, or is a directory
     * @throws UncheckedIOException when it cannot be read
     */
    public static Audio read(Path file) {
        return read(file, AudioLimits.defaults());
    }

    /**
     * Reads a WAV file.
     *
     * @param file a WAV file
     * @param limits the sample rates and duration accepted
     * @return its samples, mixed down to mono
     * @throws AudioFormatException when the file is not a supported WAV file within the limits, or is a directory
     * @throws UncheckedIOException when it cannot be read
     */
    public static Audio read(Path file, AudioLimits limits) {
        if (Files.isDirectory(file)) {
            throw new AudioFormatException(file.toString(), "is a directory, not a WAV file");
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return WavDecoder.decode(in, in.size(), file.toString(), limits);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e, e);
        }
    }

    /**
     * Decodes a WAV file's bytes within the default {@link AudioLimits}.
     *
     * @param bytes the contents of a WAV file
     * @param source the name used in error messages and recorded in the {@link Audio}
     * @return its samples, mixed down to mono
     * @throws AudioFormatException when the bytes are not a supported WAV file within the limits
     */
    public static Audio decode(byte[] bytes, String source) {
        return decode(bytes, source, AudioLimits.defaults());
    }

    /**
     * Decodes a WAV file's bytes.
     *
     * @param bytes the contents of a WAV file
     * @param source the name used in error messages and recorded in the {@link Audio}
     * @param limits the sample rates and duration accepted
     * @return its samples, mixed down to mono
     * @throws AudioFormatException when the bytes are not a supported WAV file within the limits
     */
    public static Audio decode(byte[] bytes, String source, AudioLimits limits) {
        try {
            return WavDecoder.decode(
                    Channels.newChannel(new ByteArrayInputStream(bytes)), bytes.length, source, limits);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot decode " + source, e);
        }
    }

    /**
     * Writes 16-bit PCM mono (samples clipped to [-1, 1]).
     *
     * @param file the file to write
     * @param audio the recording
     */
    public static void write16(Path file, Audio audio) {
        try {
            Files.write(file, encode(audio.samples(), audio.sampleRate(), 1, PCM, 16));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /**
     * Encodes interleaved samples as a WAV file.
     *
     * @param interleaved the samples, channel-interleaved, in [-1, 1]
     * @param sampleRate samples per second
     * @param channels number of channels
     * @param floating true for IEEE float 32-bit, false for integer PCM
     * @param bits 8, 16, 24 or 32 for integer PCM; 32 for float
     * @return the file's bytes
     */
    public static byte[] encode(float[] interleaved, int sampleRate, int channels, boolean floating, int bits) {
        return encode(interleaved, sampleRate, channels, floating ? IEEE_FLOAT : PCM, bits);
    }

    private static byte[] encode(float[] interleaved, int sampleRate, int channels, int format, int bits) {
        if (format == IEEE_FLOAT ? bits != 32 : (bits != 8 && bits != 16 && bits != 24 && bits != 32)) {
            throw new IllegalArgumentException("Cannot encode " + bits + "-bit " + (format == PCM ? "PCM" : "float"));
        }
        int width = bits / 8;
        int dataSize = interleaved.length * width;
        ByteBuffer out = ByteBuffer.allocate(44 + dataSize).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                .putInt(36 + dataSize)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) format)
                .putShort((short) channels)
                .putInt(sampleRate)
                .putInt(sampleRate * channels * width)
                .putShort((short) (channels * width))
                .putShort((short) bits)
                .put("data".getBytes(StandardCharsets.US_ASCII))
                .putInt(dataSize);
        for (float sample : interleaved) {
            double v = Math.max(-1.0, Math.min(1.0, sample));
            if (format == IEEE_FLOAT) {
                out.putFloat((float) v);
            } else if (bits == 8) {
                out.put((byte) Math.round(Math.min(255, v * 128 + 128)));
            } else if (bits == 16) {
                out.putShort((short) Math.round(Math.min(32767, v * 32768)));
            } else if (bits == 24) {
                int s = (int) Math.round(Math.min(8388607, v * 8388608));
                out.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
            } else {
                out.putInt((int) Math.round(Math.min(2147483647.0, v * 2147483648.0)));
            }
        }
        return out.array();
    }
}
