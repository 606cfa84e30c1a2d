package io.tl4j.core.curve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link LearningCurve} measured: for every method and number of labels per class, each seed's
 * test accuracy with the mean, minimum and maximum. Printable as a text table ({@link #table()}), JSON
 * ({@link #toJson()}) and CSV ({@link #toCsv()}). Immutable.
 */
public final class LearningCurveResult {

    private final List<String> methods;
    private final int[] labelsPerClass;
    private final long[] seeds;
    private final List<CurvePoint> points;
    private final List<String> classNames;
    private final int testExamples;

    /**
     * Creates a result.
     *
     * @param methods the method names, in run order
     * @param labelsPerClass the counts, ascending
     * @param seeds the seeds, in run order
     * @param points one point per method and count, method by method, counts ascending
     * @param classNames the classes
     * @param testExamples the size of the test set
     */
    LearningCurveResult(
            List<String> methods,
            int[] labelsPerClass,
            long[] seeds,
            List<CurvePoint> points,
            List<String> classNames,
            int testExamples) {
        this.methods = List.copyOf(methods);
        this.labelsPerClass = labelsPerClass.clone();
        this.seeds = seeds.clone();
        this.points = List.copyOf(points);
        this.classNames = List.copyOf(classNames);
        this.testExamples = testExamples;
    }

    /**
     * Returns the method names in the order they were added.
     *
     * @return the names
     */
    public List<String> methods() {
        return methods;
    }

    /**
     * Returns the numbers of labels per class, ascending.
     *
     * @return a copy of the counts
     */
    public int[] labelsPerClass() {
        return labelsPerClass.clone();
    }

    /**
     * Returns the seeds, in run order: the order of every point's accuracies.
     *
     * @return a copy of the seeds
     */
    public long[] seeds() {
        return seeds.clone();
    }

    /**
     * Returns the class names of the data.
     *
     * @return the names
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Returns the number of test examples every accuracy was measured on.
     *
     * @return the test set's size
     */
    public int testExamples() {
        return testExamples;
    }

    /**
     * Returns every point, method by method (in run order), counts ascending.
     *
     * @return the points
     */
    public List<CurvePoint> points() {
        return points;
    }

    /**
     * Returns one method's points, counts ascending.
     *
     * @param method a method's name
     * @return its points
     * @throws IllegalArgumentException if no method has that name
     */
    public List<CurvePoint> points(String method) {
        checkMethod(method);
        List<CurvePoint> result = new ArrayList<>();
        for (CurvePoint p : points) {
            if (p.method().equals(method)) {
                result.add(p);
            }
        }
        return List.copyOf(result);
    }

    /**
     * Returns one point.
     *
     * @param method a method's name
     * @param labelsPerClass one of the run's counts
     * @return the point
     * @throws IllegalArgumentException if the method or the count was not in the run
     */
    public CurvePoint point(String method, int labelsPerClass) {
        for (CurvePoint p : points(method)) {
            if (p.labelsPerClass() == labelsPerClass) {
                return p;
            }
        }
        throw new IllegalArgumentException("The learning curve has no point at " + labelsPerClass
                + " labels per class; it ran " + Arrays.toString(this.labelsPerClass));
    }

    /**
     * Formats the result as a text table: a row per method and count with the mean, minimum, maximum,
     * every seed's accuracy and the mean seconds per fit.
     *
     * @return the table
     */
    public String table() {
        return CurveFormats.table(this);
    }

    /**
     * Formats the result as JSON: classes, test size, counts, seeds, and per method its points.
     *
     * @return pretty-printed JSON
     */
    public String toJson() {
        return CurveFormats.json(this);
    }

    /**
     * Formats the result as CSV: a header, then a row per method and count with {@code mean}, {@code
     * min}, {@code max}, {@code seconds_mean} and a {@code seed_<seed>} column per seed.
     *
     * @return CSV with CRLF line ends
     */
    public String toCsv() {
        return CurveFormats.csv(this);
    }

    /**
     * Returns {@link #table()}.
     *
     * @return the table
     */
    @Override
    public String toString() {
        return table();
    }

    private void checkMethod(String method) {
        if (!methods.contains(Objects.requireNonNull(method, "method"))) {
            throw new IllegalArgumentException(
                    "The learning curve has no method named '" + method + "'; it ran " + methods);
        }
    }
}
