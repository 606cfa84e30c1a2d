package io.tl4j.speech.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tl4j.core.data.LabeledData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFolderTest {

    private static void clip(Path file, float value) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, Wav.encode(new float[] {value, value, value}, 16000, 1, false, 16));
    }

    @Test
    void labelsClipsByTheirSubfolder(@TempDir Path root) throws Exception {
        clip(root.resolve("yes/a.wav"), 0.5f);
        clip(root.resolve("yes/b.WAV"), 0.25f);
        clip(root.resolve("no/c.wav"), -0.5f);
        Files.writeString(root.resolve("no/readme.txt"), "not audio");
        LabeledData<Audio> data = AudioFolder.at(root).load();
        assertThat(data.classNames()).containsExactly("no", "yes");
        assertThat(data.size()).isEqualTo(3);
        assertThat(data.labels()).containsExactly(0, 1, 1);
        assertThat(data.input(0).samples()[0]).isEqualTo(-0.5f);
        assertThat(data.input(1).source()).endsWith("a.wav");
    }

    @Test
    void failsOnAnUnreadableFileOrSkipsItWhenAsked(@TempDir Path root) throws Exception {
        clip(root.resolve("yes/a.wav"), 0.5f);
        clip(root.resolve("no/c.wav"), -0.5f);
        Files.write(root.resolve("no/broken.wav"), new byte[] {'I', 'D', '3', 3, 0});
        assertThatThrownBy(() -> AudioFolder.at(root).load())
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("broken.wav");
        AudioFolder.Loaded loaded = AudioFolder.at(root).loadSkippingUnreadable();
        assertThat(loaded.data().size()).isEqualTo(2);
        assertThat(loaded.skipped()).hasSize(1).allMatch(s -> s.contains("broken.wav") && s.contains("MP3"));
    }

    @Test
    void explainsAMissingOrEmptyFolder(@TempDir Path root) throws Exception {
        assertThatThrownBy(() -> AudioFolder.at(root.resolve("nope")).load())
                .hasMessageContaining("nope")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> AudioFolder.at(root).load()).hasMessageContaining("no class subfolders");
        Files.createDirectories(root.resolve("empty"));
        assertThatThrownBy(() -> AudioFolder.at(root).load()).hasMessageContaining("has no .wav files");
    }
}
