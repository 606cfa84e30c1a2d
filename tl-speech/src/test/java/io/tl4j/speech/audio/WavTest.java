package io.tl4j.speech.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 0.05) * 0.8f;
        }
        return x;
    }

    @Test
    void readsEveryIntegerWidthWithinItsQuantisation() {
        float[] x = ramp(500);
        int[] bits = {8, 16, 24, 32};
        double[] step = {1 / 128.0, 1 / 32768.0, 1 / 8388608.0, 1 / 2147483648.0};
        for (int i = 0; i < bits.length; i++) {
            Audio audio = Wav.decode(Wav.encode(x, 16000, 1, false, bits[i]), "pcm" + bits[i] + ".wav");
            assertThat(audio.sampleRate()).isEqualTo(16000);
            assertThat(audio.samples()).hasSize(500);
            for (int j = 0; j < x.length; j++) {
                assertThat((double) audio.samples()[j])
                        .as(bits[i] + "-bit sample " + j)
                        .isCloseTo(x[j], org.assertj.core.data.Offset.offset(step[i] + 1e-7));
            }
        }
    }

    @Test
    void readsFloat32Exactly() {
        float[] x = ramp(300);
        Audio audio = Wav.decode(Wav.encode(x, 22050, 1, true, 32), "float.wav");
        assertThat(audio.samples()).containsExactly(x);
        assertThat(audio.sampleRate()).isEqualTo(22050);
    }

    @Test
    void readsWaveFormatExtensibleFloat() {
        float[] x = ramp(100);
        ByteBuffer b = ByteBuffer.allocate(68 + 400).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF"))
                .putInt(60 + 400)
                .put(ascii("WAVE"))
                .put(ascii("fmt "))
                .putInt(40)
                .putShort((short) 0xFFFE)
                .putShort((short) 1)
                .putInt(8000)
                .putInt(32000)
                .putShort((short) 4)
                .putShort((short) 32)
                .putShort((short) 22)
                .putShort((short) 32)
                .putInt(4)
                .putShort((short) 3)
                .put(new byte[14]) // sub-format GUID: IEEE float
                .put(ascii("data"))
                .putInt(400);
        for (float v : x) {
            b.putFloat(v);
        }
        Audio audio = Wav.decode(b.array(), "extensible.wav");
        assertThat(audio.samples()).containsExactly(x);
        assertThat(audio.sampleRate()).isEqualTo(8000);
    }

    @Test
    void mixesStereoDownToMono() {
        float[] interleaved = {0.5f, -0.5f, 0.2f, 0.4f, 1f, 0f};
        Audio audio = Wav.decode(Wav.encode(interleaved, 16000, 2, true, 32), "stereo.wav");
        assertThat(audio.samples()).containsExactly(0f, 0.3f, 0.5f);
    }

    @Test
    void skipsUnknownChunksBeforeTheData() {
        byte[] plain = Wav.encode(ramp(50), 16000, 1, false, 16);
        ByteBuffer b = ByteBuffer.allocate(plain.length + 14).order(ByteOrder.LITTLE_ENDIAN);
        b.put(plain, 0, 36)
                .put(ascii("LIST"))
                .putInt(5)
                .put(new byte[6]) // odd size: one pad byte
                .put(plain, 36, plain.length - 36);
        assertThat(Wav.decode(b.array(), "list.wav").samples()).hasSize(50);
    }

    @Test
    void writesAndReadsBackA16BitFile(@TempDir Path dir) {
        Path file = dir.resolve("x.wav");
        Wav.write16(file, new Audio(ramp(200), 16000, "x"));
        Audio back = Wav.read(file);
        assertThat(back.samples()).hasSize(200);
        assertThat(back.source()).isEqualTo(file.toString());
    }

    @Test
    void rejectsMp3BytesNamingTheFile(@TempDir Path dir) throws Exception {
        Path mp3 = dir.resolve("song.wav");
        Files.write(mp3, new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        assertThatThrownBy(() -> Wav.read(mp3))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining(mp3.toString())
                .hasMessageContaining("MP3");
    }

    @Test
    void rejectsAdpcmNamingTheEncoding() {
        byte[] wav = Wav.encode(ramp(10), 16000, 1, false, 16);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 2);
        assertThatThrownBy(() -> Wav.decode(wav, "adpcm.wav"))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("adpcm.wav")
                .hasMessageContaining("ADPCM");
    }

    @Test
    void rejectsTruncatedHeaderAndData() {
        byte[] wav = Wav.encode(ramp(100), 16000, 1, false, 16);
        assertThatThrownBy(() -> Wav.decode(Arrays.copyOf(wav, 30), "short-header.wav"))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("short-header.wav")
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Wav.decode(Arrays.copyOf(wav, 100), "short-data.wav"))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("short-data.wav")
                .hasMessageContaining("truncated data chunk (200 bytes declared, 56 present)");
        assertThatThrownBy(() -> Wav.decode(new byte[0], "empty.wav"))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("empty");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
