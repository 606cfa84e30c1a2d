package io.tl4j.examples;

import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.monitor.DriftMonitor;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import io.tl4j.speech.audio.Wav;
import io.tl4j.speech.keyword.KeywordEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Serves a keyword spotter over HTTP and measures it with audio uploads: tl-speech's pretrained keyword encoder
 * (frozen) and a linear head learn five words it never heard from 20 espeak clips per word, the model is saved and
 * served by a {@code ModelServer} batched (up to 32 clips per forward pass, 5 ms wait) and unbatched, and clients on
 * loopback post the 180 held-out-voice WAV files (1 s, 16 kHz, 32 kB each) as multipart uploads, one per request, at
 * 1, 8 and 32 clients. The fit is validated on the held-out voices' first pass over the words (90 clips), so the saved
 * model carries a reference profile; a last phase serves it watched for drift, sends the voices' second pass (the
 * other 90 clips, taken in turn; {@code -Dtl4j.driftRequests}, 1,000 by default) and then the flite voices, and
 * counts the alerts. Prints the load table and ends with {@code RESULT serving-keyword ...}.
 */
public final class KeywordServing {

    private KeywordServing() {}

    /**
     * Runs the keyword serving measurement.
     *
     * @param args none; {@code -Dtl4j.keywordRequests=N} sets the requests per row (512), {@code
     *     -Dtl4j.driftRequests=N} the espeak requests before the flite voices (0 or unset: twice the window, 1,000)
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        int requests = Integer.getInteger("tl4j.keywordRequests", 512);
        int driftRequests = Integer.getInteger("tl4j.driftRequests", 0);
        driftRequests = driftRequests > 0 ? driftRequests : 2 * DriftMonitor.DEFAULT_WINDOW;
        Report report = run(requests, new int[] {1, 8, 32}, driftRequests);
        List<ServingQuickStart.Measurement> table = report.table();
        ServingQuickStart.printTable(table);
        ServingQuickStart.Measurement batched = ServingQuickStart.find(table, true, 32);
        ServingQuickStart.Measurement unbatched = ServingQuickStart.find(table, false, 32);
        System.out.printf(
                Locale.ROOT,
                "RESULT serving-keyword clients=32 p50_ms=%.0f p99_ms=%.0f batched_rps=%.1f unbatched_rps=%.1f"
                        + " speedup=%.2f failed=%d served_acc=%.3f drift_detected_after=%d false_alarms=%d"
                        + " in_distribution=%d seconds=%.0f%n",
                batched.p50Millis(),
                batched.p99Millis(),
                batched.requestsPerSecond(),
                unbatched.requestsPerSecond(),
                batched.requestsPerSecond() / unbatched.requestsPerSecond(),
                table.stream().mapToInt(ServingQuickStart.Measurement::failed).sum(),
                batched.accuracy(),
                report.drift().detectedAfter(),
                report.drift().falseAlarms(),
                report.drift().inDistribution(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Everything the keyword serving run measured.
     *
     * @param table one measurement per server mode and client count
     * @param drift the drift phase: espeak requests, then the flite voices
     */
    record Report(List<ServingQuickStart.Measurement> table, ServingDrift drift) {}

    /**
     * Trains and saves the keyword model (validated on the held-out voices' first pass, which profiles it), measures
     * both servers at every client count, then runs the drift phase with {@code driftRequests} espeak requests.
     */
    static Report run(int requests, int[] clients, int driftRequests) {
        AdaptationWords words = AdaptationWords.extract();
        LabeledData<Audio> train = AudioFolder.at(words.train()).load();
        List<Path> profiled = words.heldOutPass(0);
        int[] labels = profiled.stream()
                .mapToInt(c ->
                        train.classNames().indexOf(c.getParent().getFileName().toString()))
                .toArray();
        LabeledData<Audio> validation =
                LabeledData.of(profiled.stream().map(Wav::read).toList(), labels, train.classNames());
        Path dir;
        try {
            dir = Files.createTempDirectory("tl4j-keyword-serving").resolve("keywords");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (TransferModel<Audio> model =
                KeywordEncoder.newWordsLearner().validationData(validation).fit(train)) {
            model.save(dir);
        }
        List<LoadClient.Payload> clips = LoadClient.wavFolder(words.heldOutVoices());
        System.out.printf(
                Locale.ROOT,
                "Trained the keyword encoder + linear head on %d clips of %s, saved to %s; %d held-out clips%n",
                train.size(),
                train.classNames(),
                dir,
                clips.size());
        List<ServingQuickStart.Measurement> table = new ArrayList<>();
        try {
            for (boolean batched : new boolean[] {true, false}) {
                for (int c : clients) {
                    table.add(ServingQuickStart.measure(dir, batched, c, requests, clips));
                }
            }
            ServingDrift drift = ServingDrift.run(
                    dir,
                    "keywords",
                    DriftMonitor.DEFAULT_WINDOW,
                    driftRequests,
                    LoadClient.wavFiles(words.heldOutPass(1)),
                    LoadClient.wavFolder(words.flite()),
                    "the flite voices");
            return new Report(table, drift);
        } finally {
            ServingQuickStart.delete(dir.getParent());
        }
    }
}
