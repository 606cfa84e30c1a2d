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
import io.tl4j.core.metrics.ClassificationReport;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code :feedback} takes true labels for earlier predictions by the ids {@code :predict} returned; rolling accuracy
 * and macro-F1 over the latest feedbacks per version appear in {@code GET /v1/models/{name}} and {@code /metrics}.
 */
class FeedbackTest {

    private static final List<String> CLASSES = List.of("ham", "spam", "eggs");

    @TempDir
    Path dir;

    @Test
    void feedbackFeedsRollingAccuracyAndMacroF1PerVersion() {
        try (ModelServer server = ModelServer.builder()
                .model("m", ServingFixtures.saveModel(dir.resolve("v1"), 1))
                .port(0)
                .feedbackWindow(4)
                .build()
                .start()) {
            Predicted first = predict(server, ServingFixtures.inputs(6, 11));
            // ids 0 and 1 get a wrong label, 2 and 3 the predicted one: accuracy 0.5 over the window of 4
            int[] truth = {wrong(first.top(0)), wrong(first.top(1)), first.top(2), first.top(3)};
            JsonObject answer = feedback(server, first, 0, truth);
            assertThat(answer.get("accepted").getAsInt()).isEqualTo(4);
            JsonObject v1 = answer.getAsJsonArray("feedback").get(0).getAsJsonObject();
            assertThat(v1.get("version").getAsString()).isEqualTo("1");
            assertThat(v1.get("accuracy").getAsDouble()).isEqualTo(0.5);
            int[] predicted = {first.top(0), first.top(1), first.top(2), first.top(3)};
            assertThat(v1.get("macroF1").getAsDouble())
                    .isCloseTo(
                            ClassificationReport.of(truth, predicted, CLASSES).macroF1(), within(1e-12));
            assertThat(metric(server, "tl4j_feedback_accuracy", "1")).isEqualTo(0.5);

            // two more correct labels push the two wrong ones out of the window
            feedback(server, first, 4, new int[] {first.top(4), first.top(5)});
            JsonObject described =
                    describe(server).getAsJsonArray("feedback").get(0).getAsJsonObject();
            assertThat(described.get("count").getAsInt()).isEqualTo(4);
            assertThat(described.get("total").getAsInt()).isEqualTo(6);
            assertThat(described.get("accuracy").getAsDouble()).isEqualTo(1.0);
            assertThat(metric(server, "tl4j_feedback_accuracy", "1")).isEqualTo(1.0);
            assertThat(metric(server, "tl4j_feedback_macro_f1", "1")).isGreaterThan(0);
            assertThat(metric(server, "tl4j_feedback_count", "1")).isEqualTo(4);

            // a prediction of version 1 answered after the reload still counts toward version 1
            Predicted before = predict(server, ServingFixtures.inputs(1, 12));
            server.reload("m", ServingFixtures.saveModel(dir.resolve("v2"), 2));
            Predicted after = predict(server, ServingFixtures.inputs(1, 13));
            assertThat(after.version()).isEqualTo("2");
            feedback(server, before, 0, new int[] {wrong(before.top(0))});
            feedback(server, after, 0, new int[] {after.top(0)});
            JsonArray versions = describe(server).getAsJsonArray("feedback");
            assertThat(versions).hasSize(2);
            assertThat(versions.get(0).getAsJsonObject().get("accuracy").getAsDouble())
                    .isEqualTo(0.75);
            assertThat(versions.get(1).getAsJsonObject().get("version").getAsString())
                    .isEqualTo("2");
            assertThat(metric(server, "tl4j_feedback_accuracy", "2")).isEqualTo(1.0);
        }
    }

    @Test
    void badFeedbackIsRefusedNamingTheFieldAndCountsNothing() {
        try (ModelServer server = ModelServer.builder()
                .model("m", ServingFixtures.saveModel(dir.resolve("m"), 1))
                .port(0)
                .predictionMemory(3)
                .build()
                .start()) {
            Predicted p = predict(server, ServingFixtures.inputs(2, 21));
            String ok = entry(p.id(0), "spam");
            HttpResponse<String> unknownLabel = post(
                    server, "/v1/models/m:feedback", "{\"feedback\":[" + ok + "," + entry(p.id(1), "bacon") + "]}");
            assertError(unknownLabel, 400, "feedback[1].label");
            assertThat(unknownLabel.body()).contains("bacon").contains("[ham, spam, eggs]");
            assertThat(describe(server).getAsJsonArray("feedback"))
                    .as("nothing counted")
                    .isEmpty();

            assertThat(post(server, "/v1/models/m:feedback", "{\"feedback\":[" + ok + "]}")
                            .statusCode())
                    .isEqualTo(200);
            assertError(post(server, "/v1/models/m:feedback", "{\"feedback\":[" + ok + "]}"), 400, "feedback[0].id");
            assertError(
                    post(server, "/v1/models/m:feedback", "{\"feedback\":[" + entry("no-such-id", "ham") + "]}"),
                    400,
                    "feedback[0].id");
            assertError(post(server, "/v1/models/m:feedback", "{\"feedback\":[{\"id\":3}]}"), 400, "feedback[0].id");
            assertError(post(server, "/v1/models/m:feedback", "{\"feedback\":[7]}"), 400, "feedback[0]");
            assertError(post(server, "/v1/models/m:feedback", "{\"feedback\":[]}"), 400, "feedback");
            assertError(post(server, "/v1/models/m:feedback", "{nope"), 400, null);
            assertError(post(server, "/v1/models/x:feedback", "{\"feedback\":[" + ok + "]}"), 404, "name");

            // only the latest 3 predictions are remembered: p's second id is forgotten after 3 more
            predict(server, ServingFixtures.inputs(3, 22));
            assertError(
                    post(server, "/v1/models/m:feedback", "{\"feedback\":[" + entry(p.id(1), "ham") + "]}"),
                    400,
                    "feedback[0].id");
        }
    }

    /** The answer to one predict request: its version, ids and top classes. */
    private record Predicted(String version, List<String> ids, List<Integer> tops) {
        String id(int i) {
            return ids.get(i);
        }

        int top(int i) {
            return tops.get(i);
        }
    }

    private static Predicted predict(ModelServer server, float[][] inputs) {
        HttpResponse<String> response = post(server, "/v1/models/m:predict", body(inputs));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject json = JsonParser.parseString(response.body()).getAsJsonObject();
        List<String> ids = new ArrayList<>();
        json.getAsJsonArray("ids").forEach(id -> ids.add(id.getAsString()));
        List<Integer> tops = new ArrayList<>();
        json.getAsJsonArray("predictions")
                .forEach(p -> tops.add(CLASSES.indexOf(
                        p.getAsJsonArray().get(0).getAsJsonObject().get("label").getAsString())));
        assertThat(ids).hasSize(inputs.length).doesNotHaveDuplicates();
        return new Predicted(json.get("version").getAsString(), ids, tops);
    }

    /** Reports {@code labels} for the predictions {@code from, from + 1, ...} of {@code p}. */
    private static JsonObject feedback(ModelServer server, Predicted p, int from, int[] labels) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            entries.add(entry(p.id(from + i), CLASSES.get(labels[i])));
        }
        HttpResponse<String> response =
                post(server, "/v1/models/m:feedback", "{\"feedback\":[" + String.join(",", entries) + "]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static String entry(String id, String label) {
        return "{\"id\":\"" + id + "\",\"label\":\"" + label + "\"}";
    }

    private static int wrong(int label) {
        return (label + 1) % CLASSES.size();
    }

    private static JsonObject describe(ModelServer server) {
        return JsonParser.parseString(get(server, "/v1/models/m").body()).getAsJsonObject();
    }

    private static double metric(ModelServer server, String name, String version) {
        String text = get(server, "/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{model=\"m\",version=\"" + version + "\"} (\\S+)$")
                .matcher(text);
        assertThat(m.find()).as("%s of version %s in /metrics", name, version).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
