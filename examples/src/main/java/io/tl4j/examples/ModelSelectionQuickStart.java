package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.core.selection.ModelSelection;
import io.tl4j.core.selection.Score;
import io.tl4j.core.selection.SelectionProof;
import io.tl4j.core.selection.SelectionReport;
import io.tl4j.examples.catalog.TextBackbones;
import io.tl4j.nlp.data.TextData;
import io.tl4j.nlp.data.TextFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Chooses a text encoder for few-shot spam filtering before training any: ranks the catalog's
 * encoders ({@link TextBackbones}) on 32 labelled e-mails per class by LogME, kNN and linear-probe
 * accuracy from one frozen forward pass each, prints the table and the recommendation, then
 * fine-tunes every candidate with one recipe ({@link SelectionRecipe}: by default the NLP quick
 * start's with only the top encoder layer trained and the rest cached, {@code --recipe=full} for all
 * encoder layers) and tests it on 500 held-out e-mails, to show how well each score predicted the
 * fine-tuned ranking. Ends with a {@code RESULT selection ...} line.
 *
 * <p>The default candidates are all-MiniLM-L6-v2, bge-small-en-v1.5, e5-small-v2 and
 * bge-small-zh-v1.5 (a Chinese encoder, off-domain); {@code --bert} adds Google's BERT-base uncased
 * (needs {@code -Pslow} for its artifact; it alone would take longer than the other four together).
 */
public final class ModelSelectionQuickStart {

    /** Tokens per text, for the selection and the fine-tuning alike. */
    static final int TOKENS = 128;
    /** Labelled training e-mails per class. */
    static final int PER_CLASS = 32;
    /** Held-out test e-mails. */
    static final int TEST_SIZE = 500;
    /** The seed of the split and of the training sample: the user's data stays the same across seeds. */
    static final long DATA_SEED = 1;
    /** The candidates of the default run. */
    static final List<TextBackbones> DEFAULT = List.of(
            TextBackbones.ALL_MINILM_L6_V2,
            TextBackbones.BGE_SMALL_EN_V15,
            TextBackbones.E5_SMALL_V2,
            TextBackbones.BGE_SMALL_ZH_V15);

    private ModelSelectionQuickStart() {}

    /**
     * What a run found.
     *
     * @param report the selection's report
     * @param proof the scores against the fine-tuned accuracies
     * @param loadAverage the 1-minute load average at the start, the end of the selection and the end
     */
    record Outcome(SelectionReport report, SelectionProof proof, double[] loadAverage) {}

    /**
     * How the proof is run.
     *
     * @param candidates the encoders to compare
     * @param seeds the fine-tuning seeds (head initialisation, batch order, dropout)
     * @param recipe the fine-tuning recipe, the same for every candidate
     */
    record Plan(List<TextBackbones> candidates, long[] seeds, SelectionRecipe recipe) {}

    /**
     * Runs the selection and fine-tunes every candidate on one seed. Measured on the shared 2 cores
     * with the default top-layer recipe: near idle (load 1-2, seed 3) the whole run took 230 s of wall
     * time and 403 s of process CPU (selection 44 s, fine-tuning and testing the four 185 s), peak RSS
     * 3.7 GB; at load 10-16 (seed 1) 2,479 s of wall time and 862 s of CPU. The full recipe needed
     * 1,548 s of CPU for the fine-tuning alone (14-17 minutes estimated for the run near idle).
     *
     * @param args {@code --seeds=1,2,3} (or {@code -Dtl4j.seeds=1,2,3}) fine-tunes over several seeds;
     *     {@code --recipe=full} (or {@code -Dtl4j.recipe=full}) fine-tunes every encoder layer instead
     *     of the top one; {@code --bert} adds BERT-base uncased
     */
    public static void main(String[] args) {
        long started = System.nanoTime();
        long[] seeds = seeds(args, "1");
        List<TextBackbones> candidates = new ArrayList<>(DEFAULT);
        if (Arrays.asList(args).contains("--bert")) {
            candidates.add(TextBackbones.BERT_BASE_UNCASED);
        }
        SelectionRecipe recipe = SelectionRecipe.of(args);
        Outcome outcome = run(new Plan(candidates, seeds, recipe));
        SelectionProof proof = outcome.proof();
        double cpu = cpuSeconds();
        System.out.printf(
                Locale.ROOT,
                "RESULT selection %s seeds=%d recipe=%s seconds=%.0f cpu_seconds=%.0f load_avg=%.1f/%.1f/%.1f%n",
                proof.summary(),
                seeds.length,
                recipe.flag(),
                (System.nanoTime() - started) / 1e9,
                cpu,
                outcome.loadAverage()[0],
                outcome.loadAverage()[1],
                outcome.loadAverage()[2]);
    }

    /**
     * Reads the fine-tuning seeds from {@code --seeds=1,2,3}, else from {@code -Dtl4j.seeds}.
     *
     * @param args the program arguments
     * @param fallback the seeds when neither is given
     * @return the seeds
     */
    static long[] seeds(String[] args, String fallback) {
        String seedList = Arrays.stream(args)
                .filter(a -> a.startsWith("--seeds="))
                .findFirst()
                .map(a -> a.substring("--seeds=".length()))
                .orElse(System.getProperty("tl4j.seeds", fallback));
        return Arrays.stream(seedList.split(","))
                .map(String::trim)
                .mapToLong(Long::parseLong)
                .toArray();
    }

    /**
     * Ranks the candidates on the spam task, then fine-tunes each on every seed with the plan's recipe.
     *
     * @param plan the candidates, seeds and recipe
     * @return the report, the proof and the load averages seen
     */
    static Outcome run(Plan plan) {
        List<TextBackbones> candidates = plan.candidates();
        long[] seeds = plan.seeds();
        double[] load = new double[3];
        load[0] = loadAverage();
        SpamTask task = SpamTask.load();
        SelectionReport report = select(candidates, task);
        load[1] = loadAverage();
        System.out.printf(Locale.ROOT, "   process CPU after the selection %.0f s%n", cpuSeconds());
        String pick = report.best().orElseThrow().name();
        LabeledData<String> train = task.train();
        LabeledData<String> test = task.test();
        System.out.println("3. Fine-tuning every candidate, recipe "
                + plan.recipe().flag() + " (the check a user would otherwise have to run):");
        Map<String, double[]> accuracy = new LinkedHashMap<>();
        candidates.forEach(c -> accuracy.put(c.displayName(), new double[seeds.length]));
        double fineTuneAll = 0;
        for (int s = 0; s < seeds.length; s++) {
            long started = System.nanoTime();
            for (TextBackbones candidate : candidates) {
                long t = System.nanoTime();
                double acc = fineTune(candidate, plan.recipe(), seeds[s], train, test);
                accuracy.get(candidate.displayName())[s] = acc;
                System.out.printf(
                        Locale.ROOT,
                        "   seed %d %-18s test accuracy %.3f (%.0f s)%n",
                        seeds[s],
                        candidate.displayName(),
                        acc,
                        (System.nanoTime() - t) / 1e9);
            }
            double seedSeconds = (System.nanoTime() - started) / 1e9;
            fineTuneAll += seedSeconds;
            System.out.printf(
                    Locale.ROOT,
                    "   seed %d: fine-tuning all took %.0f s; process CPU so far %.0f s, load average %.1f%n",
                    seeds[s],
                    seedSeconds,
                    cpuSeconds(),
                    loadAverage());
        }
        load[2] = loadAverage();
        SelectionProof proof = SelectionProof.of(report, accuracy, fineTuneAll / seeds.length);
        System.out.println(proof.table());
        System.out.print(perSeedTau(proof, seeds));
        System.out.printf(
                Locale.ROOT,
                "   The recommended %s fine-tuned to %.3f; the best, %s, to %.3f. Load average (2 cores, shared):"
                        + " %.1f at the start, %.1f after the selection, %.1f at the end%n",
                pick,
                proof.meanAccuracy(pick),
                proof.best(),
                proof.meanAccuracy(proof.best()),
                load[0],
                load[1],
                load[2]);
        return new Outcome(report, proof, load);
    }

    /**
     * Ranks the candidates on the task's training e-mails and prints the table and the recommendation.
     *
     * @param candidates the encoders to compare
     * @param task the spam task
     * @return the report, with an untrained copy of the first candidate as a baseline row
     */
    static SelectionReport select(List<TextBackbones> candidates, SpamTask task) {
        System.out.printf(
                Locale.ROOT,
                "1. Spam (SpamAssassin): %d labelled e-mails (%d per class), %d held out; %d candidates at %d"
                        + " tokens%n",
                task.train().size(),
                PER_CLASS,
                task.test().size(),
                candidates.size(),
                TOKENS);
        candidates.forEach(c -> System.out.printf(
                Locale.ROOT, "   %s (%s): %s, %s%n", c.displayName(), c.licence(), c.provenance(), c.artifact()));
        SelectionReport report = ModelSelection.of(
                        candidates.stream().map(c -> c.candidate(TOKENS)).toList())
                .scratchBaseline(candidates.get(0).displayName())
                .run(task.train());
        System.out.println("2. Ranked from one frozen forward pass each (" + Math.round(report.seconds()) + " s):");
        System.out.println(report.table());
        System.out.println("   Recommended: " + report.best().orElseThrow().name());
        return report;
    }

    /**
     * The spam task: the NLP quick start's split on {@link #DATA_SEED}.
     *
     * @param train 32 labelled e-mails per class
     * @param test 500 held-out e-mails, sorted by length
     */
    record SpamTask(LabeledData<String> train, LabeledData<String> test) {

        static SpamTask load() {
            LabeledData<String> all = TextData.resource(TextFormat.JSONL, NlpQuickStart.class, "spam/messages.jsonl.gz")
                    .text("body")
                    .label("label")
                    .classes("ham", "spam")
                    .read();
            Split<String> split = all.stratifiedSplit((double) TEST_SIZE / all.size(), DATA_SEED);
            return new SpamTask(split.train().samplePerClass(PER_CLASS, DATA_SEED), byLength(split.validation()));
        }
    }

    /** Fine-tunes one candidate with the recipe and returns its test accuracy. */
    static double fineTune(
            TextBackbones candidate,
            SelectionRecipe recipe,
            long seed,
            LabeledData<String> train,
            LabeledData<String> test) {
        try (Backbone<String> backbone = candidate.backbone(TOKENS);
                TransferModel<String> model = recipe.learner(backbone, seed).fit(train)) {
            return model.evaluate(test).accuracy();
        }
    }

    /** The same examples sorted by length, so that batches of similar lengths pad little. */
    private static LabeledData<String> byLength(LabeledData<String> data) {
        return data.subset(IntStream.range(0, data.size())
                .boxed()
                .sorted(Comparator.comparingInt(i -> data.input(i).length()))
                .mapToInt(i -> i)
                .toArray());
    }

    /**
     * Returns one line per seed with each score's Kendall tau and top-1 regret on that seed's
     * accuracies alone (the proof's table gives them on the means).
     *
     * @param proof the proof over all seeds
     * @param seeds the seeds, in the order of the proof's accuracies
     * @return the lines
     */
    static String perSeedTau(SelectionProof proof, long[] seeds) {
        StringBuilder out = new StringBuilder();
        for (int s = 0; s < seeds.length; s++) {
            SelectionProof one = proof.seed(s);
            out.append(String.format(Locale.ROOT, "   seed %d:", seeds[s]));
            for (Score score : proof.scores()) {
                out.append(String.format(
                        Locale.ROOT,
                        " %s tau %.2f regret %.1f;",
                        score.label(),
                        one.kendallTau(score),
                        one.topOneRegret(score)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Returns the CPU seconds this process has used, all threads together. */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    /** Returns the 1-minute load average, or NaN where /proc/loadavg cannot be read. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
