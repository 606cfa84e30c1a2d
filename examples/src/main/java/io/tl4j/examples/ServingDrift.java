package io.tl4j.examples;

import io.tl4j.serving.ModelServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a served model's drift monitor saw (the serving examples' drift phase), and the phase itself: a server
 * watching a profiled model gets in-distribution requests from 8 clients, then shifted ones in steps of 10 until the
 * first alert or three windows, and the alerts are counted from {@code /metrics}.
 *
 * @param inDistribution in-distribution requests sent before the shift
 * @param falseAlarms drift alerts raised during them
 * @param detectedAfter shifted requests sent before the first alert, -1 if none came within three windows
 */
record ServingDrift(int inDistribution, int falseAlarms, int detectedAfter) {

    private static final int STEP = 10;

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
            System.out.printf(
                    Locale.ROOT,
                    "Drift (window %d): %d alerts over %d in-distribution requests; after the shift to %s, alert after"
                            + " %s%n",
                    window,
                    falseAlarms,
                    requests,
                    shift,
                    detectedAfter < 0 ? "none within " + sent + " requests" : detectedAfter + " requests");
            return new ServingDrift(requests, falseAlarms, detectedAfter);
        }
    }

    private static double alerts(LoadClient client) {
        return ServingQuickStart.metric(client.get("/metrics"), "tl4j_drift_alerts");
    }
}
