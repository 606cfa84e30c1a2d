package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.body;
import static io.tl4j.serving.ServingFixtures.get;
import static io.tl4j.serving.ServingFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.TransferModel;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic batching, metrics, reloads under traffic, rollback, refused model files and graceful shutdown. */
class BatchingAndReloadTest {

    private static final float[][] INPUTS = ServingFixtures.inputs(16, 3);

    @TempDir
    Path dir;

    @Test
    void concurrentRequestsShareForwardPassesAndGetTheSingleRequestAnswers() throws Exception {
        Path model = ServingFixtures.saveModel(dir.resolve("m"), 1);
        float[][] expected = probabilities(model);
        try (ModelServer server = ModelServer.builder()
                        .model("spam", model)
                        .port(0)
                        .maxWaitMillis(200)
                        .build()
                        .start();
                Pool pool = new Pool(Executors.newFixedThreadPool(INPUTS.length))) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (float[] input : INPUTS) {
                answers.add(pool.service().submit(() -> post(server, "/v1/models/spam:predict", body(input))));
            }
            for (int i = 0; i < INPUTS.length; i++) {
                HttpResponse<String> response = answers.get(i).get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(topProbability(response)).isCloseTo(max(expected[i]), within(1e-6f));
            }
            String scrape = get(server, "/metrics").body();
            assertThat(metric(scrape, "tl4j_batch_size_max\\{model=\"spam\"}")).isGreaterThan(1);
            assertThat(scrape)
                    .contains("tl4j_predict_latency_seconds_bucket{model=\"spam\",version=\"1\"")
                    .contains("tl4j_queue_depth{model=\"spam\"}")
                    .contains("tl4j_predictions_total{class=")
                    .contains("tl4j_confidence_bucket{model=\"spam\"");
            post(server, "/v1/models/nope:predict", body(INPUTS[0]));
            assertThat(get(server, "/metrics").body()).contains("tl4j_errors_total{kind=\"unknown_model\"} 1.0");
        }
    }

    @Test
    void reloadUnderTrafficFailsNothingAndSwitchesVersionsAndRollbackServesTheOldModel() throws Exception {
        Path first = ServingFixtures.saveModel(dir.resolve("v1"), 1);
        Path second = ServingFixtures.saveModel(dir.resolve("v2"), 2);
        float[] firstAnswer = probabilities(first)[0];
        float[] secondAnswer = probabilities(second)[0];
        try (ModelServer server = ModelServer.builder()
                        .model("spam", first)
                        .port(0)
                        .build()
                        .start();
                Pool pool = new Pool(Executors.newFixedThreadPool(4))) {
            AtomicBoolean running = new AtomicBoolean(true);
            Set<String> versions = ConcurrentHashMap.newKeySet();
            List<Future<Integer>> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                clients.add(pool.service().submit(() -> {
                    int failures = 0;
                    while (running.get()) {
                        HttpResponse<String> response = post(server, "/v1/models/spam:predict", body(INPUTS[0]));
                        if (response.statusCode() == 200) {
                            versions.add(version(response));
                        } else {
                            failures++;
                        }
                    }
                    return failures;
                }));
            }
            awaitVersion(versions, "1");
            server.reload("spam", second);
            awaitVersion(versions, "2");
            running.set(false);
            for (Future<Integer> client : clients) {
                assertThat(client.get()).isZero();
            }
            assertThat(versions).containsExactlyInAnyOrder("1", "2");
            HttpResponse<String> now = post(server, "/v1/models/spam:predict", body(INPUTS[0]));
            assertThat(version(now)).isEqualTo("2");
            assertThat(topProbability(now)).isCloseTo(max(secondAnswer), within(1e-6f));

            assertThat(post(server, "/v1/models/spam:rollback", "").statusCode())
                    .isEqualTo(200);
            HttpResponse<String> rolledBack = post(server, "/v1/models/spam:predict", body(INPUTS[0]));
            assertThat(version(rolledBack)).isEqualTo("3");
            assertThat(topProbability(rolledBack)).isCloseTo(max(firstAnswer), within(1e-6f));
        }
    }

    @Test
    void aModelFileNamingAnUnregisteredComponentIsRefusedAtStartAndOnReload() throws IOException {
        Path good = ServingFixtures.saveModel(dir.resolve("good"), 1);
        Path bad = ServingFixtures.saveModel(dir.resolve("bad"), 2);
        Path descriptor = bad.resolve("model.json");
        JsonObject json = JsonParser.parseString(Files.readString(descriptor)).getAsJsonObject();
        json.addProperty("architecture", "evil.payload");
        Files.writeString(descriptor, json.toString());

        assertThatThrownBy(() -> ModelServer.builder().model("spam", bad).build())
                .hasMessageContaining("\"evil.payload\", which is not registered");
        try (ModelServer server =
                ModelServer.builder().model("spam", good).port(0).build().start()) {
            assertThatThrownBy(() -> server.reload("spam", bad)).hasMessageContaining("not registered");
            HttpResponse<String> still = post(server, "/v1/models/spam:predict", body(INPUTS[0]));
            assertThat(still.statusCode()).isEqualTo(200);
            assertThat(version(still)).isEqualTo("1");
        }
    }

    @Test
    void closeAnswersTheQueuedRequestsBeforeStopping() throws Exception {
        Path model = ServingFixtures.saveModel(dir.resolve("m"), 1);
        ModelServer server = ModelServer.builder()
                .model("spam", model)
                .port(0)
                .maxWaitMillis(500)
                .build()
                .start();
        int port;
        try (Pool pool = new Pool(Executors.newFixedThreadPool(4))) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                float[] input = INPUTS[i];
                answers.add(pool.service().submit(() -> post(server, "/v1/models/spam:predict", body(input))));
            }
            Thread.sleep(200);
            port = server.port();
            server.close();
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(200);
            }
        }
        // stopped: the port no longer accepts connections
        assertThatThrownBy(() -> get(port, "/health/live")).isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void aFullQueueIsAnswered503WithRetryAfter() {
        Path model = ServingFixtures.saveModel(dir.resolve("m"), 1);
        try (ModelServer server = ModelServer.builder()
                .model("spam", model)
                .port(0)
                .maxBatch(1)
                .queueCapacity(2)
                .build()
                .start()) {
            // 1,000 inputs are queued in one tight loop; one forward pass at a time cannot keep 2 places free
            HttpResponse<String> response =
                    post(server, "/v1/models/spam:predict", body(ServingFixtures.inputs(1000, 5)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(response.body()).contains("The queue of model 'spam' is full");
            assertThat(get(server, "/metrics").body()).contains("tl4j_errors_total{kind=\"queue_full\"}");
        }
    }

    /** An executor that try-with-resources shuts down (Java 17's ExecutorService is not AutoCloseable). */
    private record Pool(ExecutorService service) implements AutoCloseable {
        @Override
        public void close() {
            service.shutdownNow();
        }
    }

    /** Waits until a client has seen {@code version}, up to 30 s, so the test does not depend on the CPU's speed. */
    private static void awaitVersion(Set<String> versions, String version) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!versions.contains(version) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static float[][] probabilities(Path model) {
        try (TransferModel<float[]> loaded = TransferModel.load(model)) {
            return loaded.probabilities(Arrays.asList(INPUTS));
        }
    }

    private static String version(HttpResponse<String> response) {
        return JsonParser.parseString(response.body())
                .getAsJsonObject()
                .get("version")
                .getAsString();
    }

    private static float topProbability(HttpResponse<String> response) {
        return JsonParser.parseString(response.body())
                .getAsJsonObject()
                .getAsJsonArray("predictions")
                .get(0)
                .getAsJsonArray()
                .get(0)
                .getAsJsonObject()
                .get("probability")
                .getAsFloat();
    }

    private static float max(float[] values) {
        float best = values[0];
        for (float v : values) {
            best = Math.max(best, v);
        }
        return best;
    }

    private static double metric(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
