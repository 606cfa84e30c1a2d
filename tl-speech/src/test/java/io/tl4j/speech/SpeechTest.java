package io.tl4j.speech;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpeechTest {

    @Test
    void readsFilesAndFoldersAndGivesTheEncoder(@TempDir Path root) throws Exception {
        Path file = root.resolve("go/one.wav");
        Files.createDirectories(file.getParent());
        Wav.write16(file, new Audio(new float[] {0.5f, -0.25f}, 8000, "x"));
        assertThat(Speech.read(file).samples()).containsExactly(0.5f, -0.25f);
        LabeledData<Audio> data = Speech.audioFolder(root);
        assertThat(data.classNames()).containsExactly("go");
        assertThat(Speech.pipeline().optMfcc(13).build().sampleShape().get(1)).isEqualTo(13);
        try (Backbone<Audio> encoder = Speech.keywordEncoder()) {
            assertThat(encoder.provenance()).isEqualTo(KeywordEncoder.provenance());
        }
    }
}
