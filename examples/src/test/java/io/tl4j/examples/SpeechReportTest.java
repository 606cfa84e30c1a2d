package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speech quick start's training report: its worst-classified clips are drawn as log-mel spectrograms
 * ({@link LogMelSpectrogram}), low bands at the bottom, the spectrogram's range from black to white.
 */
class SpeechReportTest {

    @TempDir
    Path dir;

    @Test
    void aPictureHasAPixelPerFrameAndBandWithTheLowestBandAtTheBottom() {
        float[][] logMel = {{-4f, -4f, 2f}, {-1f, 0f, -1f}};
        BufferedImage picture = LogMelSpectrogram.picture(logMel);
        assertThat(picture.getWidth()).isEqualTo(3);
        assertThat(picture.getHeight()).isEqualTo(2);
        assertThat(picture.getRaster().getSample(0, 1, 0))
                .as("band 0, frame 0: the quietest")
                .isEqualTo(0);
        assertThat(picture.getRaster().getSample(2, 1, 0))
                .as("band 0, frame 2: the loudest")
                .isEqualTo(255);
        assertThat(picture.getRaster().getSample(1, 0, 0))
                .as("band 1, frame 1: 4/6 of the range")
                .isEqualTo(170);
    }

    @Test
    void theReportShowsTheTwelveWorstHeldOutClipsAsLogMelPictures() throws IOException {
        try (SpeechQuickStart.Experiment experiment = new SpeechQuickStart.Experiment();
                NDManager manager = NDManager.newBaseManager()) {
            Audio clip = experiment.heldOut.input(0);
            float[][] logMel = LogMelSpectrogram.of(KeywordEncoder.pipeline(), manager, clip);
            assertThat(logMel).hasNumberOfRows(40);
            assertThat(LogMelSpectrogram.picture(clip).getWidth()).isEqualTo(logMel[0].length);

            LabeledData<Audio> train = experiment.pool.samplePerClass(3, 1001);
            try (TransferModel<Audio> model = experiment.features(train, 1).fit(train)) {
                Path html = SpeechQuickStart.writeReport(model, experiment.heldOut, dir);
                String page = Files.readString(html);
                Matcher pictures = Pattern.compile("<img class=\"example\"[^>]*src=\"data:image/png;base64,")
                        .matcher(page);
                int count = 0;
                while (pictures.find()) {
                    count++;
                }
                assertThat(count).isEqualTo(12);
            }
        }
    }
}
