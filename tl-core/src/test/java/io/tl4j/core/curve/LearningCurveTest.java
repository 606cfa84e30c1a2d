package io.tl4j.core.curve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Architectures;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.demo.SyntheticWorld;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Learning curves: accuracy rises with labels on a synthetic task, every method sees the same (nested)
 * subsets, a pool too small is refused before any fit, and the result prints as a table, JSON and CSV.
 */
class LearningCurveTest {

    private static final SyntheticWorld WORLD = SyntheticWorld.create(7, 6, 32, 64, 4f, 0.3f);
    private static final SyntheticWorld.Task TASK = WORLD.task("c", 5, 11);

    private static LabeledData<float[]> draw(int perClass, long seed) {
        SyntheticWorld.Sample s = TASK.sample(perClass, seed);
        return LabeledData.of(s.inputs(), s.labels(), s.classNames());
    }

    /** Nearest class centroid in input space: a classical baseline whose centroids sharpen with more labels. */
    private static CurveMethod<float[]> nearestCentroid() {
        return (train, seed) -> {
            int dim = train.input(0).length;
            double[][] centroid = new double[train.numClasses()][dim];
            int[] counts = train.classCounts();
            for (int i = 0; i < train.size(); i++) {
                for (int j = 0; j < dim; j++) {
                    centroid[train.label(i)][j] += train.input(i)[j] / counts[train.label(i)];
                }
            }
            return test -> {
                int[] predicted = new int[test.size()];
                for (int i = 0; i < test.size(); i++) {
                    double best = Double.MAX_VALUE;
                    for (int c = 0; c < centroid.length; c++) {
                        double d = 0;
                        for (int j = 0; j < dim; j++) {
                            double diff = test.input(i)[j] - centroid[c][j];
                            d += diff * diff;
                        }
                        if (d < best) {
                            best = d;
                            predicted[i] = c;
                        }
                    }
                }
                return ClassificationReport.of(test.labels(), predicted, test.classNames());
            };
        };
    }

    @Test
    void accuracyRisesWithLabelsPerClass() {
        LearningCurveResult result = LearningCurve.<float[]>create()
                .method("nearest centroid", nearestCentroid())
                .labelsPerClass(1, 5, 40)
                .seeds(1, 2, 3, 4, 5)
                .run(draw(40, 1), draw(200, 2));
        List<CurvePoint> points = result.points("nearest centroid");
        assertThat(points).extracting(CurvePoint::labelsPerClass).containsExactly(1, 5, 40);
        assertThat(points.get(1).mean()).isGreaterThan(points.get(0).mean() + 0.05);
        assertThat(points.get(2).mean()).isGreaterThan(points.get(1).mean() + 0.05);
        for (CurvePoint p : points) {
            assertThat(p.accuracies()).hasSize(5);
            assertThat(p.min()).isLessThanOrEqualTo(p.mean());
            assertThat(p.max()).isGreaterThanOrEqualTo(p.mean());
        }
        // 40 per class is the whole pool: every seed draws the same data, so the spread vanishes
        assertThat(points.get(2).max() - points.get(2).min()).isZero();
        assertThat(points.get(0).max() - points.get(0).min()).isPositive();
    }

    @Test
    void aTransferLearnerIsAMethodAndImprovesWithLabels() {
        LabeledData<float[]> pool = draw(30, 1);
        LabeledData<float[]> test = draw(100, 2);
        try (Backbone<float[]> mlp = Backbone.<float[]>builder()
                .setArchitecture(Architectures.mlp(32))
                .setPipeline(TensorPipeline.of(new Shape(64)))
                .build()) {
            TransferLearner<float[]> learner = TransferLearner.from(mlp)
                    .unfreezeAll()
                    .epochs(30)
                    .batchSize(16)
                    .learningRate(1e-2f)
                    .progressBar(false);
            LearningCurveResult result = LearningCurve.<float[]>create()
                    .method("mlp", CurveMethod.of(learner))
                    .labelsPerClass(1, 30)
                    .seeds(1, 2)
                    .run(pool, test);
            assertThat(result.point("mlp", 30).mean())
                    .as(result.table())
                    .isGreaterThan(result.point("mlp", 1).mean() + 0.1);
            assertThat(result.testExamples()).isEqualTo(500);
        }
    }

    @Test
    void everyMethodSeesTheSameSubsetAndSubsetsGrowNested() {
        Map<String, List<float[]>> seen = new HashMap<>();
        List<Long> seedsPassed = new ArrayList<>();
        CurveMethod<float[]> recorder = (train, seed) -> {
            seedsPassed.add(seed);
            seen.put(train.size() / 5 + "/" + seed + "/" + seen.size(), train.inputs());
            return test -> ClassificationReport.of(test.labels(), test.labels(), test.classNames());
        };
        List<List<float[]>> byFit = new ArrayList<>();
        CurveMethod<float[]> a = (train, seed) -> {
            byFit.add(train.inputs());
            return recorder.fit(train, seed);
        };
        CurveMethod<float[]> b = (train, seed) -> {
            byFit.add(train.inputs());
            return recorder.fit(train, seed);
        };
        LearningCurveResult result = LearningCurve.<float[]>create()
                .method("a", a)
                .method("b", b)
                .labelsPerClass(2, 5, 10)
                .seeds(7, 8)
                .run(draw(10, 1), draw(3, 2));
        // fits run count by count, seed by seed, method a then b: pairs (a, b) saw the very same inputs
        assertThat(byFit).hasSize(12);
        for (int i = 0; i < byFit.size(); i += 2) {
            assertThat(byFit.get(i + 1)).containsExactlyElementsOf(byFit.get(i));
        }
        assertThat(seedsPassed).containsExactly(7L, 7L, 8L, 8L, 7L, 7L, 8L, 8L, 7L, 7L, 8L, 8L);
        // for one seed, the subset at 2 per class lies inside the one at 5, which lies inside the one at 10
        List<float[]> seed7at2 = byFit.get(0);
        List<float[]> seed7at5 = byFit.get(4);
        List<float[]> seed7at10 = byFit.get(8);
        assertThat(seed7at2).hasSize(10);
        assertThat(seed7at5).hasSize(25).containsAll(seed7at2);
        assertThat(seed7at10).hasSize(50).containsAll(seed7at5);
        // another seed draws another subset
        assertThat(byFit.get(2)).isNotEqualTo(seed7at2);
        assertThat(result.point("b", 5).accuracies()).containsExactly(1.0, 1.0);
    }

    @Test
    void askingForMoreLabelsThanAClassHasNamesTheClassBeforeAnyFit() {
        LabeledData<float[]> full = draw(6, 1);
        int[] keep = java.util.stream.IntStream.range(0, full.size())
                .filter(i -> full.label(i) != 3 || i % 6 < 3)
                .toArray();
        LabeledData<float[]> pool = full.subset(keep);
        int[] fits = {0};
        LearningCurve<float[]> curve = LearningCurve.<float[]>create()
                .method("never", (train, seed) -> {
                    fits[0]++;
                    throw new AssertionError("must not fit");
                })
                .labelsPerClass(1, 5);
        assertThatThrownBy(() -> curve.run(pool, draw(2, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the learning curve asks for 5 labels per class, but in the training pool class 'c3' has 3");
        assertThat(fits[0]).isZero();
    }

    @Test
    void badSettingsAndFailingMethodsAreNamed() {
        LearningCurve<float[]> curve = LearningCurve.create();
        assertThatThrownBy(() -> curve.run(draw(5, 1), draw(2, 2))).hasMessageContaining("no method");
        CurveMethod<float[]> perfect =
                (train, seed) -> test -> ClassificationReport.of(test.labels(), test.labels(), test.classNames());
        assertThatThrownBy(() -> curve.method("x", perfect).method("x", perfect))
                .hasMessageContaining("already has a method named 'x'");
        assertThatThrownBy(() -> curve.labelsPerClass(2, 2)).hasMessageContaining("strictly ascending, got [2, 2]");
        assertThatThrownBy(() -> curve.labelsPerClass(0, 2)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> curve.seeds(1, 1)).hasMessageContaining("without repeats");
        assertThatThrownBy(() -> curve.seeds()).hasMessageContaining("at least one");
        LearningCurve<float[]> failing = curve.labelsPerClass(1, 2).seeds(4).method("boom", (train, seed) -> {
            if (train.size() > 5) {
                throw new IllegalStateException("out of memory");
            }
            return perfect.fit(train, seed);
        });
        assertThatThrownBy(() -> failing.run(draw(5, 1), draw(2, 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("learning-curve method 'boom' failed at 2 labels per class, seed 4: out of memory");
        LabeledData<float[]> otherClasses = LabeledData.of(List.of(new float[64]), new int[] {0}, List.of("elsewhere"));
        assertThatThrownBy(() -> curve.method("p", perfect).run(draw(5, 1), otherClasses))
                .hasMessageContaining("differ from the pool's");
        assertThatThrownBy(() -> LearningCurve.<float[]>create()
                        .method("p", perfect)
                        .run(draw(60, 1), draw(2, 2))
                        .point("q", 1))
                .hasMessageContaining("no method named 'q'");
    }

    @Test
    void theResultPrintsAsTableJsonAndCsvAndReportsProgress() {
        // accuracy = labels per class / 10 + seed / 100, exactly, on a test set of 100
        CurveMethod<float[]> known = (train, seed) -> test -> {
            int right = train.size() / 2 * 10 + (int) seed;
            int[] predicted = test.labels();
            for (int i = right; i < predicted.length; i++) {
                predicted[i] = 1 - predicted[i];
            }
            return ClassificationReport.of(test.labels(), predicted, test.classNames());
        };
        List<String> events = new ArrayList<>();
        LearningCurveListener listener = new LearningCurveListener() {
            @Override
            public void started(String method, int labelsPerClass, long seed, int index, int total) {
                events.add("start " + method + " " + labelsPerClass + " " + seed + " " + index + "/" + total);
            }

            @Override
            public void finished(
                    String method,
                    int labelsPerClass,
                    long seed,
                    double accuracy,
                    double seconds,
                    int index,
                    int total) {
                events.add(String.format(java.util.Locale.ROOT, "done %s %.2f %d/%d", method, accuracy, index, total));
            }
        };
        int[] labels = java.util.stream.IntStream.range(0, 100).map(i -> i % 2).toArray();
        LabeledData<float[]> two = LabeledData.of(draw(20, 1).inputs(), labels, List.of("a", "b"));
        LearningCurveResult result = LearningCurve.<float[]>create()
                .method("known, quoted", known)
                .labelsPerClass(2, 5)
                .seeds(1, 3)
                .listener(listener)
                .run(two, two);
        assertThat(events).hasSize(8).startsWith("start known, quoted 2 1 1/4", "done known, quoted 0.21 1/4");
        assertThat(events.get(7)).isEqualTo("done known, quoted 0.53 4/4");
        CurvePoint at5 = result.point("known, quoted", 5);
        assertThat(at5.accuracies()).containsExactly(0.51, 0.53);
        assertThat(at5.mean()).isEqualTo(0.52, org.assertj.core.api.Assertions.within(1e-12));

        assertThat(result.table())
                .contains("test accuracy on 100 examples of 2 classes, 2 seeds")
                .contains("seed 1", "seed 3")
                .containsPattern("known, quoted\\s+5\\s+0\\.520\\s+0\\.510\\s+0\\.530\\s+0\\.510\\s+0\\.530");

        JsonObject json = JsonParser.parseString(result.toJson()).getAsJsonObject();
        assertThat(json.get("test_examples").getAsInt()).isEqualTo(100);
        assertThat(json.getAsJsonArray("seeds").toString()).isEqualTo("[1,3]");
        JsonObject point = json.getAsJsonArray("methods")
                .get(0)
                .getAsJsonObject()
                .getAsJsonArray("points")
                .get(1)
                .getAsJsonObject();
        assertThat(point.get("labels_per_class").getAsInt()).isEqualTo(5);
        assertThat(point.getAsJsonArray("accuracies").toString()).isEqualTo("[0.51,0.53]");
        assertThat(point.get("max").getAsDouble()).isEqualTo(0.53);

        String[] csv = result.toCsv().split("\r\n");
        assertThat(csv).hasSize(3);
        assertThat(csv[0]).isEqualTo("method,labels_per_class,mean,min,max,seconds_mean,seed_1,seed_3");
        assertThat(Arrays.copyOfRange(csv[2].split(","), 0, 6))
                .startsWith("\"known", " quoted\"", "5", "0.52", "0.51", "0.53");
    }
}
