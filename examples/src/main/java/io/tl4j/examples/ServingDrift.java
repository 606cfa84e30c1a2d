package io.tl4j.examples;

import io.tl4j.serving.ModelServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a served model's drift monitor saw (the serving examples' drift phase), and the phase itself: a server
 * watching a profiled model gets in-distribution requests from 8 clients, then shifted ones in steps of 10 until the
 * first alert or three windows, and the alerts and the last window's statistics are read from {@code /metrics}.
 *
 * @param inDistribution in-distribution requests sent before the shift
 * @param falseAlarms drift alerts raised during them
 * @param detectedAfter shifted requests sent before the first alert, -1 if none came within three windows
 * @param classPsi the class PSI of the last window evaluated when the phase ended (at the alert, if one came)
 * @param confidencePsi the confidence PSI of that window
 * @param featureShift the feature shift of that window, NaN when the profile has no features
 * @param fired the statistics above their thresholds in that window ({@code class_psi}, {@code confidence_psi},
 *     {@code feature_shift}), empty when none was
 */
record ServingDrift(
        int inDistribution,
        int falseAlarms,
        int detectedAfter,
        double classPsi,
        double confidencePsi,
        double featureShift,
        List<String> fired) {

    private static final int STEP = 10;
    private static final List<String> STATISTICS = List.of("class_psi", "confidence_psi", "feature_shift");

    /**
     * Serves the profiled model in {@code dir} with a drift window of {@code window}, sends {@code requests}
     * in-distribution requests (payloads taken in turn, so more than there are repeats them), then shifted ones, and
     * prints what it saw.
     *
     * @param dir the saved model, with its reference profile
     * @param model the name it is served under
     * @param window the server's drift window
     * @param requests in-distribution requests before the shift
     * @param inDistribution payloads like the profile's
     * @param shifted payloads after the shift, more than {@value #STEP}
     * @param shift what the shift is, for the printout
     * @return what the phase saw
     */
    static ServingDrift run(
            Path dir,
            String model,
            int window,
            int requests,
            List<LoadClient.Payload> inDistribution,
            List<LoadClient.Payload> shifted,
            String shift) {
        try (ModelServer server = ModelServer.builder()
                .model(model, dir)
                .port(0)
                .driftWindow(window)
                .build()
                .start()) {
            LoadClient client = new LoadClient(URI.create("http://127.0.0.1:" + server.port()), model);
            client.run(8, requests, inDistribution);
            int falseAlarms = (int) alerts(client);
            int sent = 0;
            while (sent < 3 * window && alerts(client) <= falseAlarms) {
                int from = sent % (shifted.size() - STEP);
                client.run(8, STEP, shifted.subList(from, from + STEP));
                sent += STEP;
            }
            int detectedAfter = alerts(client) > falseAlarms ? sent : -1;
            String metrics = client.get("/metrics");
            double[] values = new double[STATISTICS.size()];
            List<String> fired = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                String statistic = STATISTICS.get(i);
                values[i] = ServingQuickStart.metric(metrics, "tl4j_drift_" + statistic);
                if (values[i] > threshold(metrics, statistic)) {
                    fired.add(statistic);
                }
            }
            ServingDrift drift = new ServingDrift(
                    requests, falseAlarms, detectedAfter, values[0], values[1], values[2], List.copyOf(fired));
            System.out.printf(
                    Locale.ROOT,
                    "Drift (window %d): %d alerts over %d in-distribution requests; after the shift to %s, alert after"
                            + " %s (class PSI %.3f, confidence PSI %.3f, feature shift %.3f; above threshold: %s)%n",
                    window,
                    falseAlarms,
                    requests,
                    shift,
                    detectedAfter < 0 ? "none within " + sent + " requests" : detectedAfter + " requests",
                    drift.classPsi(),
                    drift.confidencePsi(),
                    drift.featureShift(),
                    fired.isEmpty() ? "none" : String.join(", ", fired));
            return drift;
        }
    }

    private static double alerts(LoadClient client) {
        return ServingQuickStart.metric(client.get("/metrics"), "tl4j_drift_alerts");
    }

    /** Reads the threshold the served version alerts above for one statistic, from Prometheus text. */
    static double threshold(String prometheus, String statistic) {
        Matcher m = Pattern.compile("(?m)^tl4j_drift_threshold\\{[^}]*statistic=\"" + statistic + "\"[^}]*} (\\S+)$")
                .matcher(prometheus);
        if (!m.find()) {
            throw new IllegalStateException(
                    "tl4j_drift_threshold for " + statistic + " is not in the server's metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
