package io.tl4j.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.LinearHeads;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Small float-array models saved to disk, an HTTP client and answer checks for the server tests. */
final class ServingFixtures {

    static final int INPUT = 8;
    static final int FEATURES = 6;

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private ServingFixtures() {}

    /** Saves a 3-class model (a seed-0 MLP backbone and a linear head whose weights come from {@code seed}). */
    static Path saveModel(Path dir, long seed) {
        return saveModel(dir, seed, FEATURES);
    }

    /**
     * Saves a 3-class model over {@link #INPUT} numbers whose MLP backbone has the given widths (wide ones make a
     * forward pass slow enough to overload), with a linear head whose weights come from {@code seed}.
     */
    static Path saveModel(Path dir, long seed, int... hidden) {
        Random random = new Random(seed);
        int features = hidden[hidden.length - 1];
        float[][] weights = new float[3][features];
        for (float[] row : weights) {
            for (int f = 0; f < features; f++) {
                row[f] = (float) random.nextGaussian() * 3;
            }
        }
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                        .setArchitecture(Architectures.mlp(hidden))
                        .setPipeline(TensorPipeline.of(new Shape(INPUT)))
                        .build();
                TransferModel<float[]> model =
                        LinearHeads.of(backbone, List.of("ham", "spam", "eggs"), weights, new float[3])) {
            model.save(dir);
        }
        return dir;
    }

    /** Returns {@code count} seeded inputs of the models' width. */
    static float[][] inputs(int count, long seed) {
        Random random = new Random(seed);
        float[][] inputs = new float[count][INPUT];
        for (float[] input : inputs) {
            for (int i = 0; i < INPUT; i++) {
                input[i] = (float) random.nextGaussian();
            }
        }
        return inputs;
    }

    /**
     * Reads one model's gauge from the server's Prometheus text.
     *
     * @param server the server
     * @param model the served name, the gauge's {@code model} tag
     * @param name the gauge, e.g. {@code tl4j_drift_feature_shift}
     * @return its value; fails the test when the gauge is missing
     */
    static double gauge(ModelServer server, String model, String name) {
        String text = get(server, "/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{model=\"" + model + "\"[^}]*\\} (\\S+)$")
                .matcher(text);
        if (!m.find()) {
            throw new AssertionError(name + " for model " + model + " is not in /metrics:\n" + text);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Returns the JSON body {@code {"inputs": [...]}} for float-array inputs. */
    static String body(float[]... inputs) {
        StringBuilder json = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < inputs.length; i++) {
            json.append(i == 0 ? "" : ",").append(java.util.Arrays.toString(inputs[i]));
        }
        return json.append("]}").toString();
    }

    static HttpResponse<String> get(ModelServer server, String path) {
        return get(server.port(), path);
    }

    static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET()
                .build());
    }

    static HttpResponse<String> post(ModelServer server, String path, String body) {
        return send(HttpRequest.newBuilder(uri(server, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** One file of a multipart request: its form field, file name and bytes. */
    record Part(String field, String filename, byte[] content) {}

    /** Posts the files as multipart/form-data. */
    static HttpResponse<String> postFiles(ModelServer server, String path, Part... parts) {
        return postFiles(server, path, false, parts);
    }

    /** Posts the files as multipart/form-data; {@code chunked} sends no Content-Length. */
    static HttpResponse<String> postFiles(ModelServer server, String path, boolean chunked, Part... parts) {
        String boundary = "tl4j-test-boundary-7f3a";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (Part part : parts) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.field()
                    + "\"; filename=\"" + part.filename() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
            body.writeBytes(head.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(part.content());
            body.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // a chunked body refused before its end closes the connection: send it on a client of its own
        HttpClient client = chunked ? HttpClient.newHttpClient() : CLIENT;
        return send(
                client,
                HttpRequest.newBuilder(uri(server, path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(
                                chunked
                                        ? HttpRequest.BodyPublishers.ofInputStream(
                                                () -> new java.io.ByteArrayInputStream(body.toByteArray()))
                                        : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build());
    }

    private static URI uri(ModelServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        return send(CLIENT, request);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asserts an error answer: its status, a non-blank message and the field at fault ({@code null}: no field, or a
     * JSON null).
     */
    static void assertError(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject json = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(json.get("error").getAsString()).isNotBlank();
        if (field == null) {
            assertThat(json.has("field") && !json.get("field").isJsonNull())
                    .as(response.body())
                    .isFalse();
        } else {
            assertThat(json.get("field").getAsString()).as(response.body()).isEqualTo(field);
        }
    }

    /** Asserts that a predict answer gives, per input, every class with the expected probability within 1e-5. */
    static void assertProbabilities(HttpResponse<String> response, float[][] expected, List<String> classes) {
        JsonArray predictions =
                JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("predictions");
        assertThat(predictions).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(predictions.get(i).getAsJsonArray()).hasSize(classes.size());
            for (var element : predictions.get(i).getAsJsonArray()) {
                JsonObject label = element.getAsJsonObject();
                int c = classes.indexOf(label.get("label").getAsString());
                assertThat(label.get("probability").getAsFloat())
                        .as("input %d, class %s", i, classes.get(c))
                        .isCloseTo(expected[i][c], within(1e-5f));
            }
        }
    }

    /** Counts the files left in a server's upload directory. */
    static long uploadsLeft(ModelServer server) {
        try (Stream<Path> files = Files.list(server.uploadDirectory())) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
