package io.tl4j.benchmarks;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A long training run through tl4j's {@code fit} that watches native memory: a linear head on
 * cached 512-dimensional features (an identity backbone, frozen, so the feature cache is used) for
 * {@code steps} optimizer steps, the process's RSS sampled every {@code every} steps. Writes JSON
 * that {@code ResultsReport} turns into the soak section. Run it with a fixed, pre-touched heap
 * ({@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}) so that heap growth does not pass for native
 * growth.
 *
 * <pre>java -cp benchmarks.jar io.tl4j.benchmarks.Soak soak.json [steps] [every]</pre>
 */
public final class Soak {

    private static final int SAMPLES = 1600;
    private static final int BATCH = 32;

    private Soak() {}

    /**
     * Runs the soak test and writes its memory samples as JSON.
     *
     * @param args output file, then optionally the number of steps (default 5000) and the
     *     sampling interval (default 500)
     * @throws IOException when the output cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: Soak OUTPUT.json [steps] [every]");
        }
        Path out = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int every = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        JsonObject result = run(steps, every);
        Files.writeString(out, new GsonBuilder().setPrettyPrinting().create().toJson(result));
        System.out.println(result.get("description").getAsString() + " RSS first " + result.get("firstMiB")
                + " MiB, last " + result.get("lastMiB") + " MiB");
    }

    /**
     * Trains and samples.
     *
     * @param steps optimizer steps, a multiple of the 50 steps per epoch
     * @param every sample the RSS after every this many steps
     * @return the samples ({@code step}, {@code rssMiB}), {@code firstMiB}, {@code lastMiB} and a
     *     description
     */
    public static JsonObject run(int steps, int every) {
        int stepsPerEpoch = SAMPLES / BATCH;
        if (steps <= 0 || steps % stepsPerEpoch != 0 || every <= 0) {
            throw new IllegalArgumentException("steps must be a positive multiple of " + stepsPerEpoch
                    + " and every positive, got " + steps + ", " + every);
        }
        LabeledData<float[]> data = Workloads.labelled(Workloads.samples(SAMPLES, HeadTraining.FEATURES, 9));
        List<long[]> samples = new ArrayList<>();
        TrainingListener sampler = new TrainingListener() {
            private long done;

            @Override
            public void onStep(StepInfo step) {
                done++;
                if (done % every == 0) {
                    samples.add(new long[] {done, PeakRssProfiler.statusKiB("VmRSS")});
                }
            }
        };
        long started = System.nanoTime();
        try (Backbone<float[]> identity = Tl4jSide.backbone(Tl4jSide.identity(), HeadTraining.FEATURES, null);
                TransferModel<float[]> model = Tl4jSide.learner(identity, BATCH, steps / stepsPerEpoch)
                        .freezeAll()
                        .listener(sampler)
                        .fit(data)) {
            model.history();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonObject result = new JsonObject();
        result.addProperty(
                "description",
                String.format(
                        java.util.Locale.ROOT,
                        "%d optimizer steps of tl4j's fit (linear head on cached 512-d features, batch %d, Adam), RSS "
                                + "sampled every %d steps; %.1f s, %.0f steps/s.",
                        steps,
                        BATCH,
                        every,
                        seconds,
                        steps / seconds));
        result.addProperty("steps", steps);
        result.addProperty("seconds", seconds);
        JsonArray array = new JsonArray();
        for (long[] s : samples) {
            JsonObject o = new JsonObject();
            o.addProperty("step", s[0]);
            o.addProperty("rssMiB", s[1] / 1024.0);
            array.add(o);
        }
        result.add("samples", array);
        result.addProperty("firstMiB", samples.get(0)[1] / 1024.0);
        result.addProperty("lastMiB", samples.get(samples.size() - 1)[1] / 1024.0);
        return result;
    }
}
