package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.nlp.baseline.BagOfWordsClassifier;
import io.tl4j.nlp.baseline.BagOfWordsLearner;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.nlp.text.TextPipeline;
import io.tl4j.report.ExampleView;
import io.tl4j.report.TrainingReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleConsumer;
import java.util.stream.IntStream;

/**
 * Few-shot spam filtering with a pretrained sentence encoder: all-MiniLM-L6-v2 (from its Maven
 * artifact) learns ham vs spam from 32 labelled e-mail bodies per class and is tested on 500
 * held-out ones. On the same split it compares fine-tuning, feature extraction (frozen encoder,
 * cached embeddings, logistic regression), the same architecture trained from scratch, a
 * bag-of-words logistic regression and a nearest-centroid classifier. With {@code --levers} it also
 * tries the two levers meant to beat bag of words: the model's full length (512 tokens instead of
 * 128) and SetFit-style contrastive tuning of the encoder. Writes the fine-tuned model's training report,
 * with the 12 worst-classified test e-mails, to {@code target/nlp-quickstart-report/seed-<seed>}. Ends with a
 * {@code RESULT nlp ...} line.
 */
public final class NlpQuickStart {

    /** Tokens per text in the basic recipe. */
    static final int SHORT = 128;
    /** The model's full length. */
    static final int FULL = 512;

    private NlpQuickStart() {}

    /**
     * What to run.
     *
     * @param seed the seed of the split, the training sample and every learner
     * @param perClass labelled training examples per class
     * @param testSize held-out test messages (stratified)
     * @param levers also run full length and contrastive tuning
     */
    record Config(long seed, int perClass, int testSize, boolean levers) {}

    /** Accuracies by method, and seconds per phase. */
    record Result(Map<String, Double> accuracy, Map<String, Double> seconds, int trainSize, int testSize) {

        double get(String method) {
            Double value = accuracy.get(method);
            if (value == null) {
                throw new IllegalArgumentException("No result for " + method + "; have " + accuracy.keySet());
            }
            return value;
        }
    }

    /**
     * Runs the quick start on seed 1 (the main job, about 4 minutes on 2 cores).
     *
     * @param args {@code --levers} (or {@code -Dtl4j.levers=true}) also runs the full length and
     *     SetFit (about 2 more minutes per seed); {@code --seeds=1,2,3} (or {@code -Dtl4j.seeds=1,2,3})
     *     runs several seeds and adds mean and standard deviation
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        boolean levers = Arrays.asList(args).contains("--levers") || Boolean.getBoolean("tl4j.levers");
        String seedList = Arrays.stream(args)
                .filter(a -> a.startsWith("--seeds="))
                .findFirst()
                .map(a -> a.substring("--seeds=".length()))
                .orElse(System.getProperty("tl4j.seeds", "1"));
        long[] seeds = Arrays.stream(seedList.split(","))
                .map(String::trim)
                .mapToLong(Long::parseLong)
                .toArray();
        List<Result> results = new ArrayList<>();
        for (long seed : seeds) {
            long started = System.nanoTime();
            Result r = run(new Config(seed, 32, 500, levers));
            results.add(r);
            System.out.println();
            System.out.println("| method, seed " + seed + " (" + r.trainSize() + " training / " + r.testSize()
                    + " test messages) | accuracy | seconds |");
            System.out.println("| --- | --- | --- |");
            r.accuracy()
                    .forEach((method, acc) -> System.out.printf(
                            Locale.ROOT,
                            "| %s | %.3f | %.0f |%n",
                            method,
                            acc,
                            r.seconds().getOrDefault(method, 0.0)));
            String extra = levers
                    ? String.format(
                            Locale.ROOT,
                            " features_full_acc=%.4f setfit_acc=%.4f"
                                    + " setfit_full_acc=%.4f setfit_full_bow_acc=%.4f",
                            r.get("features 512"),
                            r.get("setfit 128"),
                            r.get("setfit 512"),
                            r.get("setfit 512 + bag of words"))
                    : "";
            System.out.printf(
                    Locale.ROOT,
                    "RESULT nlp finetune_acc=%.4f features_acc=%.4f scratch_acc=%.4f"
                            + " bow_acc=%.4f n_train=%d n_test=%d centroid_acc=%.4f%s seed=%d seconds=%.0f%n",
                    r.get("fine-tune 128"),
                    r.get("features 128"),
                    r.get("scratch 128"),
                    r.get("bag of words"),
                    r.trainSize(),
                    r.testSize(),
                    r.get("centroid 128"),
                    extra,
                    seed,
                    seconds(started));
        }
        if (results.size() > 1) {
            System.out.println();
            System.out.println("| method, mean ± sd over seeds " + Arrays.toString(seeds) + " | accuracy |");
            System.out.println("| --- | --- |");
            for (String method : results.get(0).accuracy().keySet()) {
                double[] values =
                        results.stream().mapToDouble(r -> r.get(method)).toArray();
                double mean = Arrays.stream(values).average().orElseThrow();
                double sd = Math.sqrt(
                        Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
                System.out.printf(Locale.ROOT, "| %s | %.3f ± %.3f |%n", method, mean, sd);
            }
        }
        System.out.printf(Locale.ROOT, "Done in %.0f s%n", seconds(start));
    }

    static Result run(Config config) {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        LabeledData<String> all = SpamData.load();
        Split<String> split = all.stratifiedSplit((double) config.testSize() / all.size(), config.seed());
        LabeledData<String> train = split.train().samplePerClass(config.perClass(), config.seed());
        LabeledData<String> test = SpamData.byLength(split.validation());
        System.out.printf(
                Locale.ROOT,
                "1. Data: %d ham/spam e-mail bodies (SpamAssassin); training on %d (%d per class),"
                        + " testing on %d held-out%n",
                all.size(),
                train.size(),
                config.perClass(),
                test.size());

        long t = System.nanoTime();
        BagOfWordsClassifier bow =
                BagOfWordsLearner.create().seed(config.seed()).fit(train);
        record(accuracy, seconds, "bag of words", bow.evaluate(test).accuracy(), t);
        System.out.printf(
                Locale.ROOT,
                "2. Bag of words (TF-IDF, %d words) + logistic regression, C=%s by 5-fold CV"
                        + " on the training set: %.3f%n",
                bow.vocabularySize(),
                bow.c(),
                accuracy.get("bag of words"));

        try (BertEncoder minilm = Bert.allMiniLmL6V2();
                Backbone<String> short128 = minilm.backbone(Pooling.MEAN, SHORT)) {
            long truncated = IntStream.range(0, test.size())
                    .filter(i -> minilm.tokenizer().encode(test.input(i)).length + 2 > SHORT)
                    .count();
            System.out.printf(
                    Locale.ROOT,
                    "3. all-MiniLM-L6-v2 (%s): %d of %d test messages (%.0f%%) are longer than"
                            + " %d tokens and get truncated%n",
                    minilm.provenance().source(),
                    truncated,
                    test.size(),
                    100.0 * truncated / test.size(),
                    SHORT);

            t = System.nanoTime();
            CachedEmbeddings pretrained = CachedEmbeddings.of(short128, train, test);
            record(accuracy, seconds, "features 128", pretrained.logisticRegression(config.seed()), t);
            accuracy.put("centroid 128", pretrained.nearestCentroid());
            System.out.printf(
                    Locale.ROOT,
                    "   feature extraction (frozen, cached embeddings, logistic regression): %.3f;"
                            + " nearest class centroid: %.3f%n",
                    accuracy.get("features 128"),
                    accuracy.get("centroid 128"));

            long fineTuneStart = System.nanoTime();
            fitAndTest(
                    fineTuneRecipe(short128, config.seed()),
                    train,
                    test,
                    "fine-tune",
                    acc -> record(accuracy, seconds, "fine-tune 128", acc, fineTuneStart),
                    Path.of("target", "nlp-quickstart-report", "seed-" + config.seed()));

            long scratchStart = System.nanoTime();
            try (Backbone<String> random = untrained(short128)) {
                fitAndTest(
                        scratchRecipe(random, config.seed()),
                        train,
                        test,
                        "scratch",
                        acc -> record(accuracy, seconds, "scratch 128", acc, scratchStart),
                        null);
            }

            if (config.levers()) {
                NlpLevers.run(config, minilm, short128, bow, train, test, accuracy, seconds);
            }
            System.out.printf(
                    Locale.ROOT,
                    "   texts truncated at %d tokens during the run: %d%n",
                    SHORT,
                    ((TextPipeline) short128.pipeline()).encoder().truncatedCount());
        }
        return new Result(accuracy, seconds, train.size(), test.size());
    }

    /**
     * Returns the quick start's fine-tuning recipe for a BERT-family backbone: embeddings frozen, the
     * encoder at 0.05 of the head's rate, AdamW 1e-3 with warmup-cosine, 8 epochs of batch 16. Other
     * examples compare against exactly this recipe.
     *
     * @param backbone the backbone
     * @param seed the seed of initialisation and shuffling
     * @return the learner
     */
    public static TransferLearner<String> fineTuneRecipe(Backbone<String> backbone, long seed) {
        return TransferLearner.from(backbone)
                .freezeUntil("encoder.layer.0")
                .optimizer(OptimizerSpec.adamW(1e-3f, 0.01f))
                .backboneLearningRate(0.05f)
                .schedule(LearningRateSchedule.warmupCosine(0.1))
                .epochs(8)
                .batchSize(16)
                .seed(seed)
                .progressBar(false);
    }

    /**
     * Returns the same architecture and pipeline as a backbone, with randomly initialised weights.
     *
     * @param backbone the pretrained backbone
     * @return an untrained backbone
     */
    static Backbone<String> untrained(Backbone<String> backbone) {
        return Backbone.<String>builder()
                .setArchitecture(backbone.architecture())
                .setPipeline(backbone.pipeline())
                .build();
    }

    /**
     * Returns the quick start's honest scratch baseline for an untrained backbone: everything trained,
     * AdamW 1e-4 with warmup-cosine, gradients clipped at norm 1, 20 epochs of batch 16.
     *
     * @param untrained the randomly initialised backbone
     * @param seed the seed of initialisation and shuffling
     * @return the learner
     */
    static TransferLearner<String> scratchRecipe(Backbone<String> untrained, long seed) {
        return TransferLearner.from(untrained)
                .unfreezeAll()
                .backboneLearningRate(1f)
                .optimizer(OptimizerSpec.adamW(1e-4f, 0.01f))
                .schedule(LearningRateSchedule.warmupCosine(0.1))
                .clipGradientNorm(1.0)
                .epochs(20)
                .batchSize(16)
                .seed(seed)
                .progressBar(false);
    }

    /**
     * Fits a learner and tests the model, hands its accuracy to {@code tested} at once (so that a timing ends
     * there), then writes the model's training report, with the 12 worst-classified test e-mails as snippets, into
     * {@code report} unless it is null.
     */
    private static void fitAndTest(
            TransferLearner<String> learner,
            LabeledData<String> train,
            LabeledData<String> test,
            String name,
            DoubleConsumer tested,
            Path report) {
        try (TransferModel<String> model = learner.fit(train)) {
            EpochRecord last = model.history().last();
            ClassificationReport evaluation = model.evaluate(test);
            tested.accept(evaluation.accuracy());
            System.out.printf(
                    Locale.ROOT,
                    "   %s: test %.3f (last epoch: train loss %.3f, train accuracy %.3f)%n",
                    name,
                    evaluation.accuracy(),
                    last.trainLoss(),
                    last.metrics().get("train_accuracy"));
            if (report != null) {
                Path html = TrainingReport.of(model)
                        .withEvaluation(evaluation)
                        .withWorstExamples(test, ExampleView.text(300), 12)
                        .write(report);
                System.out.println("   its training report: " + html);
            }
        }
    }

    /** Records a method's accuracy and the seconds since {@code start}. */
    static void record(
            Map<String, Double> accuracy, Map<String, Double> seconds, String method, double acc, long start) {
        accuracy.put(method, acc);
        seconds.put(method, seconds(start));
    }

    /** Returns the seconds since {@code start}, a {@link System#nanoTime()}. */
    static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Lists the methods run. */
    static List<String> methods(Result result) {
        return List.copyOf(result.accuracy().keySet());
    }
}
