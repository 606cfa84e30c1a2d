package io.tl4j.examples;

import io.tl4j.core.data.LabeledData;
import io.tl4j.serving.ModelServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What an open-loop run at a fixed request rate saw (the quick start's run at 80 % of measured capacity), and
 * the run itself: the model served batched, requests sent at the rate whatever the answers, the process's resident
 * memory sampled as it goes.
 *
 * @param perSecond requests sent per second
 * @param outcome latencies, failures and correct answers
 * @param rssMiB the process's resident memory, sampled every 10 s (server and client share the process)
 */
record ServingSoak(double perSecond, LoadClient.Outcome outcome, List<Double> rssMiB) {

    /** Returns the largest resident memory sampled, in MiB. */
    double maxRssMiB() {
        return rssMiB.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /**
     * Serves the model in {@code dir} batched and sends it {@code perSecond} held-out e-mails a second for
     * {@code seconds}, after an uncounted warm-up; prints what it saw.
     *
     * @param dir the saved model
     * @param model the name it is served under
     * @param perSecond requests a second
     * @param seconds how long
     * @param heldOut the e-mails to send, in turn
     * @return what the run saw
     */
    static ServingSoak run(Path dir, String model, double perSecond, int seconds, LabeledData<String> heldOut) {
        try (ModelServer server = ModelServer.builder()
                .model(model, dir)
                .port(0)
                .requestTimeoutMillis(120_000)
                .build()
                .start()) {
            LoadClient client = new LoadClient(URI.create("http://127.0.0.1:" + server.port()), model);
            client.run(8, 32, heldOut); // warm-up, not counted
            LoadClient.Paced paced = client.paced(perSecond, seconds, LoadClient.texts(heldOut), 10);
            ServingSoak soak = new ServingSoak(perSecond, paced.outcome(), paced.rssMiB());
            LoadClient.Outcome o = soak.outcome();
            System.out.printf(
                    Locale.ROOT,
                    "Soak: %.1f requests/s for %d s: %d sent, %d failed, p50 %.0f ms, p99 %.0f ms;"
                            + " RSS start %.0f MiB, end %.0f MiB, max %.0f MiB; samples %s%n",
                    perSecond,
                    seconds,
                    o.answered() + o.failed(),
                    o.failed(),
                    o.percentileMillis(50),
                    o.percentileMillis(99),
                    soak.rssMiB().get(0),
                    soak.rssMiB().get(soak.rssMiB().size() - 1),
                    soak.maxRssMiB(),
                    soak.rssMiB().stream()
                            .map(v -> String.format(Locale.ROOT, "%.0f", v))
                            .toList());
            return soak;
        }
    }
}
