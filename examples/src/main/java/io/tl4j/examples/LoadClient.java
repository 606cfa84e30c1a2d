package io.tl4j.examples;

import com.google.gson.Gson;
import io.tl4j.core.data.LabeledData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop HTTP load client for a {@link io.tl4j.serving.ModelServer} on loopback: each of {@code clients}
 * threads sends one single-text predict request after the other, with {@code java.net.http}, and the client records
 * every latency, failures and whether the top label was the text's class.
 */
final class LoadClient {

    private static final Gson GSON = new Gson();
    private static final Pattern TOP_LABEL = Pattern.compile("\"predictions\":\\[\\[\\{\"label\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().build();
    private final URI base;
    private final String model;

    LoadClient(URI base, String model) {
        this.base = base;
        this.model = model;
    }

    /**
     * Latencies of the answered requests, failures, wall time and how many top labels were right.
     *
     * @param latencyNanos latency of each answered request, sorted
     * @param failed requests not answered 200
     * @param seconds wall time of the run
     * @param correct answers whose top label is the text's true class
     */
    record Outcome(long[] latencyNanos, int failed, double seconds, int correct) {

        int answered() {
            return latencyNanos.length;
        }

        double percentileMillis(double percent) {
            if (latencyNanos.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(percent / 100 * latencyNanos.length) - 1;
            return latencyNanos[Math.max(0, rank)] / 1e6;
        }

        double accuracy() {
            return latencyNanos.length == 0 ? Double.NaN : (double) correct / latencyNanos.length;
        }
    }

    /** Sends {@code requests} single-text requests from {@code clients} threads, texts taken in turn. */
    Outcome run(int clients, int requests, LabeledData<String> texts) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger correct = new AtomicInteger();
        List<long[]> perClient = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        int index = i % texts.size();
                        long sent = System.nanoTime();
                        HttpResponse<String> response = post(texts.input(index));
                        if (response == null || response.statusCode() != 200) {
                            failed.incrementAndGet();
                            continue;
                        }
                        latencies.add(System.nanoTime() - sent);
                        Matcher top = TOP_LABEL.matcher(response.body());
                        if (top.find() && top.group(1).equals(texts.classNames().get(texts.label(index)))) {
                            correct.incrementAndGet();
                        }
                    }
                    return latencies.stream().mapToLong(Long::longValue).toArray();
                }));
            }
            for (Future<long[]> future : futures) {
                perClient.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while measuring", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A client failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Outcome(all, failed.get(), seconds, correct.get());
    }

    /** Posts one text; null when the connection failed. */
    private HttpResponse<String> post(String text) {
        String body = "{\"inputs\":[" + GSON.toJson(text) + "]}";
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/models/" + model + ":predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Gets a path of the server as text. */
    String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
