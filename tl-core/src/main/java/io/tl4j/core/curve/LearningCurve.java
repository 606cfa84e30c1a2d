package io.tl4j.core.curve;

import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws learning curves: the test accuracy of several methods against the number of labels per class,
 * over several seeds. It answers "does transfer help on my data, and from how many labels?".
 *
 * <pre>{@code
 * LearningCurveResult curve = LearningCurve.<float[]>create()
 *         .method("feature extraction", CurveMethod.of(learner.freezeAll()))
 *         .method("fine-tuning", CurveMethod.of(learner.freezeUntil("layer3")))
 *         .method("scratch", CurveMethod.of(TransferLearner.from(untrained).unfreezeAll()))
 *         .labelsPerClass(1, 2, 5, 10, 20, 50)
 *         .seeds(1, 2, 3)
 *         .run(pool, test);
 * System.out.print(curve.table());
 * }</pre>
 *
 * <p>For each count and seed it draws one class-balanced subset of the pool with {@link
 * LabeledData#samplePerClass(int, long)} and fits every method on that same subset, so methods are
 * compared on the same data; for one seed the subsets are nested (the subset at 5 per class holds the
 * one at 2). Every fit is evaluated on the same test set and closed before the next starts. Progress goes
 * to a {@link LearningCurveListener} and to the log at INFO. Every method returns a new curve.
 *
 * @param <I> the input type
 */
public final class LearningCurve<I> {

    private static final Logger LOG = LoggerFactory.getLogger(LearningCurve.class);

    private final Map<String, CurveMethod<I>> methods;
    private final int[] labelsPerClass;
    private final long[] seeds;
    private final LearningCurveListener listener;

    private LearningCurve(
            Map<String, CurveMethod<I>> methods, int[] labelsPerClass, long[] seeds, LearningCurveListener listener) {
        this.methods = methods;
        this.labelsPerClass = labelsPerClass;
        this.seeds = seeds;
        this.listener = listener;
    }

    /**
     * Starts a curve without methods, at 1, 2, 5, 10, 20 and 50 labels per class, seeds 1, 2 and 3.
     *
     * @param <I> the input type
     * @return the curve
     */
    public static <I> LearningCurve<I> create() {
        return new LearningCurve<>(
                new LinkedHashMap<>(),
                new int[] {1, 2, 5, 10, 20, 50},
                new long[] {1, 2, 3},
                new LearningCurveListener() {});
    }

    /**
     * Adds a method; methods run, and are listed, in the order they are added.
     *
     * @param name the method's name, shown in tables and charts
     * @param method how it fits
     * @return a curve with the method
     * @throws IllegalArgumentException if the name is blank or already used
     */
    public LearningCurve<I> method(String name, CurveMethod<I> method) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a learning-curve method needs a name, got a blank one");
        }
        if (methods.containsKey(name)) {
            throw new IllegalArgumentException("the learning curve already has a method named '" + name + "'");
        }
        Map<String, CurveMethod<I>> more = new LinkedHashMap<>(methods);
        more.put(name, method);
        return new LearningCurve<>(more, labelsPerClass, seeds, listener);
    }

    /**
     * Sets the numbers of labels per class to measure at.
     *
     * @param counts at least one, each at least 1, strictly ascending
     * @return a curve with these counts
     * @throws IllegalArgumentException if the counts are empty, below 1 or not strictly ascending
     */
    public LearningCurve<I> labelsPerClass(int... counts) {
        if (counts.length == 0) {
            throw new IllegalArgumentException("labelsPerClass needs at least one count");
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 1 || (i > 0 && counts[i] <= counts[i - 1])) {
                throw new IllegalArgumentException(
                        "labelsPerClass must be at least 1 and strictly ascending, got " + Arrays.toString(counts));
            }
        }
        return new LearningCurve<>(methods, counts.clone(), seeds, listener);
    }

    /**
     * Sets the seeds: each draws its own subsets and seeds every fit on them.
     *
     * @param seeds at least one, no repeats
     * @return a curve with these seeds
     * @throws IllegalArgumentException if there is no seed or one repeats
     */
    public LearningCurve<I> seeds(long... seeds) {
        if (seeds.length == 0 || Arrays.stream(seeds).distinct().count() != seeds.length) {
            throw new IllegalArgumentException(
                    "seeds must be at least one, without repeats, got " + Arrays.toString(seeds));
        }
        return new LearningCurve<>(methods, labelsPerClass, seeds.clone(), listener);
    }

    /**
     * Sets who hears of every fit's start and result.
     *
     * @param listener the listener
     * @return a curve reporting to it
     */
    public LearningCurve<I> listener(LearningCurveListener listener) {
        return new LearningCurve<>(methods, labelsPerClass, seeds, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs every method on every (labels per class, seed) subset of the pool and evaluates it on the
     * test set. The pool is checked before anything is fitted.
     *
     * @param pool the labelled data the training subsets are drawn from
     * @param test the fixed test set, with the pool's class names; keep it apart from the pool
     * @return the accuracies
     * @throws IllegalArgumentException if there is no method, the test set is empty or its classes differ
     *     from the pool's, or a class of the pool has fewer examples than the largest count, naming the
     *     class and how many it has
     * @throws IllegalStateException if a fit or evaluation fails, naming the method, count and seed (the
     *     cause attached)
     */
    public LearningCurveResult run(LabeledData<I> pool, LabeledData<I> test) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(test, "test");
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("the learning curve has no method: add one with method(name, method)");
        }
        if (test.size() == 0) {
            throw new IllegalArgumentException("the learning curve's test set is empty");
        }
        if (!test.classNames().equals(pool.classNames())) {
            throw new IllegalArgumentException(
                    "the test set's classes " + test.classNames() + " differ from the pool's " + pool.classNames());
        }
        checkPool(pool);
        List<String> names = List.copyOf(methods.keySet());
        double[][][] accuracy = new double[names.size()][labelsPerClass.length][seeds.length];
        double[][][] seconds = new double[names.size()][labelsPerClass.length][seeds.length];
        int total = names.size() * labelsPerClass.length * seeds.length;
        int index = 0;
        for (int c = 0; c < labelsPerClass.length; c++) {
            for (int s = 0; s < seeds.length; s++) {
                LabeledData<I> train = pool.samplePerClass(labelsPerClass[c], seeds[s]);
                for (int m = 0; m < names.size(); m++) {
                    index++;
                    listener.started(names.get(m), labelsPerClass[c], seeds[s], index, total);
                    long t0 = System.nanoTime();
                    accuracy[m][c][s] = fitAndEvaluate(names.get(m), train, test, labelsPerClass[c], seeds[s]);
                    seconds[m][c][s] = (System.nanoTime() - t0) / 1e9;
                    LOG.info(String.format(
                            Locale.ROOT,
                            "learning curve %d/%d: %s, %d per class, seed %d: accuracy %.4f (%.1f s)",
                            index,
                            total,
                            names.get(m),
                            labelsPerClass[c],
                            seeds[s],
                            accuracy[m][c][s],
                            seconds[m][c][s]));
                    listener.finished(
                            names.get(m),
                            labelsPerClass[c],
                            seeds[s],
                            accuracy[m][c][s],
                            seconds[m][c][s],
                            index,
                            total);
                }
            }
        }
        List<CurvePoint> points = new ArrayList<>();
        for (int m = 0; m < names.size(); m++) {
            for (int c = 0; c < labelsPerClass.length; c++) {
                points.add(new CurvePoint(names.get(m), labelsPerClass[c], accuracy[m][c], seconds[m][c]));
            }
        }
        return new LearningCurveResult(names, labelsPerClass, seeds, points, pool.classNames(), test.size());
    }

    private double fitAndEvaluate(String name, LabeledData<I> train, LabeledData<I> test, int count, long seed) {
        try (CurveModel<I> model = methods.get(name).fit(train, seed)) {
            if (model == null) {
                throw new IllegalStateException("method '" + name + "' returned no model");
            }
            return model.evaluate(test).accuracy();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "learning-curve method '" + name + "' failed at " + count + " labels per class, seed " + seed + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Refuses a pool in which a class has fewer examples than the largest count, naming each such class. */
    private void checkPool(LabeledData<I> pool) {
        int largest = labelsPerClass[labelsPerClass.length - 1];
        int[] counts = pool.classCounts();
        List<String> tooSmall = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < largest) {
                tooSmall.add("class '" + pool.classNames().get(c) + "' has " + counts[c]);
            }
        }
        if (!tooSmall.isEmpty()) {
            throw new IllegalArgumentException("the learning curve asks for " + largest
                    + " labels per class, but in the training pool " + String.join(", ", tooSmall));
        }
    }

    /**
     * Describes the curve's methods, counts and seeds.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "LearningCurve[methods=" + methods.keySet() + ", labelsPerClass=" + Arrays.toString(labelsPerClass)
                + ", seeds=" + Arrays.toString(seeds) + "]";
    }
}
