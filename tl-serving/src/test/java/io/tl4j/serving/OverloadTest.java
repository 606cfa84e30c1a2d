package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.body;
import static io.tl4j.serving.ServingFixtures.get;
import static io.tl4j.serving.ServingFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload: requests sent at twice the measured capacity get fast 503s with Retry-After for what the queue cannot
 * hold, the queue never holds more than its capacity, the server keeps answering at its capacity meanwhile, and
 * every request succeeds again once the load drops. Inputs of requests already answered (timed out) are dropped
 * before their forward pass.
 */
class OverloadTest {

    /** Wide enough that one forward pass takes milliseconds, so the HTTP client is not the bottleneck. */
    private static final int[] HIDDEN = {2048, 2048, 2048};

    private static final int QUEUE = 8;
    private static final String PREDICT = "/v1/models/slow:predict";

    @TempDir
    Path dir;

    @Test
    void twiceTheCapacityGetsFast503sBoundedQueueAndFullRecovery() throws Exception {
        Path model = ServingFixtures.saveModel(dir.resolve("slow"), 1, HIDDEN);
        String input = body(ServingFixtures.inputs(1, 9));
        try (ModelServer server = ModelServer.builder()
                .model("slow", model)
                .port(0)
                .maxBatch(1)
                .maxWaitMillis(0)
                .queueCapacity(QUEUE)
                .build()
                .start()) {
            double capacity = capacity(server, input);

            HttpClient client = HttpClient.newHttpClient();
            double rate = 2 * capacity;
            int count = (int) Math.ceil(rate * 3);
            List<CompletableFuture<Answer>> answers = new ArrayList<>(count);
            List<Double> depths = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                answers.add(send(client, server, input));
                if (i % 50 == 0) {
                    depths.add(metric(get(server, "/metrics").body(), "tl4j_queue_depth\\{model=\"slow\"}"));
                }
            }
            List<Answer> done = new ArrayList<>();
            for (CompletableFuture<Answer> answer : answers) {
                done.add(answer.get(60, TimeUnit.SECONDS));
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            List<Answer> ok = done.stream().filter(a -> a.status() == 200).toList();
            List<Answer> refused = done.stream().filter(a -> a.status() == 503).toList();
            String summary = String.format(
                    "capacity %.0f req/s, sent %d at %.0f req/s: %d ok, %d refused, 503 p50 %.1f ms, 200 p50 %.1f ms",
                    capacity, count, rate, ok.size(), refused.size(), p50(refused), p50(ok));
            System.out.println("Overload: " + summary);
            assertThat(ok.size() + refused.size()).as(summary).isEqualTo(count);
            // the excess (half, at twice the capacity) is refused at once and with Retry-After; what was accepted is
            // still answered at a good part of the capacity. The bounds leave room for the shared machine's load,
            // which moved the measured capacity between 85 and 168 requests/s from run to run
            assertThat(refused.size()).as(summary).isGreaterThan(count / 10);
            assertThat(refused).allSatisfy(a -> assertThat(a.retryAfter()).isEqualTo("1"));
            assertThat(p50(refused)).as(summary).isLessThan(p50(ok));
            assertThat(ok.size() / seconds).as(summary).isGreaterThan(capacity / 4);
            assertThat(depths).allSatisfy(depth -> assertThat(depth).isLessThanOrEqualTo(QUEUE));

            // once the load drops, every request is answered
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = post(server, PREDICT, input);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            assertThat(get(server, "/metrics").body()).contains("tl4j_errors_total{kind=\"queue_full\"}");
        }
    }

    @Test
    void inputsOfTimedOutRequestsAreDroppedBeforeTheirForwardPass() throws Exception {
        Path model = ServingFixtures.saveModel(dir.resolve("m"), 1);
        try (ModelServer server = ModelServer.builder()
                .model("slow", model)
                .port(0)
                .maxWaitMillis(400)
                .requestTimeoutMillis(50)
                .build()
                .start()) {
            // a batch closes 400 ms after its first input; the request is answered 504 after 50 ms
            HttpResponse<String> response = post(server, PREDICT, body(ServingFixtures.inputs(3, 1)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
            String metrics = awaitMetric(server, "tl4j_dropped_inputs_total\\{model=\"slow\"}");
            assertThat(metric(metrics, "tl4j_dropped_inputs_total\\{model=\"slow\"}"))
                    .isEqualTo(3);
            assertThat(metrics).doesNotContain("tl4j_batch_size_count");
        }
    }

    /** A status code, its latency and its Retry-After header. */
    private record Answer(int status, double millis, String retryAfter) {}

    private static CompletableFuture<Answer> send(HttpClient client, ModelServer server, String input) {
        long sent = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + PREDICT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(input))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(
                        r.statusCode(),
                        (System.nanoTime() - sent) / 1e6,
                        r.headers().firstValue("Retry-After").orElse(null)));
    }

    /** Measures answered requests per second with 4 closed-loop clients over about two seconds. */
    private static double capacity(ModelServer server, String input) throws Exception {
        for (int i = 0; i < 10; i++) {
            post(server, PREDICT, input); // warm-up
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long end = start + 2_000_000_000L;
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                clients.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        statuses.add(post(server, PREDICT, input).statusCode());
                    }
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).as("4 clients never overflow a queue of " + QUEUE).containsOnly(200);
        return statuses.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double p50(List<Answer> answers) {
        double[] millis = answers.stream().mapToDouble(Answer::millis).sorted().toArray();
        return millis.length == 0 ? Double.NaN : millis[millis.length / 2];
    }

    /** Waits up to 10 s for a metric to appear and returns the scrape holding it. */
    private static String awaitMetric(ModelServer server, String name) throws InterruptedException {
        Pattern pattern = Pattern.compile("(?m)^" + name + " ");
        String scrape = get(server, "/metrics").body();
        for (int i = 0; i < 100 && !pattern.matcher(scrape).find(); i++) {
            Thread.sleep(100);
            scrape = get(server, "/metrics").body();
        }
        return scrape;
    }

    private static double metric(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
