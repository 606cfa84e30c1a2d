package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.serving.ModelServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Serves a spam filter over HTTP and measures it: all-MiniLM-L6-v2 (feature extraction) learns ham vs spam from 32
 * SpamAssassin e-mails per class, is saved with {@code TransferModel.save} and served by a {@link ModelServer} twice,
 * with dynamic batching (up to 32 inputs per forward pass, 5 ms wait) and without (one input per pass). Clients on
 * loopback send e-mails it never saw ({@link ServingEmails#unseen()}: 936 of them) as JSON, one per request, with
 * {@code java.net.http}; for each client count the quick start prints requests per second, p50 and p99 latency, failed
 * requests and the mean batch size, and ends with {@code RESULT serving ...}. With {@code --load} (or {@code
 * -Dtl4j.load=true}) it runs 1, 8 and 32 clients with more requests: the load table of issue 16. For the drift phase
 * the fit validates on 400 held-out e-mails, so the saved model carries their fit-time reference profile (classes,
 * confidence and the 384 features the head reads), and it is served watched for drift twice: unseen e-mails should
 * raise no alert, then a switch to ham only (a class-mix shift) should, and on a second server a switch to State of the
 * Union passages ({@link SotuData}, shuffled with seed 1: a different text source) should; the RESULT line says after
 * how many requests ({@code -Dtl4j.driftRequests=5000} sends that many unseen e-mails first, to each server, instead of
 * twice the window). With {@code -Dtl4j.soakSeconds=300} it then serves the batched model to an open-loop client at 80
 * % of the throughput just measured at the most clients, for that long, and reports failures, latency and the process's
 * resident memory (start, end, most) over the run.
 */
public final class ServingQuickStart {

    private static final String MODEL = "spam";

    private ServingQuickStart() {}

    /**
     * What to run.
     *
     * @param perClass labelled training e-mails per class
     * @param maxTokens tokens per e-mail the served model reads
     * @param requests requests per (mode, client count) measurement, after a warm-up of a tenth as many
     * @param clients the client counts to measure
     * @param driftWindow the server's drift window for the drift phase, 0 to skip it
     * @param soakSeconds how long the open-loop run at 80 % of the measured capacity lasts, 0 to skip it
     * @param driftRequests unseen e-mails the drift phase sends before the shift, 0 for twice the window
     */
    record Config(
            int perClass,
            int maxTokens,
            int requests,
            int[] clients,
            int driftWindow,
            int soakSeconds,
            int driftRequests) {}

    /**
     * Everything the quick start measured.
     *
     * @param table one measurement per server mode and client count
     * @param drift the drift phase's class-mix shift (unseen e-mails, then ham only), or null when skipped
     * @param sourceDrift the drift phase's source shift (unseen e-mails, then State of the Union passages), or null
     *     when skipped
     * @param soak the open-loop run at 80 % of capacity, or null when skipped
     */
    record Report(List<Measurement> table, ServingDrift drift, ServingDrift sourceDrift, ServingSoak soak) {}

    /**
     * One measurement: a server mode at a client count.
     *
     * @param batched whether the server batched
     * @param clients concurrent clients
     * @param requests requests answered or failed
     * @param failed requests not answered 200
     * @param requestsPerSecond answered requests per second of wall time
     * @param p50Millis median latency
     * @param p99Millis 99th-percentile latency
     * @param meanBatch inputs per forward pass, from the server's metrics
     * @param accuracy fraction of answers whose top label is the e-mail's true class
     */
    record Measurement(
            boolean batched,
            int clients,
            int requests,
            int failed,
            double requestsPerSecond,
            double p50Millis,
            double p99Millis,
            double meanBatch,
            double accuracy) {}

    /**
     * Runs the quick start: 256 requests at 32 clients, or the load table with {@code --load}.
     *
     * @param args {@code --load} for 1, 8 and 32 clients with 512 requests each
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        boolean load = Arrays.asList(args).contains("--load") || Boolean.getBoolean("tl4j.load");
        int soakSeconds = Integer.getInteger("tl4j.soakSeconds", 0);
        int driftRequests = Integer.getInteger("tl4j.driftRequests", 0);
        Config config = load
                ? new Config(32, 64, 512, new int[] {1, 8, 32}, 500, soakSeconds, driftRequests)
                : new Config(32, 64, 256, new int[] {32}, 500, soakSeconds, driftRequests);
        Report report = run(config);
        List<Measurement> table = report.table();
        printTable(table);
        int most = config.clients()[config.clients().length - 1];
        Measurement batched = find(table, true, most);
        Measurement unbatched = find(table, false, most);
        System.out.printf(
                Locale.ROOT,
                "RESULT serving clients=%d p50_ms=%.0f p99_ms=%.0f batched_rps=%.1f unbatched_rps=%.1f speedup=%.2f"
                        + " failed=%d served_acc=%.3f drift_detected_after=%d false_alarms=%d in_distribution=%d"
                        + " source_shift_detected_after=%d source_shift_signals=%s source_false_alarms=%d"
                        + " max_tokens=%d seconds=%.0f%n",
                most,
                batched.p50Millis(),
                batched.p99Millis(),
                batched.requestsPerSecond(),
                unbatched.requestsPerSecond(),
                batched.requestsPerSecond() / unbatched.requestsPerSecond(),
                table.stream().mapToInt(Measurement::failed).sum(),
                batched.accuracy(),
                report.drift().detectedAfter(),
                report.drift().falseAlarms(),
                report.drift().inDistribution(),
                report.sourceDrift().detectedAfter(),
                report.sourceDrift().fired().isEmpty()
                        ? "none"
                        : String.join(",", report.sourceDrift().fired()),
                report.sourceDrift().falseAlarms(),
                config.maxTokens(),
                (System.nanoTime() - start) / 1e9);
        ServingSoak soak = report.soak();
        if (soak != null) {
            System.out.printf(
                    Locale.ROOT,
                    "RESULT serving-soak rps=%.1f seconds=%.0f sent=%d failed=%d p50_ms=%.0f p99_ms=%.0f"
                            + " rss_start_mib=%.0f rss_end_mib=%.0f rss_max_mib=%.0f%n",
                    soak.perSecond(),
                    soak.outcome().seconds(),
                    soak.outcome().answered() + soak.outcome().failed(),
                    soak.outcome().failed(),
                    soak.outcome().percentileMillis(50),
                    soak.outcome().percentileMillis(99),
                    soak.rssMiB().get(0),
                    soak.rssMiB().get(soak.rssMiB().size() - 1),
                    soak.maxRssMiB());
        }
    }

    /** Trains and saves the model, then measures the batched and the unbatched server at every client count. */
    static Report run(Config config) {
        ServingEmails emails = ServingEmails.of(config.perClass());
        LabeledData<String> train = emails.train();
        // requests come from e-mails the model neither trained on nor was profiled on
        LabeledData<String> unseen = emails.unseen();
        Path dir = tempDirectory();
        try (BertEncoder minilm = Bert.allMiniLmL6V2();
                Backbone<String> backbone = minilm.backbone(Pooling.MEAN, config.maxTokens())) {
            TransferLearner<String> learner = learner(backbone);
            if (config.driftWindow() > 0) {
                learner = learner.validationData(emails.profile());
            }
            try (TransferModel<String> model = learner.fit(train)) {
                model.save(dir);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "Trained all-MiniLM-L6-v2 + linear head on %d e-mails (%d tokens each), saved to %s%n",
                train.size(),
                config.maxTokens(),
                dir);
        List<Measurement> table = new ArrayList<>();
        try {
            for (boolean batched : new boolean[] {true, false}) {
                for (int clients : config.clients()) {
                    table.add(measure(dir, batched, clients, config.requests(), LoadClient.texts(unseen)));
                }
            }
            ServingSoak soak = null;
            if (config.soakSeconds() > 0) {
                int most = config.clients()[config.clients().length - 1];
                double capacity = find(table, true, most).requestsPerSecond();
                soak = ServingSoak.run(dir, MODEL, 0.8 * capacity, config.soakSeconds(), unseen);
            }
            if (config.driftWindow() == 0) {
                return new Report(table, null, null, soak);
            }
            int window = config.driftWindow();
            int requests = config.driftRequests() > 0 ? config.driftRequests() : 2 * window;
            ServingDrift drift = drift(dir, window, requests, unseen);
            ServingDrift sourceDrift = ServingDrift.run(
                    dir,
                    MODEL,
                    window,
                    requests,
                    LoadClient.texts(unseen),
                    LoadClient.texts(SotuData.load().shuffled(1)),
                    "State of the Union passages");
            return new Report(table, drift, sourceDrift, soak);
        } finally {
            delete(dir.getParent());
        }
    }

    /**
     * Returns the quick start's recipe on a MiniLM backbone: a linear head on the frozen encoder, 30 epochs at learning
     * rate 0.05, no progress bar.
     */
    static TransferLearner<String> learner(Backbone<String> backbone) {
        return TransferLearner.from(backbone).epochs(30).learningRate(0.05f).progressBar(false);
    }

    /**
     * Serves the profiled model, sends {@code requests} unseen e-mails (taken in turn, so more than there are repeats
     * them) then ham-only e-mails, and counts alerts.
     */
    private static ServingDrift drift(Path dir, int window, int requests, LabeledData<String> unseen) {
        int ham = unseen.classNames().indexOf("ham");
        LabeledData<String> hamOnly = unseen.subset(IntStream.range(0, unseen.size())
                .filter(i -> unseen.label(i) == ham)
                .toArray());
        return ServingDrift.run(
                dir, MODEL, window, requests, LoadClient.texts(unseen), LoadClient.texts(hamOnly), "ham only");
    }

    /** Deletes a temporary model directory's parent and everything in it. */
    static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }

    /**
     * Serves the model in {@code dir} batched (up to 32 inputs, 5 ms wait) or not (one input per pass) and measures
     * {@code requests} closed-loop requests from {@code clients} threads after a warm-up of a tenth as many.
     */
    static Measurement measure(
            Path dir, boolean batched, int clients, int requests, List<LoadClient.Payload> payloads) {
        ModelServer.Builder builder = ModelServer.builder()
                .model(MODEL, dir)
                .port(0)
                .queueCapacity(4 * Math.max(32, clients))
                .requestTimeoutMillis(120_000);
        if (!batched) {
            builder.maxBatch(1).maxWaitMillis(0);
        }
        try (ModelServer server = builder.build().start()) {
            LoadClient client = new LoadClient(URI.create("http://127.0.0.1:" + server.port()), MODEL);
            client.run(clients, Math.max(clients, requests / 10), payloads); // warm-up, not counted
            LoadClient.Outcome outcome = client.run(clients, requests, payloads);
            String metrics = client.get("/metrics");
            double meanBatch = metric(metrics, "tl4j_batch_size_sum") / metric(metrics, "tl4j_batch_size_count");
            Measurement m = new Measurement(
                    batched,
                    clients,
                    requests,
                    outcome.failed(),
                    outcome.answered() / outcome.seconds(),
                    outcome.percentileMillis(50),
                    outcome.percentileMillis(99),
                    meanBatch,
                    outcome.accuracy());
            System.out.printf(
                    Locale.ROOT,
                    "%s, %d clients: %.1f requests/s, p50 %.0f ms, p99 %.0f ms, %d failed%n",
                    batched ? "batched" : "unbatched",
                    clients,
                    m.requestsPerSecond(),
                    m.p50Millis(),
                    m.p99Millis(),
                    m.failed());
            return m;
        }
    }

    /** Prints the measurements as a Markdown table. */
    static void printTable(List<Measurement> table) {
        System.out.println();
        System.out.println("| server | clients | requests | failed | requests/s | p50 ms | p99 ms | mean batch |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Measurement m : table) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %.1f | %.0f | %.0f | %.1f |%n",
                    m.batched() ? "batched" : "unbatched",
                    m.clients(),
                    m.requests(),
                    m.failed(),
                    m.requestsPerSecond(),
                    m.p50Millis(),
                    m.p99Millis(),
                    m.meanBatch());
        }
    }

    static Measurement find(List<Measurement> table, boolean batched, int clients) {
        return table.stream()
                .filter(m -> m.batched() == batched && m.clients() == clients)
                .findFirst()
                .orElseThrow();
    }

    /** Reads one unlabelled sample from Prometheus text, e.g. {@code tl4j_batch_size_sum{model="spam"} 412.0}. */
    static double metric(String prometheus, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*} (\\S+)$").matcher(prometheus);
        if (!m.find()) {
            throw new IllegalStateException(name + " is not in the server's metrics");
        }
        return Double.parseDouble(m.group(1));
    }

    private static Path tempDirectory() {
        try {
            return Files.createTempDirectory("tl4j-serving-quickstart").resolve(MODEL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
