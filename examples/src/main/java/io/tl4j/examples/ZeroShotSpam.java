package io.tl4j.examples;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import io.tl4j.examples.adaptation.SpamCase;
import io.tl4j.examples.catalog.TextBackbones;
import io.tl4j.nlp.baseline.LogisticRegression;
import io.tl4j.nlp.data.TextData;
import io.tl4j.nlp.data.TextFormat;
import io.tl4j.nlp.fewshot.BackboneEmbedder;
import io.tl4j.nlp.fewshot.NearestCentroidClassifier;
import io.tl4j.nlp.zeroshot.ClassDescriptions;
import io.tl4j.nlp.zeroshot.EncoderPrefixes;
import io.tl4j.nlp.zeroshot.ZeroShotClassifier;
import io.tl4j.nlp.zeroshot.ZeroShotPrior;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Spam filtering with no labels, then with a few: zero-shot classification by class descriptions
 * with three sentence encoders, and a few-shot head that starts from the zero-shot answer ({@link
 * ZeroShotPrior}) against the same logistic regression started from zero and a nearest class
 * centroid, at 2, 8 and 32 labels per class over three seeds.
 *
 * <p>Protocol: 500 test messages (the quick start's seed-1 split); the class descriptions are
 * chosen per encoder among four sets by accuracy on 200 development messages from the training
 * side, never on the test set; centring uses 300 other unlabelled training-side messages; the
 * few-shot prior is the centred classifier with its temperature calibrated on the same labels the
 * head sees. Texts are cut at the models' full 512 tokens. Ends with a
 * {@code RESULT zeroshot ...} line for the best encoder.
 */
public final class ZeroShotSpam {

    /** Tokens per text: the models' full length (most messages are longer than 128 tokens). */
    static final int TOKENS = SpamCase.ZERO_SHOT_TOKENS;

    /** Labels per class for the few-shot rows. */
    static final int[] SHOTS = {2, 8, 32};

    /** The candidate class descriptions, tried on the development messages. */
    static final Map<String, ClassDescriptions> DESCRIPTIONS = SpamCase.DESCRIPTION_SETS;

    private ZeroShotSpam() {}

    /** The encoders compared, each with the prefixes its model card asks for. */
    enum Encoder {
        MINILM(TextBackbones.ALL_MINILM_L6_V2, EncoderPrefixes.none()),
        E5(TextBackbones.E5_SMALL_V2, EncoderPrefixes.e5()),
        BGE(TextBackbones.BGE_SMALL_EN_V15, EncoderPrefixes.bgeQuery());

        final TextBackbones backbone;
        final EncoderPrefixes prefixes;

        Encoder(TextBackbones backbone, EncoderPrefixes prefixes) {
            this.backbone = backbone;
            this.prefixes = prefixes;
        }
    }

    /** The texts the measurement embeds: test, development, unlabelled pool and labelled samples. */
    record Texts(
            LabeledData<String> test,
            LabeledData<String> dev,
            List<String> pool,
            Map<Long, Map<Integer, LabeledData<String>>> labelled) {

        static Texts load(long[] seeds) {
            LabeledData<String> all = TextData.resource(TextFormat.JSONL, NlpQuickStart.class, "spam/messages.jsonl.gz")
                    .text("body")
                    .label("label")
                    .classes("ham", "spam")
                    .read();
            Split<String> split = all.stratifiedSplit(500.0 / all.size(), 1);
            Split<String> side =
                    split.train().stratifiedSplit(500.0 / split.train().size(), 0);
            LabeledData<String> held = side.validation(); // 200 development + 300 pool
            Split<String> devPool = held.stratifiedSplit(0.4, 0);
            Map<Long, Map<Integer, LabeledData<String>>> labelled = new LinkedHashMap<>();
            for (long seed : seeds) {
                Map<Integer, LabeledData<String>> byShots = new LinkedHashMap<>();
                for (int shots : SHOTS) {
                    byShots.put(shots, side.train().samplePerClass(shots, seed));
                }
                labelled.put(seed, byShots);
            }
            return new Texts(
                    split.validation(), devPool.validation(), devPool.train().inputs(), labelled);
        }
    }

    /** One encoder's results. */
    record Result(
            String encoder,
            String descriptions,
            double devAccuracy,
            double zeroShot,
            double centred,
            double nllDefault,
            double nllCalibrated,
            double temperature,
            Map<String, double[]> fewShot) {}

    /**
     * Runs the comparison.
     *
     * @param args {@code --seeds=1,2,3} (default) and {@code --encoders=MINILM,E5,BGE} (default all)
     */
    public static void main(String[] args) {
        long start = System.nanoTime();
        long[] seeds = Arrays.stream(option(args, "seeds", "1,2,3").split(","))
                .mapToLong(Long::parseLong)
                .toArray();
        Texts texts = Texts.load(seeds);
        List<Result> results = new ArrayList<>();
        for (String name : option(args, "encoders", "E5,MINILM,BGE").split(",")) {
            results.add(run(Encoder.valueOf(name.trim()), texts, seeds));
            print(results.get(results.size() - 1), seeds);
        }
        Result best = results.stream()
                .max((a, b) -> Double.compare(a.devAccuracy(), b.devAccuracy()))
                .orElseThrow();
        System.out.printf(
                Locale.ROOT,
                "RESULT zeroshot encoder=%s tokens=%d zeroshot_acc=%.4f raw_acc=%.4f prior_2=%.4f plain_2=%.4f prior_8=%.4f"
                        + " plain_8=%.4f prior_32=%.4f plain_32=%.4f n_test=%d seconds=%.0f%n",
                best.encoder(),
                TOKENS,
                best.centred(),
                best.zeroShot(),
                mean(best.fewShot().get("prior 2")),
                mean(best.fewShot().get("plain 2")),
                mean(best.fewShot().get("prior 8")),
                mean(best.fewShot().get("plain 8")),
                mean(best.fewShot().get("prior 32")),
                mean(best.fewShot().get("plain 32")),
                texts.test().size(),
                (System.nanoTime() - start) / 1e9);
    }

    static Result run(Encoder encoder, Texts texts, long[] seeds) {
        try (BackboneEmbedder embedder = BackboneEmbedder.of(encoder.backbone.backbone(TOKENS))) {
            Map<String, ZeroShotClassifier> candidates = new LinkedHashMap<>();
            DESCRIPTIONS.forEach((name, classes) ->
                    candidates.put(name, ZeroShotClassifier.create(embedder, classes, encoder.prefixes)));
            ZeroShotClassifier any = candidates.values().iterator().next();
            float[][] pool = any.embed(texts.pool());
            float[][] dev = any.embed(texts.dev().inputs());
            String chosen = null;
            double bestDev = -1;
            for (Map.Entry<String, ZeroShotClassifier> c : candidates.entrySet()) {
                ZeroShotClassifier centred = c.getValue().centredOn(pool);
                double accuracy = accuracy(dev, texts.dev().labels(), centred::predict);
                if (accuracy > bestDev) {
                    bestDev = accuracy;
                    chosen = c.getKey();
                }
            }
            ZeroShotClassifier raw = candidates.get(chosen);
            ZeroShotClassifier centred = raw.centredOn(pool);
            float[][] test = raw.embed(texts.test().inputs());
            int[] truth = texts.test().labels();
            Map<String, double[]> fewShot = new LinkedHashMap<>();
            ZeroShotClassifier calibrated = centred;
            for (int s = 0; s < seeds.length; s++) {
                for (int shots : SHOTS) {
                    LabeledData<String> labelled =
                            texts.labelled().get(seeds[s]).get(shots);
                    LabeledData<float[]> embedded = LabeledData.of(
                            Arrays.asList(raw.embed(labelled.inputs())), labelled.labels(), labelled.classNames());
                    float[][] vectors = embedded.inputs().toArray(float[][]::new);
                    LogisticRegression prior =
                            ZeroShotPrior.fit(centred.calibrated(vectors, embedded.labels()), embedded, seeds[s]);
                    LogisticRegression plain = LogisticRegression.fitCrossValidated(
                            embedded, new double[] {0.01, 0.1, 1, 10, 100, 1000}, 5, seeds[s]);
                    NearestCentroidClassifier centroid =
                            NearestCentroidClassifier.fit(vectors, embedded.labels(), embedded.classNames());
                    put(fewShot, "prior " + shots, s, seeds.length, accuracy(test, truth, prior::predict));
                    put(fewShot, "plain " + shots, s, seeds.length, accuracy(test, truth, plain::predict));
                    put(fewShot, "centroid " + shots, s, seeds.length, accuracy(test, truth, centroid::predict));
                    if (s == 0 && shots == 8) {
                        calibrated = centred.calibrated(embedded.inputs().toArray(float[][]::new), embedded.labels());
                    }
                }
            }
            return new Result(
                    encoder.backbone.displayName(),
                    chosen,
                    bestDev,
                    accuracy(test, truth, raw::predict),
                    accuracy(test, truth, centred::predict),
                    nll(centred, test, truth),
                    nll(calibrated, test, truth),
                    calibrated.temperature(),
                    fewShot);
        }
    }

    private static void put(Map<String, double[]> table, String row, int seed, int seeds, double value) {
        table.computeIfAbsent(row, k -> new double[seeds])[seed] = value;
    }

    static double accuracy(float[][] embeddings, int[] labels, ToIntFunction<float[]> predict) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predict.applyAsInt(embeddings[i]) == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    private static double nll(ZeroShotClassifier classifier, float[][] embeddings, int[] labels) {
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            total -= Math.log(Math.max(classifier.probabilities(embeddings[i])[labels[i]], 1e-12));
        }
        return total / labels.length;
    }

    private static void print(Result r, long[] seeds) {
        System.out.printf(
                Locale.ROOT,
                "%n%s: descriptions '%s' (development accuracy %.3f); zero-shot %.3f, centred %.3f;"
                        + " test cross-entropy %.3f at T=%.2f, %.3f calibrated (T=%.3f)%n",
                r.encoder(),
                r.descriptions(),
                r.devAccuracy(),
                r.zeroShot(),
                r.centred(),
                r.nllDefault(),
                ZeroShotClassifier.DEFAULT_TEMPERATURE,
                r.nllCalibrated(),
                r.temperature());
        System.out.println("| labels per class | zero-shot prior | plain logistic regression | nearest centroid |");
        System.out.println("| ---: | ---: | ---: | ---: |");
        System.out.printf(Locale.ROOT, "| 0 | %.3f | - | - |%n", r.centred());
        for (int shots : SHOTS) {
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %s | %s | %s |%n",
                    shots,
                    meanSd(r.fewShot().get("prior " + shots)),
                    meanSd(r.fewShot().get("plain " + shots)),
                    meanSd(r.fewShot().get("centroid " + shots)));
        }
        System.out.println("(mean ± sd over seeds " + Arrays.toString(seeds) + ")");
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static String meanSd(double[] values) {
        double mean = mean(values);
        if (values.length < 2) {
            return String.format(Locale.ROOT, "%.3f", mean);
        }
        double sd = Math.sqrt(
                Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
        return String.format(Locale.ROOT, "%.3f ± %.3f", mean, sd);
    }

    private static String option(String[] args, String name, String fallback) {
        return Arrays.stream(args)
                .filter(a -> a.startsWith("--" + name + "="))
                .findFirst()
                .map(a -> a.substring(name.length() + 3))
                .orElse(fallback);
    }
}
