package io.tl4j.examples;

import com.google.gson.Gson;
import io.tl4j.core.data.LabeledData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An HTTP load client for a {@link io.tl4j.serving.ModelServer} on loopback, with {@code java.net.http}: closed-loop
 * ({@link #run}: each of {@code clients} threads sends one single-input predict request after the other) or open-loop
 * ({@link #paced}: requests sent at a fixed rate whatever the answers, the process's RSS sampled meanwhile). Requests
 * are prepared {@link Payload}s: JSON texts ({@link #texts}) or WAV files as multipart uploads ({@link #wavFolder}).
 * The client records every latency, failures and whether the top label was the input's class.
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

    /**
     * One prepared request body and the true class of its input.
     *
     * @param contentType the body's Content-Type
     * @param body the bytes to post
     * @param label the input's true class
     */
    record Payload(String contentType, byte[] body, String label) {}

    /**
     * Requests sent at a fixed rate and the process's resident memory sampled every {@code sampleSeconds}.
     *
     * @param outcome latencies, failures and correct answers
     * @param rssMiB resident set size in MiB at each sample, the first before the first request
     */
    record Paced(Outcome outcome, List<Double> rssMiB) {}

    /** Returns one JSON body {@code {"inputs": [text]}} per text. */
    static List<Payload> texts(LabeledData<String> texts) {
        List<Payload> payloads = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String body = "{\"inputs\":[" + GSON.toJson(texts.input(i)) + "]}";
            payloads.add(new Payload(
                    "application/json",
                    body.getBytes(StandardCharsets.UTF_8),
                    texts.classNames().get(texts.label(i))));
        }
        return payloads;
    }

    /**
     * Returns one multipart/form-data body per WAV file of an audio folder ({@code <class>/*.wav}), in the order
     * of the class folders' and files' names, each file in a form field {@code clip}.
     */
    static List<Payload> wavFolder(Path folder) {
        List<Path> wavs = new ArrayList<>();
        try (Stream<Path> classes = Files.list(folder)) {
            for (Path dir : classes.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.toString().endsWith(".wav")).sorted().forEach(wavs::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the audio folder " + folder, e);
        }
        return wavFiles(wavs);
    }

    /** Returns one multipart/form-data body per WAV file, in order, each labelled by its folder's name. */
    static List<Payload> wavFiles(List<Path> wavs) {
        List<Payload> payloads = new ArrayList<>();
        for (Path wav : wavs) {
            try {
                payloads.add(multipart(
                        Files.readAllBytes(wav), wav.getParent().getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + wav, e);
            }
        }
        return payloads;
    }

    private static Payload multipart(byte[] wav, String label) {
        String boundary = "tl4j-load-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"clip\"; filename=\"clip.wav\""
                        + "\r\nContent-Type: audio/wav\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(wav);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Payload("multipart/form-data; boundary=" + boundary, body.toByteArray(), label);
    }

    /** Sends {@code requests} single-text requests from {@code clients} threads, texts taken in turn. */
    Outcome run(int clients, int requests, LabeledData<String> texts) {
        return run(clients, requests, texts(texts));
    }

    /** Sends {@code requests} requests from {@code clients} threads, payloads taken in turn. */
    Outcome run(int clients, int requests, List<Payload> payloads) {
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
                        Payload payload = payloads.get(i % payloads.size());
                        long sent = System.nanoTime();
                        HttpResponse<String> response = post(payload);
                        if (response == null || response.statusCode() != 200) {
                            failed.incrementAndGet();
                            continue;
                        }
                        latencies.add(System.nanoTime() - sent);
                        if (isCorrect(response, payload)) {
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

    /**
     * Sends {@code perSecond} requests a second for {@code seconds}, payloads taken in turn, each when its time comes
     * whether or not earlier ones were answered, and samples this process's RSS every {@code sampleSeconds}.
     */
    Paced paced(double perSecond, double seconds, List<Payload> payloads, double sampleSeconds) {
        int count = (int) Math.round(perSecond * seconds);
        List<Double> rss = new ArrayList<>();
        rss.add(ProcessMemory.residentMib());
        List<CompletableFuture<Long>> answers = new ArrayList<>(count);
        AtomicInteger correct = new AtomicInteger();
        long start = System.nanoTime();
        long nextSample = start + (long) (sampleSeconds * 1e9);
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            sleepUntil(due);
            if (System.nanoTime() >= nextSample) {
                rss.add(ProcessMemory.residentMib());
                nextSample += (long) (sampleSeconds * 1e9);
            }
            Payload payload = payloads.get(i % payloads.size());
            long sent = System.nanoTime();
            answers.add(http.sendAsync(request(payload), HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        if (failure != null || response.statusCode() != 200) {
                            return -1L;
                        }
                        if (isCorrect(response, payload)) {
                            correct.incrementAndGet();
                        }
                        return System.nanoTime() - sent;
                    }));
        }
        long[] latencies = answers.stream().mapToLong(CompletableFuture::join).toArray();
        double wall = (System.nanoTime() - start) / 1e9;
        rss.add(ProcessMemory.residentMib());
        long[] answered = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        return new Paced(new Outcome(answered, count - answered.length, wall, correct.get()), rss);
    }

    private static void sleepUntil(long due) {
        long left = due - System.nanoTime();
        if (left > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while pacing requests", e);
            }
        }
    }

    private static boolean isCorrect(HttpResponse<String> response, Payload payload) {
        Matcher top = TOP_LABEL.matcher(response.body());
        return top.find() && top.group(1).equals(payload.label());
    }

    private HttpRequest request(Payload payload) {
        return HttpRequest.newBuilder(base.resolve("/v1/models/" + model + ":predict"))
                .header("Content-Type", payload.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()))
                .build();
    }

    /** Posts one payload; null when the connection failed. */
    private HttpResponse<String> post(Payload payload) {
        try {
            return http.send(request(payload), HttpResponse.BodyHandlers.ofString());
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
