package io.tl4j.examples;

import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
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
 * 1, 8 and 32 clients. Prints the load table and ends with {@code RESULT serving-keyword ...}.
 */
public final class KeywordServing {

    private KeywordServing() {}

    /**
     * Runs the keyword serving measurement.
     *
     * @param args none; {@code -Dtl4j.keywordRequests=N} sets the requests per row (512)
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        int requests = Integer.getInteger("tl4j.keywordRequests", 512);
        List<ServingQuickStart.Measurement> table = run(requests, new int[] {1, 8, 32});
        ServingQuickStart.printTable(table);
        ServingQuickStart.Measurement batched = ServingQuickStart.find(table, true, 32);
        ServingQuickStart.Measurement unbatched = ServingQuickStart.find(table, false, 32);
        System.out.printf(
                Locale.ROOT,
                "RESULT serving-keyword clients=32 p50_ms=%.0f p99_ms=%.0f batched_rps=%.1f unbatched_rps=%.1f"
                        + " speedup=%.2f failed=%d served_acc=%.3f seconds=%.0f%n",
                batched.p50Millis(),
                batched.p99Millis(),
                batched.requestsPerSecond(),
                unbatched.requestsPerSecond(),
                batched.requestsPerSecond() / unbatched.requestsPerSecond(),
                table.stream().mapToInt(ServingQuickStart.Measurement::failed).sum(),
                batched.accuracy(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Trains and saves the keyword model, then measures both servers at every client count. */
    static List<ServingQuickStart.Measurement> run(int requests, int[] clients) {
        AdaptationWords words = AdaptationWords.extract();
        LabeledData<Audio> train = AudioFolder.at(words.train()).load();
        Path dir;
        try {
            dir = Files.createTempDirectory("tl4j-keyword-serving").resolve("keywords");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (TransferModel<Audio> model = TransferLearner.from(KeywordEncoder.pretrained())
                .freezeAll()
                .learningRate(1e-2f)
                .batchSize(16)
                .epochs(20)
                .seed(1)
                .progressBar(false)
                .fit(train)) {
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
            return table;
        } finally {
            ServingQuickStart.delete(dir.getParent());
        }
    }
}
