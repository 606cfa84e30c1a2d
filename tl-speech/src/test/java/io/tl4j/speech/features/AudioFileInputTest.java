package io.tl4j.speech.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.FileInput;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFormatException;
import io.tl4j.speech.audio.Wav;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AudioPipeline} as a {@link FileInput}: a WAV file becomes the recording the pipeline batches. */
class AudioFileInputTest {

    @TempDir
    Path dir;

    @Test
    void aWavFileIsReadAtItsOwnRateAndABadOneIsRefusedNamingIt() throws Exception {
        float[] samples = new float[4000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.5 * Math.sin(i * 0.3));
        }
        Path wav = dir.resolve("tone.wav");
        Wav.write16(wav, new Audio(samples, 8000, "tone"));
        FileInput<Audio> input = AudioPipeline.builder().build();
        Audio read = input.readFile(wav);
        assertThat(read.sampleRate()).isEqualTo(8000);
        assertThat(read.samples()).hasSize(4000);
        assertThat(read.samples()[5]).isCloseTo(samples[5], org.assertj.core.data.Offset.offset(1e-4f));

        Path text = Files.writeString(dir.resolve("note.wav"), "not a recording");
        assertThatThrownBy(() -> input.readFile(text))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining(text.toString());
    }
}
