package io.tl4j.speech.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.tl4j.core.data.LabeledData;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and damaged audio inputs, each made on the fly: every one fails with an {@link
 * AudioFormatException} naming the file and the field and value at fault, or reads correctly. The
 * files are a few bytes whose headers declare the hostile sizes, so no case reads or allocates much.
 */
class HostileAudioTest {

    @TempDir
    Path dir;

    /** A file that must be refused, and what its message must say besides the file's path. */
    record Rejected(String name, byte[] bytes, List<String> says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejected> rejected() {
        return Stream.of(
                new Rejected("empty", new byte[0], List.of("the file is empty")),
                new Rejected("text", ascii("hello, this is not audio"), List.of("no RIFF/WAVE header", "0x68656c6c")),
                new Rejected(
                        "avi",
                        concat(ascii("RIFF"), le(4).putInt(4).array(), ascii("AVI ")),
                        List.of("RIFF file of type 'AVI '", "not 'WAVE'")),
                new Rejected(
                        "no fmt chunk",
                        riff(chunk("data", 4, new byte[4])),
                        List.of("no fmt chunk before the data chunk at byte 12")),
                new Rejected(
                        "only a LIST chunk",
                        riff(chunk("LIST", 4, new byte[4])),
                        List.of("no fmt chunk (the file ends at byte 24)")),
                new Rejected(
                        "fmt without data", riff(chunk("fmt ", 16, fmt(1, 1, 16000, 2, 16))), List.of("no data chunk")),
                new Rejected(
                        "fmt too short",
                        riff(chunk("fmt ", 12, new byte[12]), chunk("data", 0, new byte[0])),
                        List.of("fmt chunk too short (12 bytes declared, at least 16 needed)")),
                new Rejected(
                        "extensible too short",
                        riff(chunk("fmt ", 18, concat(fmt(0xFFFE, 1, 16000, 2, 16), new byte[2]))),
                        List.of("WAVE_FORMAT_EXTENSIBLE fmt chunk too short (18 bytes")),
                new Rejected("mp3 codec", wav(0x55, 1, 16000, 2, 16, 2, new byte[2]), List.of("0x55 (MP3)", "ffmpeg")),
                new Rejected(
                        "0 channels",
                        wav(1, 0, 16000, 0, 16, 2, new byte[2]),
                        List.of("the fmt chunk declares 0 channels")),
                new Rejected(
                        "65535 channels of 16 bits",
                        wav(1, 65535, 16000, 65535, 16, 2, new byte[2]),
                        List.of("65535 channels of 16 bits but block align 65535", "131070")),
                new Rejected("7 bits", wav(1, 1, 16000, 1, 7, 2, new byte[2]), List.of("with 7 bits per sample")),
                new Rejected("12 bits", wav(1, 1, 16000, 2, 12, 2, new byte[2]), List.of("with 12 bits per sample")),
                new Rejected(
                        "64-bit integers",
                        wav(1, 1, 16000, 8, 64, 8, new byte[8]),
                        List.of("1 (PCM) with 64 bits per sample")),
                new Rejected(
                        "block align 3 for stereo 16-bit",
                        wav(1, 2, 16000, 3, 16, 4, new byte[4]),
                        List.of("2 channels of 16 bits but block align 3")),
                new Rejected("0 Hz", pcm16(0, 4), List.of("sample rate of 0 Hz", "1000..384000 Hz")),
                new Rejected("1 Hz", pcm16(1, 4), List.of("sample rate of 1 Hz", "withSampleRates")),
                new Rejected("10 MHz", pcm16(10_000_000, 4), List.of("sample rate of 10000000 Hz")),
                new Rejected("rate 0xFFFFFFFF", pcm16(0xFFFFFFFFL, 4), List.of("sample rate of 4294967295 Hz")),
                new Rejected(
                        "2 hours declared at 16 kHz",
                        wav(1, 1, 16000, 2, 16, 2L * 7200 * 16000, new byte[4]),
                        List.of(
                                "declares 7200.0 s of audio (115200000 frames at 16000 Hz)",
                                "600 s limit",
                                "withMaxSeconds(7200)")),
                new Rejected(
                        "data truncated mid-sample",
                        wav(1, 1, 16000, 2, 16, 200, new byte[101]),
                        List.of("truncated data chunk (200 bytes declared, 101 present)")),
                new Rejected(
                        "huge LIST chunk",
                        riff(chunk("fmt ", 16, fmt(1, 1, 16000, 2, 16)), chunk("LIST", 0xFFFFFFF0L, new byte[6])),
                        List.of("chunk 'LIST' at byte 36 declares 4294967280 bytes but only 6 remain")),
                new Rejected(
                        "huge fmt chunk",
                        riff(chunk("fmt ", 0xFFFFFF00L, fmt(1, 1, 16000, 2, 16))),
                        List.of("chunk 'fmt ' at byte 12 declares 4294967040 bytes but only 16 remain")),
                new Rejected(
                        "binary chunk id",
                        riff(chunk("\u0001\u0002\u0003\u0004", 0x7FFFFFFFL, new byte[2])),
                        List.of("chunk '0x01020304'")),
                new Rejected(
                        "NaN float",
                        floats(2, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, Float.NaN),
                        List.of("sample 2 (channel 1) is NaN")),
                new Rejected(
                        "infinite double",
                        doubles(0.25, Double.NEGATIVE_INFINITY),
                        List.of("sample 1 (channel 0) is -Infinity")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void refusesNamingTheFileTheFieldAndTheValue(Rejected hostile) throws Exception {
        Path file = dir.resolve(hostile.name().replace(' ', '-') + ".wav");
        Files.write(file, hostile.bytes());
        assertThatThrownBy(() -> Wav.read(file))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .satisfies(e -> assertThat(e.getMessage()).contains(hostile.says()));
    }

    @Test
    void readsACoPrimeRateAndResamplesItWithoutAPhaseTable() throws Exception {
        float[] tone = new float[44101];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 44101.0));
        }
        Path file = dir.resolve("odd-rate.wav");
        Files.write(file, Wav.encode(tone, 44101, 1, true, 32));
        Audio audio = Wav.read(file).resampledTo(16000);
        assertThat(Resampler.plan(44101, 16000).phases()).isZero();
        assertThat(audio.samples()).hasSize(16000);
        double peak = 0;
        for (int i = 4000; i < 12000; i++) {
            peak = Math.max(peak, Math.abs(audio.samples()[i]));
        }
        assertThat(peak).isBetween(0.49, 0.51);
    }

    @Test
    void readsAStreamingWavToTheEndOfTheFile() {
        float[] x = {0.5f, -0.25f, 0.125f, 1f, -1f};
        for (long declared : new long[] {0xFFFFFFFFL, 0}) {
            byte[] bytes = streaming(Wav.encode(x, 16000, 1, true, 32), declared);
            Audio audio = Wav.decode(bytes, "pipe.wav");
            assertThat(audio.samples()).as("data size %d", declared).containsExactly(x);
            assertThat(audio.sampleRate()).isEqualTo(16000);
        }
    }

    @Test
    void dropsAStreamingWavsPartialLastFrame() {
        byte[] whole = Wav.encode(new float[] {0.5f, 0.25f, -0.5f, -0.25f}, 16000, 2, false, 16);
        byte[] cut = Arrays.copyOf(streaming(whole, 0xFFFFFFFFL), whole.length - 1);
        assertThat(Wav.decode(cut, "cut.wav").samples()).containsExactly(0.375f);
    }

    @Test
    void appliesTheDurationCapToStreamingWavsToo() {
        byte[] bytes = streaming(Wav.encode(new float[8000], 16000, 1, false, 16), 0xFFFFFFFFL);
        AudioLimits tenthOfASecond = AudioLimits.defaults().withMaxSeconds(0.1);
        assertThatThrownBy(() -> Wav.decode(bytes, "long-pipe.wav", tenthOfASecond))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("long-pipe.wav: the data chunk runs to the end of the file, holding 0.5 s")
                .hasMessageContaining("over the 0.1 s limit");
    }

    @Test
    void honoursOddChunkPadding() {
        byte[] bytes = riff(
                chunk("fmt ", 16, fmt(1, 1, 16000, 2, 16)),
                chunk("LIST", 3, new byte[] {1, 2, 3, 0}),
                chunk(
                        "data",
                        4,
                        le(4).putShort((short) 16384).putShort((short) -16384).array()));
        assertThat(Wav.decode(bytes, "padded.wav").samples()).containsExactly(0.5f, -0.5f);
    }

    @Test
    void mixesDown65535ChannelsOf8Bits() {
        byte[] frame = new byte[65535];
        Arrays.fill(frame, (byte) 192);
        Audio audio = Wav.decode(wav(1, 65535, 16000, 65535, 8, frame.length, frame), "many.wav");
        assertThat(audio.samples()).containsExactly(0.5f);
    }

    @Test
    void raisedLimitsReadWhatTheDefaultsRefuse() {
        AudioLimits slow = AudioLimits.defaults().withSampleRates(1, 384_000);
        assertThat(Wav.decode(pcm16(1, 4), "1hz.wav", slow).sampleRate()).isEqualTo(1);
        AudioLimits threeHours = AudioLimits.defaults().withMaxSeconds(3 * 3600);
        byte[] twoHoursDeclared = wav(1, 1, 16000, 2, 16, 2L * 7200 * 16000, new byte[4]);
        assertThatThrownBy(() -> Wav.decode(twoHoursDeclared, "2h.wav", threeHours))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("2h.wav: truncated data chunk");
        assertThatThrownBy(() -> AudioLimits.defaults().withSampleRates(0, 10)).hasMessageContaining("0..10 Hz");
        assertThatThrownBy(() -> AudioLimits.defaults().withMaxSeconds(Double.NaN))
                .hasMessageContaining("NaN");
    }

    @Test
    void ignoresHiddenFoldersAndFiles() throws Exception {
        clip(dir.resolve("yes/a.wav"));
        clip(dir.resolve("no/b.wav"));
        clip(dir.resolve(".ipynb_checkpoints/a-checkpoint.wav"));
        Files.write(dir.resolve(".DS_Store"), new byte[] {0, 0, 0, 1});
        Files.write(dir.resolve("yes/._a.wav"), new byte[] {0, 5, 22, 7}); // macOS AppleDouble
        Files.createDirectories(dir.resolve("no/.hidden.wav"));
        AudioFolder.Loaded loaded = AudioFolder.at(dir).loadSkippingUnreadable();
        assertThat(loaded.data().classNames()).containsExactly("no", "yes");
        assertThat(loaded.data().size()).isEqualTo(2);
        assertThat(loaded.skipped()).isEmpty();
    }

    @Test
    void readsAFolderWithASingleClassAsOneClass() throws Exception {
        clip(dir.resolve("only/a.wav"));
        clip(dir.resolve("only/b.wav"));
        LabeledData<Audio> data = AudioFolder.at(dir).load();
        assertThat(data.classNames()).containsExactly("only");
        assertThat(data.size()).isEqualTo(2);
    }

    @Test
    void refusesADirectoryInPlaceOfAFile() throws Exception {
        clip(dir.resolve("yes/a.wav"));
        clip(dir.resolve("no/b.wav"));
        Path folder = Files.createDirectories(dir.resolve("no/c.wav"));
        assertThatThrownBy(() -> Wav.read(folder))
                .isInstanceOf(AudioFormatException.class)
                .hasMessage(folder + ": is a directory, not a WAV file");
        assertThatThrownBy(() -> AudioFolder.at(dir).load()).hasMessageContaining(folder.toString());
        AudioFolder.Loaded loaded = AudioFolder.at(dir).loadSkippingUnreadable();
        assertThat(loaded.data().size()).isEqualTo(2);
        assertThat(loaded.skipped()).hasSize(1);
        assertThat(loaded.skipped().get(0)).contains(folder.toString(), "is a directory");
    }

    @Test
    void reportsAnUnreadableFileAndSkipsItWhenAsked() throws Exception {
        clip(dir.resolve("yes/a.wav"));
        Path locked = clip(dir.resolve("no/b.wav"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "the user reads files without permission (root)");
        assertThatThrownBy(() -> Wav.read(locked))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(locked.toString());
        List<String> skipped = AudioFolder.at(dir).loadSkippingUnreadable().skipped();
        assertThat(skipped).hasSize(1);
        assertThat(skipped.get(0)).contains(locked.toString());
    }

    private static Path clip(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.write(file, Wav.encode(new float[] {0.1f, 0.2f, 0.3f}, 16000, 1, false, 16));
    }

    /** The fields of a 16-byte fmt chunk. */
    private static byte[] fmt(int format, int channels, long rate, int blockAlign, int bits) {
        return le(16).putShort((short) format)
                .putShort((short) channels)
                .putInt((int) rate)
                .putInt((int) (rate * blockAlign))
                .putShort((short) blockAlign)
                .putShort((short) bits)
                .array();
    }

    /** A plain WAV file whose data chunk declares {@code dataSize} bytes and holds {@code data}. */
    private static byte[] wav(
            int format, int channels, long rate, int blockAlign, int bits, long dataSize, byte[] data) {
        return riff(chunk("fmt ", 16, fmt(format, channels, rate, blockAlign, bits)), chunk("data", dataSize, data));
    }

    private static byte[] pcm16(long rate, int frames) {
        return wav(1, 1, rate, 2, 16, 2L * frames, new byte[2 * frames]);
    }

    private static byte[] floats(int channels, float... interleaved) {
        ByteBuffer data = le(4 * interleaved.length);
        for (float v : interleaved) {
            data.putFloat(v);
        }
        return wav(3, channels, 16000, 4 * channels, 32, data.capacity(), data.array());
    }

    private static byte[] doubles(double... samples) {
        ByteBuffer data = le(8 * samples.length);
        for (double v : samples) {
            data.putDouble(v);
        }
        return wav(3, 1, 16000, 8, 64, data.capacity(), data.array());
    }

    /** The file with its RIFF and data sizes overwritten as a writer to a pipe leaves them. */
    private static byte[] streaming(byte[] plain, long dataSize) {
        ByteBuffer b = ByteBuffer.wrap(plain.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, 0xFFFFFFFF).putInt(40, (int) dataSize);
        return b.array();
    }

    private static byte[] riff(byte[]... chunks) {
        byte[] body = concat(chunks);
        return concat(ascii("RIFF"), le(4).putInt(4 + body.length).array(), ascii("WAVE"), body);
    }

    private static byte[] chunk(String id, long declared, byte[] body) {
        return concat(
                id.getBytes(StandardCharsets.ISO_8859_1),
                le(4).putInt((int) declared).array(),
                body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
