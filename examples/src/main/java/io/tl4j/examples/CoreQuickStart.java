package io.tl4j.examples;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import io.tl4j.core.Architecture;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.LearningRateCurve;
import io.tl4j.core.Prediction;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.demo.SyntheticWorld;
import io.tl4j.report.TrainingReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The whole transfer-learning loop in tl-core, on synthetic data that needs no download: pretrain
 * a small network on a source task with plenty of data, transfer it to a related target task with
 * 10 labels per class (feature extraction and fine-tuning), compare with the same network trained
 * from scratch and with logistic regression on the raw inputs; then let the learning-rate range test
 * pick the fine-tuning rate instead of a hand-picked one, write the model's training report (with the
 * range test's plot) next to the saved model, save, reload and classify.
 */
public final class CoreQuickStart {

    private static final int PER_CLASS = 10;
    private static final long[] SEEDS = {1, 2, 3};

    private CoreQuickStart() {}

    /**
     * Runs the core quick start and prints its {@code RESULT} line.
     *
     * @param args none
     */
    public static void main(String[] args) throws Exception {
        SyntheticWorld world = SyntheticWorld.create(7, 6, 32, 64, 4f, 0.3f);
        SyntheticWorld.Task source = world.task("source", 20, 1);
        SyntheticWorld.Task target = world.task("target", 5, 2);
        LabeledData<float[]> test = sample(target, 200, 13);
        TensorPipeline pipeline = TensorPipeline.of(new Shape(64));

        try (Backbone<float[]> init = Backbone.<float[]>builder()
                        .setArchitecture(Architectures.mlp(128, 64))
                        .setPipeline(pipeline)
                        .build();
                Backbone<float[]> identity = Backbone.<float[]>builder()
                        .setArchitecture(Architecture.of("identity", Blocks::batchFlattenBlock))
                        .setPipeline(pipeline)
                        .build()) {
            long start = System.nanoTime();
            System.out.println("1. Pretraining " + init + " on 20 source classes x 300 examples");
            Backbone<float[]> pretrained;
            try (TransferModel<float[]> sourceModel = TransferLearner.from(init)
                    .unfreezeAll()
                    .backboneLearningRate(1f)
                    .epochs(20)
                    .fit(sample(source, 300, 11))) {
                System.out.printf(
                        Locale.ROOT,
                        "   source accuracy %.3f (%.1fs)%n",
                        sourceModel.evaluate(sample(source, 50, 99)).accuracy(),
                        seconds(start));
                pretrained = sourceModel.backbone();
            }

            double[] features = new double[SEEDS.length];
            double[] finetune = new double[SEEDS.length];
            double[] scratch = new double[SEEDS.length];
            double[] logreg = new double[SEEDS.length];
            System.out.println("2. Transfer to 5 new classes with " + PER_CLASS + " labels each; 1,000 test examples");
            for (int i = 0; i < SEEDS.length; i++) {
                long seed = SEEDS[i];
                LabeledData<float[]> train = sample(target, PER_CLASS, 100 + seed);
                TransferLearner<float[]> quiet = TransferLearner.from(pretrained)
                        .progressBar(false)
                        .seed(seed)
                        .learningRate(3e-3f);
                features[i] = accuracy(quiet.freezeAll().epochs(30), train, test);
                finetune[i] = accuracy(quiet.freezeUntil("block2").epochs(30), train, test);
                scratch[i] = accuracy(
                        TransferLearner.from(init)
                                .progressBar(false)
                                .seed(seed)
                                .learningRate(3e-3f)
                                .unfreezeAll()
                                .backboneLearningRate(1f)
                                .epochs(60),
                        train,
                        test);
                logreg[i] = accuracy(
                        TransferLearner.from(identity)
                                .progressBar(false)
                                .seed(seed)
                                .learningRate(1e-2f)
                                .epochs(60),
                        train,
                        test);
                System.out.printf(
                        Locale.ROOT,
                        "   seed %d: features %.3f  fine-tune %.3f  scratch %.3f  logistic regression %.3f%n",
                        seed,
                        features[i],
                        finetune[i],
                        scratch[i],
                        logreg[i]);
            }
            System.out.printf(
                    Locale.ROOT,
                    "   mean: features %s  fine-tune %s  scratch %s  logistic regression %s%n",
                    meanSd(features),
                    meanSd(finetune),
                    meanSd(scratch),
                    meanSd(logreg));

            System.out.println("3. Feature cache: 10 epochs of feature extraction on 1,000 examples, cached vs running"
                    + " the frozen backbone every epoch (after one warm-up run of each)");
            LabeledData<float[]> large = sample(target, 200, 102);
            TransferLearner<float[]> fe =
                    TransferLearner.from(pretrained).progressBar(false).epochs(10);
            time(() -> fe.fit(large).close());
            time(() -> fe.featureCache(false).fit(large).close());
            double cached = time(() -> fe.fit(large).close());
            double naive = time(() -> fe.featureCache(false).fit(large).close());
            System.out.printf(
                    Locale.ROOT, "   cached %.3fs, uncached %.3fs: %.1fx faster%n", cached, naive, naive / cached);

            System.out.println("4. Learning-rate finder, train at its rate, report, save, reload, classify");
            Path dir = Files.createTempDirectory("tl4j-core-quickstart");
            LabeledData<float[]> train = sample(target, PER_CLASS, 101);
            TransferLearner<float[]> tuned = fe.freezeUntil("block2").epochs(30);
            LearningRateCurve curve = tuned.findLearningRate(train);
            // the range test's suggestion; the hand-picked rate only if the sweep suggests nothing
            float rate = (float) curve.suggestion().orElse(3e-3);
            System.out.printf(Locale.ROOT, "   %s; training at %.2g (step 2 used a hand-picked 3e-3)%n", curve, rate);
            try (TransferModel<float[]> model = tuned.learningRate(rate).fit(train)) {
                Path html = TrainingReport.of(model)
                        .withEvaluation(model.evaluate(test))
                        .withLearningRateCurve(curve)
                        .write(dir.resolve("report"));
                System.out.println("   report: " + html);
                model.save(dir);
                try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
                    float[] x = test.input(0);
                    List<Prediction> ranked = loaded.classify(x);
                    boolean same =
                            Arrays.deepEquals(loaded.probabilities(test.inputs()), model.probabilities(test.inputs()));
                    ClassificationReport report = loaded.evaluate(test);
                    System.out.println("   saved to " + dir + "; reloaded predictions identical: " + same);
                    System.out.printf(
                            Locale.ROOT,
                            "   first test example (truth %s): %s (%.2f), then %s (%.2f)%n",
                            test.classNames().get(test.label(0)),
                            ranked.get(0).label(),
                            ranked.get(0).probability(),
                            ranked.get(1).label(),
                            ranked.get(1).probability());
                    System.out.println(report);
                    if (!same) {
                        throw new IllegalStateException("reloaded model predicts differently");
                    }
                }
            }
            pretrained.close();
            double transfer = Math.max(mean(features), mean(finetune));
            System.out.printf(
                    Locale.ROOT,
                    "RESULT core transfer_acc=%.4f scratch_acc=%.4f logreg_acc=%.4f n_train=%d cache_speedup=%.1f"
                            + " found_lr=%.2g seconds=%.0f%n",
                    transfer,
                    mean(scratch),
                    mean(logreg),
                    PER_CLASS * 5,
                    naive / cached,
                    rate,
                    seconds(start));
        }
    }

    private static double accuracy(
            TransferLearner<float[]> learner, LabeledData<float[]> train, LabeledData<float[]> test) {
        try (TransferModel<float[]> model = learner.fit(train)) {
            return model.evaluate(test).accuracy();
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private static double time(Run run) throws Exception {
        long start = System.nanoTime();
        run.run();
        return seconds(start);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static String meanSd(double[] v) {
        double m = mean(v);
        double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
        return String.format(Locale.ROOT, "%.3f ± %.3f", m, sd);
    }

    /** Draws {@code perClass} examples of every class of a synthetic task, as labelled data. */
    private static LabeledData<float[]> sample(SyntheticWorld.Task task, int perClass, long seed) {
        SyntheticWorld.Sample drawn = task.sample(perClass, seed);
        return LabeledData.of(drawn.inputs(), drawn.labels(), drawn.classNames());
    }
}
