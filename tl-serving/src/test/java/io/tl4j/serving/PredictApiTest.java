package io.tl4j.serving;

import static io.tl4j.serving.ServingFixtures.assertError;
import static io.tl4j.serving.ServingFixtures.body;
import static io.tl4j.serving.ServingFixtures.get;
import static io.tl4j.serving.ServingFixtures.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.TransferModel;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictions, listings, health, OpenAPI and error answers of one running server. */
class PredictApiTest {

    @TempDir
    static Path dir;

    private static ModelServer server;
    private static float[][] expected;
    private static final float[][] INPUTS = ServingFixtures.inputs(3, 7);

    @BeforeAll
    static void start() {
        Path model = ServingFixtures.saveModel(dir.resolve("spam"), 1);
        try (TransferModel<float[]> loaded = TransferModel.load(model)) {
            expected = loaded.probabilities(Arrays.asList(INPUTS));
        }
        server = ModelServer.builder()
                .model("spam", model)
                .port(0)
                .maxRequestBytes(4096)
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void predictAnswersRankedLabelsWithTheModelsProbabilitiesAndVersion() {
        HttpResponse<String> response = post(server, "/v1/models/spam:predict", body(INPUTS));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject json = JsonParser.parseString(response.body()).getAsJsonObject();
        assertThat(json.get("version").getAsString()).isEqualTo("1");
        JsonArray predictions = json.getAsJsonArray("predictions");
        assertThat(predictions).hasSize(3);
        List<String> classes = List.of("ham", "spam", "eggs");
        for (int i = 0; i < 3; i++) {
            JsonArray labels = predictions.get(i).getAsJsonArray();
            float previous = Float.MAX_VALUE;
            for (int r = 0; r < 3; r++) {
                JsonObject label = labels.get(r).getAsJsonObject();
                float p = label.get("probability").getAsFloat();
                assertThat(p).isLessThanOrEqualTo(previous);
                previous = p;
                int c = classes.indexOf(label.get("label").getAsString());
                assertThat(p).isCloseTo(expected[i][c], within(1e-6f));
            }
        }
    }

    @Test
    void badRequestsGetJsonErrorsNamingTheField() {
        assertError(post(server, "/v1/models/spam:predict", "{not json"), 400, null);
        assertError(post(server, "/v1/models/spam:predict", "{\"inputs\":[]}"), 400, "inputs");
        assertError(post(server, "/v1/models/spam:predict", "{\"inputs\":[[1,\"x\"]]}"), 400, "inputs[0][1]");
        assertError(post(server, "/v1/models/spam:predict", "{\"inputs\":[[1,2],{}]}"), 400, "inputs[1]");
        // a string for a float-array model, and an array of the wrong width: the model refuses, the field is named
        assertError(post(server, "/v1/models/spam:predict", "{\"inputs\":[\"hello\"]}"), 400, "inputs[0]");
        assertError(post(server, "/v1/models/spam:predict", "{\"inputs\":[[1,2,3]]}"), 400, "inputs[0]");
        assertError(post(server, "/v1/models/nope:predict", body(INPUTS)), 404, "name");
        assertError(get(server, "/v1/models/nope"), 404, "name");
        assertError(post(server, "/v1/models/spam:explode", body(INPUTS)), 404, "action");
        assertError(post(server, "/v1/models/spam:rollback", ""), 409, "name");
        float[][] many = ServingFixtures.inputs(200, 1);
        assertError(post(server, "/v1/models/spam:predict", body(many)), 413, null);
        // the server still answers after all of that
        assertThat(post(server, "/v1/models/spam:predict", body(INPUTS)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void featureVectorsOfTheWrongLengthOrNotFiniteAreRefusedBeforeAnyForwardPass() {
        String batches = "tl4j_batch_size_count\\{model=\"spam\"}";
        post(server, "/v1/models/spam:predict", body(INPUTS[0]));
        double passes = metric(get(server, "/metrics").body(), batches);
        String eight = "[0,0,0,0,0,0,0,0]";

        HttpResponse<String> shortOne = post(server, "/v1/models/spam:predict", "{\"inputs\":[" + eight + ",[1,2,3]]}");
        assertError(shortOne, 400, "inputs[1]");
        assertThat(shortOne.body())
                .contains("inputs[1] has 3 numbers; model 'spam' takes arrays of 8 numbers (sample shape (8))");
        HttpResponse<String> text = post(server, "/v1/models/spam:predict", "{\"inputs\":[" + eight + ",\"hi\"]}");
        assertError(text, 400, "inputs[1]");
        assertThat(text.body()).contains("inputs[1] is text; model 'spam' takes arrays of 8 numbers");
        HttpResponse<String> nan = post(server, "/v1/models/spam:predict", "{\"inputs\":[[0,0,NaN,0,0,0,0,0]]}");
        assertError(nan, 400, "inputs[0][2]");
        assertThat(nan.body()).contains("not a number");
        HttpResponse<String> huge = post(server, "/v1/models/spam:predict", "{\"inputs\":[[0,0,0,0,0,0,0,1e39]]}");
        assertError(huge, 400, "inputs[0][7]");
        assertThat(huge.body()).contains("not a finite float");
        // refused while parsing: no forward pass was spent on them, the good first inputs included
        assertThat(metric(get(server, "/metrics").body(), batches)).isEqualTo(passes);
    }

    @Test
    void listsAndDescribesModelsAndAnswersHealth() {
        JsonObject list =
                JsonParser.parseString(get(server, "/v1/models").body()).getAsJsonObject();
        JsonObject model = list.getAsJsonArray("models").get(0).getAsJsonObject();
        assertThat(model.get("name").getAsString()).isEqualTo("spam");
        assertThat(model.getAsJsonArray("classes").toString()).isEqualTo("[\"ham\",\"spam\",\"eggs\"]");
        assertThat(model.has("provenance")).isTrue();
        assertThat(model.has("history")).isTrue();
        assertThat(get(server, "/v1/models/spam").body()).isEqualTo(model.toString());
        assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(server, "/health/ready").body()).contains("ready");
    }

    @Test
    void everyOpenApiPathIsARouteAndEveryRouteIsDocumented() {
        JsonObject paths = JsonParser.parseString(get(server, "/openapi.json").body())
                .getAsJsonObject()
                .getAsJsonObject("paths");
        List<String> documented = new ArrayList<>();
        for (String path : paths.keySet()) {
            for (String method : paths.getAsJsonObject(path).keySet()) {
                documented.add(method.toUpperCase() + " " + path);
                String concrete = path.replace("{name}", "spam");
                HttpResponse<String> response = method.equals("get")
                        ? get(server, concrete)
                        : post(server, concrete, path.endsWith(":feedback") ? feedbackBody() : body(INPUTS));
                assertThat(response.statusCode()).as(method + " " + path).isIn(200, 409);
            }
        }
        assertThat(documented)
                .containsExactlyInAnyOrder(
                        "POST /v1/models/{name}:predict",
                        "POST /v1/models/{name}:rollback",
                        "POST /v1/models/{name}:feedback",
                        "GET /v1/models",
                        "GET /v1/models/{name}",
                        "GET /health/live",
                        "GET /health/ready",
                        "GET /metrics",
                        "GET /openapi.json");
    }

    /** Predicts one input and returns a body reporting its true label. */
    private static String feedbackBody() {
        String id = JsonParser.parseString(
                        post(server, "/v1/models/spam:predict", body(INPUTS[0])).body())
                .getAsJsonObject()
                .getAsJsonArray("ids")
                .get(0)
                .getAsString();
        return "{\"feedback\":[{\"id\":\"" + id + "\",\"label\":\"eggs\"}]}";
    }

    private static double metric(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
