package io.tl4j.serving;

import com.google.gson.JsonObject;
import io.tl4j.core.metrics.ClassificationReport;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps the last {@code capacity} (true label, predicted label) pairs that callers reported for one model version, and
 * computes their accuracy and macro-F1 (over all the version's classes, as {@link ClassificationReport} does).
 */
final class FeedbackWindow {

    private final String version;
    private final List<String> classes;
    private final int[] truth;
    private final int[] predicted;
    private int size;
    private int next;
    private long total;

    FeedbackWindow(String version, List<String> classes, int capacity) {
        this.version = version;
        this.classes = List.copyOf(classes);
        this.truth = new int[capacity];
        this.predicted = new int[capacity];
    }

    String version() {
        return version;
    }

    List<String> classes() {
        return classes;
    }

    /** Adds one reported pair, dropping the oldest when the window is full. */
    synchronized void add(int trueLabel, int predictedLabel) {
        truth[next] = trueLabel;
        predicted[next] = predictedLabel;
        next = (next + 1) % truth.length;
        size = Math.min(size + 1, truth.length);
        total++;
    }

    /** Returns the accuracy over the window, NaN when it is empty. */
    synchronized double accuracy() {
        return size == 0 ? Double.NaN : report().accuracy();
    }

    /** Returns the macro-F1 over the window, NaN when it is empty. */
    synchronized double macroF1() {
        return size == 0 ? Double.NaN : report().macroF1();
    }

    /** Returns how many pairs the window holds now. */
    synchronized int size() {
        return size;
    }

    /** Returns this window's statistics as JSON: version, window, count, total, accuracy, macroF1. */
    synchronized JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("version", version);
        json.addProperty("window", truth.length);
        json.addProperty("count", size);
        json.addProperty("total", total);
        if (size > 0) {
            ClassificationReport report = report();
            json.addProperty("accuracy", report.accuracy());
            json.addProperty("macroF1", report.macroF1());
        }
        return json;
    }

    private ClassificationReport report() {
        return ClassificationReport.of(Arrays.copyOf(truth, size), Arrays.copyOf(predicted, size), classes);
    }
}
