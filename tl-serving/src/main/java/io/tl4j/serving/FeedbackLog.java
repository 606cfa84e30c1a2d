package io.tl4j.serving;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Remembers the recent predictions of one served name by id, so that a caller can later report their true labels,
 * and keeps one {@link FeedbackWindow} per model version that made predictions that got feedback.
 *
 * <p>Only the last {@code memory} predictions are remembered (the oldest are forgotten first), so memory stays
 * bounded however long the server runs; an id can be answered once. Feedback counts toward the version that made the
 * prediction, even after a reload.
 */
final class FeedbackLog {

    private record Served(String version, List<String> classes, int predicted) {}

    private final String model;
    private final int windowSize;
    private final Consumer<FeedbackWindow> onNewWindow;
    private final Map<String, Served> recent;
    private final Map<String, FeedbackWindow> windows = new LinkedHashMap<>();

    FeedbackLog(String model, int windowSize, int memory, Consumer<FeedbackWindow> onNewWindow) {
        this.model = model;
        this.windowSize = windowSize;
        this.onNewWindow = onNewWindow;
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Served> eldest) {
                return size() > memory;
            }
        };
    }

    /** Remembers one prediction and returns its new id. */
    synchronized String remember(ScoredInput scored, int predicted) {
        String id = UUID.randomUUID().toString();
        recent.put(id, new Served(scored.version(), scored.classNames(), predicted));
        return id;
    }

    /**
     * Applies a feedback body {@code {"feedback": [{"id": ..., "label": ...}, ...]}}: every entry is checked before any
     * is counted, so a refused body changes nothing.
     *
     * @return how many entries were counted
     * @throws ApiException 400 naming the field of a malformed entry, an unknown or already answered id, or a label
     *     that is not one of the predicting version's classes
     */
    synchronized int apply(JsonElement body) {
        if (!body.isJsonObject() || !body.getAsJsonObject().has("feedback")) {
            throw bad("The body must be a JSON object with a 'feedback' array", "feedback");
        }
        JsonElement entries = body.getAsJsonObject().get("feedback");
        if (!entries.isJsonArray() || entries.getAsJsonArray().isEmpty()) {
            throw bad("'feedback' must be a non-empty array of {\"id\": ..., \"label\": ...}", "feedback");
        }
        JsonArray array = entries.getAsJsonArray();
        List<String> ids = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String field = "feedback[" + i + "]";
            JsonObject entry = array.get(i).isJsonObject() ? array.get(i).getAsJsonObject() : null;
            String id = text(entry, "id", field);
            String label = text(entry, "label", field);
            Served served = recent.get(id);
            if (served == null || ids.contains(id)) {
                throw bad(
                        "No prediction of model '" + model + "' with id '" + id
                                + "' awaits feedback (unknown, already answered, or older than the last "
                                + "predictions remembered)",
                        field + ".id");
            }
            int truth = served.classes().indexOf(label);
            if (truth < 0) {
                throw bad(
                        "Unknown label '" + label + "'; version " + served.version() + " of model '" + model
                                + "' has classes " + served.classes(),
                        field + ".label");
            }
            ids.add(id);
            labels.add(truth);
        }
        for (int i = 0; i < ids.size(); i++) {
            Served served = recent.remove(ids.get(i));
            window(served).add(labels.get(i), served.predicted());
        }
        return ids.size();
    }

    /** Returns the statistics of every version that got feedback, oldest version first. */
    synchronized JsonArray toJson() {
        JsonArray json = new JsonArray();
        windows.values().forEach(w -> json.add(w.toJson()));
        return json;
    }

    private FeedbackWindow window(Served served) {
        return windows.computeIfAbsent(served.version(), v -> {
            FeedbackWindow window = new FeedbackWindow(v, served.classes(), windowSize);
            onNewWindow.accept(window);
            return window;
        });
    }

    private static String text(JsonObject entry, String key, String field) {
        if (entry == null) {
            throw bad(field + " must be an object {\"id\": ..., \"label\": ...}", field);
        }
        JsonElement value = entry.get(key);
        if (value == null
                || !value.isJsonPrimitive()
                || !value.getAsJsonPrimitive().isString()) {
            throw bad(field + "." + key + " must be a string", field + "." + key);
        }
        return value.getAsString();
    }

    private static ApiException bad(String message, String field) {
        return new ApiException(400, "bad_feedback", message, field);
    }
}
