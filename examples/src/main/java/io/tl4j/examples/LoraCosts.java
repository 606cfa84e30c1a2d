package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.LoraAdapter;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.lora.Lora;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What LoRA costs on all-MiniLM-L6-v2 at 128 tokens (spam), each measurement in a fresh JVM so that
 * its peak resident memory is its own: a training step's time on one fixed batch of 16 e-mails and
 * the peak memory of training, for LoRA (rank 8, alpha 16, query and value), full fine-tuning (the
 * NLP quick start's recipe) and frozen features (cached, linear head); and the resident memory of
 * serving 4 adapters over one base loaded once ({@link LoraAdapter#loadShared}) against 4 models
 * loaded separately ({@link LoraAdapter#load}, each with its own copy of the base). Prints a {@code
 * COST ...} line per measurement. {@code -Dtl4j.loraCost=full|lora|frozen|shared|copies|prepare}
 * runs one measurement in this JVM (the adapters' directory is {@code -Dtl4j.loraAdapters}).
 */
public final class LoraCosts {

    /** Adapters served at once in the memory measurement. */
    static final int TASKS = 4;
    /** Epochs of the short timed fit; every fit sees the same single batch at every step. */
    static final int SHORT_FIT = 2;
    /** Epochs of the long timed fit, for methods that train through the encoder. */
    static final int LONG_FIT = 12;
    /** Epochs of the long timed fit for frozen features, whose step trains the head alone. */
    static final int LONG_FIT_FROZEN = 202;

    private LoraCosts() {}

    /**
     * Runs every measurement in its own JVM, or the one {@code -Dtl4j.loraCost} names here.
     *
     * @param args none
     * @throws IOException when a child JVM cannot be started or read
     * @throws InterruptedException when interrupted while waiting for one
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String mode = System.getProperty("tl4j.loraCost");
        if (mode != null) {
            measure(mode, Path.of(System.getProperty("tl4j.loraAdapters", "target/lora-costs")));
            return;
        }
        Path adapters = Files.createTempDirectory("lora-costs");
        for (String m : List.of("prepare", "shared", "copies", "frozen", "lora", "full")) {
            child(m, adapters);
        }
    }

    private static void child(String mode, Path adapters) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-Dtl4j.loraCost=" + mode,
                "-Dtl4j.loraAdapters=" + adapters,
                "-cp",
                System.getProperty("java.class.path"),
                LoraCosts.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            out.lines().filter(line -> line.startsWith("COST ")).forEach(System.out::println);
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(
                    "The '" + mode + "' measurement failed with exit code " + process.exitValue());
        }
    }

    private static void measure(String mode, Path adapters) {
        LabeledData<String> spam = SpamData.load();
        double before = ProcessMemory.residentMib();
        try (BertEncoder minilm = Bert.allMiniLmL6V2();
                Backbone<String> base = minilm.backbone(Pooling.MEAN, NlpQuickStart.SHORT)) {
            base.featureShape();
            double loaded = ProcessMemory.residentMib();
            switch (mode) {
                case "prepare" -> prepare(base, spam, adapters);
                case "shared", "copies" -> serve(mode, base, spam, adapters, loaded - before);
                case "full", "lora", "frozen" -> step(mode, base, spam.samplePerClass(8, 1));
                default ->
                    throw new IllegalArgumentException(
                            "tl4j.loraCost must be full, lora, frozen, shared, copies or prepare, got '" + mode + "'");
            }
        }
    }

    /** Trains {@link #TASKS} small adapters, each on its own 16 e-mails, and saves them. */
    private static void prepare(Backbone<String> base, LabeledData<String> spam, Path adapters) {
        try (Backbone<String> lora = Lora.adapt(base, LoraSpamComparison.loraConfig())) {
            for (int task = 0; task < TASKS; task++) {
                try (TransferModel<String> model = NlpQuickStart.fineTuneRecipe(lora, task)
                        .learningRate(LoraSpamComparison.LORA_LEARNING_RATE)
                        .epochs(1)
                        .fit(spam.samplePerClass(8, task))) {
                    LoraAdapter.save(model, adapters.resolve("task" + task));
                }
            }
        }
        System.out.printf(Locale.ROOT, "COST prepare adapters=%d dir=%s%n", TASKS, adapters);
    }

    /** Loads the adapters shared or as copies and reports resident memory after loading and predicting. */
    private static void serve(
            String mode, Backbone<String> base, LabeledData<String> spam, Path adapters, double baseMib) {
        double start = ProcessMemory.residentMib();
        List<TransferModel<String>> models = new ArrayList<>();
        try {
            for (int task = 0; task < TASKS; task++) {
                Path dir = adapters.resolve("task" + task);
                models.add(mode.equals("shared") ? LoraAdapter.loadShared(base, dir) : LoraAdapter.load(base, dir));
            }
            double loaded = ProcessMemory.residentMib();
            List<String> texts = spam.samplePerClass(16, 9).inputs();
            for (TransferModel<String> model : models) {
                model.probabilities(texts);
            }
            System.out.printf(
                    Locale.ROOT,
                    "COST serve mode=%s tasks=%d base_load_mib=%.0f models_mib=%.0f after_predict_mib=%.0f"
                            + " rss_mib=%.0f peak_mib=%.0f load=%.1f%n",
                    mode,
                    TASKS,
                    baseMib,
                    loaded - start,
                    ProcessMemory.residentMib() - start,
                    ProcessMemory.residentMib(),
                    ProcessMemory.peakMib(),
                    ModelSelectionQuickStart.loadAverage());
        } finally {
            models.forEach(TransferModel::close);
        }
    }

    /**
     * Warms up with a one-step fit, then times fits of {@link #SHORT_FIT} and more one-batch epochs;
     * reports the difference per step (the fit's fixed costs, caching included, cancel out) and the
     * peak memory of the three fits.
     */
    private static void step(String mode, Backbone<String> base, LabeledData<String> batch) {
        try (Backbone<String> lora = Lora.adapt(base, LoraSpamComparison.loraConfig())) {
            ProcessMemory.resetPeak();
            double start = ProcessMemory.residentMib();
            fitSeconds(mode, base, lora, batch, 1);
            int longEpochs = mode.equals("frozen") ? LONG_FIT_FROZEN : LONG_FIT;
            double shortFit = fitSeconds(mode, base, lora, batch, SHORT_FIT);
            double longFit = fitSeconds(mode, base, lora, batch, longEpochs);
            System.out.printf(
                    Locale.ROOT,
                    "COST step mode=%s batch=%d ms_per_step=%.0f fit%d_s=%.1f fit%d_s=%.1f rss_start_mib=%.0f"
                            + " peak_mib=%.0f peak_rise_mib=%.0f load=%.1f%n",
                    mode,
                    batch.size(),
                    1000 * (longFit - shortFit) / (longEpochs - SHORT_FIT),
                    SHORT_FIT,
                    shortFit,
                    longEpochs,
                    longFit,
                    start,
                    ProcessMemory.peakMib(),
                    ProcessMemory.peakMib() - start,
                    ModelSelectionQuickStart.loadAverage());
        }
    }

    private static double fitSeconds(
            String mode, Backbone<String> base, Backbone<String> lora, LabeledData<String> batch, int epochs) {
        TransferLearner<String> learner = switch (mode) {
            case "full" -> NlpQuickStart.fineTuneRecipe(base, 1);
            case "lora" -> NlpQuickStart.fineTuneRecipe(lora, 1).learningRate(LoraSpamComparison.LORA_LEARNING_RATE);
            default -> TransferLearner.from(base).batchSize(16).seed(1).progressBar(false);
        };
        long t = System.nanoTime();
        try (TransferModel<String> model = learner.epochs(epochs).fit(batch)) {
            return LoraSpamComparison.seconds(t);
        }
    }
}
