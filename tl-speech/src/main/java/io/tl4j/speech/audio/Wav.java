package io.tl4j.speech.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes WAV files: integer PCM of 8, 16, 24 or 32 bits and IEEE float of 32 or 64 bits,
 * plain or WAVE_FORMAT_EXTENSIBLE, any number of channels (mixed down to mono by averaging).
 * Anything else (MP3 bytes, ADPCM, A-law, a truncated header or data chunk) is an {@link
 * AudioFormatException} naming the file and the problem.
 */
public final class Wav {

    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;

    private Wav() {}

    /**
     * @param file a WAV file
     * @return its samples, mixed down to mono
     * @throws AudioFormatException when the file is not a supported WAV file
     * @throws UncheckedIOException when it cannot be read
     */
    public static Audio read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * @param bytes the contents of a WAV file
     * @param source the name used in error messages and recorded in the {@link Audio}
     * @return its samples, mixed down to mono
     * @throws AudioFormatException when the bytes are not a supported WAV file
     */
    public static Audio decode(byte[] bytes, String source) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !"RIFF".equals(ascii(bytes, 0)) || !"WAVE".equals(ascii(bytes, 8))) {
            throw new AudioFormatException(source, "not a WAV file (no RIFF/WAVE header; starts with "
                    + describeStart(bytes) + ")");
        }
        int format = -1;
        int channels = 0;
        int sampleRate = 0;
        int bits = 0;
        int blockAlign = 0;
        int position = 12;
        while (position + 8 <= bytes.length) {
            String id = ascii(bytes, position);
            long size = Integer.toUnsignedLong(in.getInt(position + 4));
            int body = position + 8;
            if ("fmt ".equals(id)) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new AudioFormatException(source, "truncated fmt chunk (" + size + " bytes declared, "
                            + Math.max(0, bytes.length - body) + " present)");
                }
                format = Short.toUnsignedInt(in.getShort(body));
                channels = Short.toUnsignedInt(in.getShort(body + 2));
                sampleRate = in.getInt(body + 4);
                blockAlign = Short.toUnsignedInt(in.getShort(body + 12));
                bits = Short.toUnsignedInt(in.getShort(body + 14));
                if (format == EXTENSIBLE) {
                    if (size < 40 || body + 26 > bytes.length) {
                        throw new AudioFormatException(source, "truncated WAVE_FORMAT_EXTENSIBLE fmt chunk");
                    }
                    format = Short.toUnsignedInt(in.getShort(body + 24));
                }
            } else if ("data".equals(id)) {
                if (format < 0) {
                    throw new AudioFormatException(source, "data chunk before the fmt chunk");
                }
                long available = bytes.length - body;
                if (size > available) {
                    throw new AudioFormatException(source, "truncated data chunk (" + size + " bytes declared, "
                            + available + " present)");
                }
                return new Audio(samples(in, body, (int) size, format, channels, bits, blockAlign, source),
                        checkedRate(sampleRate, source), source);
            }
            position = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        throw new AudioFormatException(source, format < 0 ? "truncated header: no fmt chunk" : "no data chunk");
    }

    private static int checkedRate(int sampleRate, String source) {
        if (sampleRate <= 0) {
            throw new AudioFormatException(source, "invalid sample rate " + sampleRate);
        }
        return sampleRate;
    }

    private static float[] samples(ByteBuffer in, int offset, int size, int format, int channels, int bits,
            int blockAlign, String source) {
        boolean integer = format == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
        boolean floating = format == IEEE_FLOAT && (bits == 32 || bits == 64);
        if (!integer && !floating) {
            throw new AudioFormatException(source, "unsupported WAV encoding " + encodingName(format) + " with "
                    + bits + " bits per sample; supported: PCM 8/16/24/32-bit and IEEE float 32/64-bit");
        }
        int width = bits / 8;
        if (channels <= 0 || blockAlign != channels * width) {
            throw new AudioFormatException(source, "inconsistent fmt chunk: " + channels + " channels of " + bits
                    + " bits but block align " + blockAlign);
        }
        int frames = size / blockAlign;
        float[] mono = new float[frames];
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                int at = offset + f * blockAlign + c * width;
                sum += integer ? integerSample(in, at, bits) : floatSample(in, at, bits);
            }
            mono[f] = (float) (sum / channels);
        }
        return mono;
    }

    private static double integerSample(ByteBuffer in, int at, int bits) {
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

    private static double floatSample(ByteBuffer in, int at, int bits) {
        return bits == 32 ? in.getFloat(at) : in.getDouble(at);
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

    private static String ascii(byte[] bytes, int at) {
        return at + 4 <= bytes.length ? new String(bytes, at, 4, StandardCharsets.US_ASCII) : "";
    }

    private static String describeStart(byte[] bytes) {
        if (bytes.length == 0) {
            return "nothing: the file is empty";
        }
        if (bytes.length >= 3 && "ID3".equals(new String(bytes, 0, 3, StandardCharsets.US_ASCII))) {
            return "'ID3': an MP3 file";
        }
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xE0) == 0xE0) {
            return "an MPEG frame sync: an MP3 file";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            hex.append(String.format("%02x", bytes[i]));
        }
        return "0x" + hex;
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
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataSize)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) format).putShort((short) channels).putInt(sampleRate)
                .putInt(sampleRate * channels * width).putShort((short) (channels * width)).putShort((short) bits)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataSize);
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
