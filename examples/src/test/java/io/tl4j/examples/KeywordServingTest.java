package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.Wav;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the keyword serving measurement (64 uploads from 4 clients per server): every WAV upload is
 * answered, the batched server forms batches, and the served keyword spotter is right on most held-out clips; its
 * drift phase raises no alert over 1,000 espeak uploads and one within 400 flite uploads (tl-serving's
 * VoiceDriftSplitsTest: at most 400 over 50 profile/traffic splits).
 */
class KeywordServingTest {

    @TempDir
    Path dir;

    @Test
    void bothServersAnswerEveryUploadTheBatchedOneBatchesAndTheFliteVoicesAlert() {
        KeywordServing.Report report = KeywordServing.run(64, new int[] {4}, 1000);
        List<ServingQuickStart.Measurement> table = report.table();
        assertThat(table).hasSize(2);
        for (ServingQuickStart.Measurement m : table) {
            assertThat(m.failed()).as("failed requests, %s", m).isZero();
            assertThat(m.accuracy()).as("served accuracy, %s", m).isGreaterThan(0.8);
        }
        assertThat(table.get(0).meanBatch())
                .as("4 clients share forward passes")
                .isGreaterThan(1.0);
        assertThat(table.get(1).meanBatch()).isEqualTo(1.0);
        assertThat(report.drift().inDistribution()).isEqualTo(1000);
        assertThat(report.drift().falseAlarms())
                .as("alerts over the espeak requests")
                .isZero();
        assertThat(report.drift().detectedAfter())
                .as("flite requests before the alert")
                .isBetween(1, 400);
    }

    @Test
    void anAudioFolderGivesOneMultipartUploadPerClipLabelledByItsFolder() throws Exception {
        Audio silence = new Audio(new float[1600], 16_000, "silence");
        Files.createDirectories(dir.resolve("yes"));
        Files.createDirectories(dir.resolve("no"));
        Wav.write16(dir.resolve("yes/a.wav"), silence);
        Wav.write16(dir.resolve("no/b.wav"), silence);
        Files.writeString(dir.resolve("no/notes.txt"), "not a clip");

        List<LoadClient.Payload> payloads = LoadClient.wavFolder(dir);
        assertThat(payloads).extracting(LoadClient.Payload::label).containsExactly("no", "yes");
        byte[] wav = Files.readAllBytes(dir.resolve("no/b.wav"));
        LoadClient.Payload first = payloads.get(0);
        assertThat(first.contentType()).startsWith("multipart/form-data; boundary=");
        String body = new String(first.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).contains("name=\"clip\"; filename=\"clip.wav\"");
        assertThat(body).contains(new String(wav, StandardCharsets.ISO_8859_1));
    }
}
