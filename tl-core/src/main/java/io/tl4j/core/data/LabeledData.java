package io.tl4j.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An immutable list of inputs with integer class labels and the names of those classes.
 *
 * <p>The input type is free: feature vectors ({@code float[]}), image paths, strings and so on.
 * Label {@code c} refers to {@code classNames().get(c)}. Every method that draws at random takes a
 * seed and gives the same result for the same seed.
 *
 * @param <I> the input type
 */
public final class LabeledData<I> {

    private final List<I> inputs;
    private final int[] labels;
    private final List<String> classNames;

    private LabeledData(List<I> inputs, int[] labels, List<String> classNames) {
        this.inputs = inputs;
        this.labels = labels;
        this.classNames = classNames;
    }

    /**
     * Creates a data set from inputs, their labels and the class names.
     *
     * @param inputs the inputs, none of them null
     * @param labels one label per input, each in {@code [0, classNames.size())}
     * @param classNames the class names: at least one, no duplicates, none null
     * @param <I> the input type
     * @return the data set
     * @throws IllegalArgumentException if the sizes differ, an input is null, a label is out of
     *     range or the class names are empty or repeated
     */
    public static <I> LabeledData<I> of(List<I> inputs, int[] labels, List<String> classNames) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        List<String> names = ClassNames.check(classNames);
        if (inputs.size() != labels.length) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + labels.length + " labels");
        }
        List<I> copy = new ArrayList<>(inputs);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i) == null) {
                throw new IllegalArgumentException("input " + i + " is null");
            }
            if (labels[i] < 0 || labels[i] >= names.size()) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " of example " + i + " is out of range [0, " + names.size() + ")");
            }
        }
        return new LabeledData<>(Collections.unmodifiableList(copy), labels.clone(), names);
    }

    /**
     * Creates a data set from inputs and the name of each input's class. The class names are the
     * distinct label names, sorted.
     *
     * @param inputs the inputs, none of them null
     * @param labelNames the class name of each input, none null
     * @param <I> the input type
     * @return the data set
     * @throws IllegalArgumentException if the sizes differ, there are no inputs, or an input or
     *     name is null
     */
    public static <I> LabeledData<I> ofNamedLabels(List<I> inputs, List<String> labelNames) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labelNames, "labelNames");
        if (inputs.size() != labelNames.size()) {
            throw new IllegalArgumentException(inputs.size() + " inputs but " + labelNames.size() + " label names");
        }
        for (int i = 0; i < labelNames.size(); i++) {
            if (labelNames.get(i) == null) {
                throw new IllegalArgumentException("label name of example " + i + " is null");
            }
        }
        List<String> classNames = List.copyOf(new TreeSet<>(labelNames));
        Map<String, Integer> labelOf = new HashMap<>();
        for (int c = 0; c < classNames.size(); c++) {
            labelOf.put(classNames.get(c), c);
        }
        int[] labels = labelNames.stream().mapToInt(labelOf::get).toArray();
        return of(inputs, labels, classNames);
    }

    /**
     * Returns the number of examples.
     *
     * @return the number of examples
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns one input.
     *
     * @param i the example index
     * @return the input of example {@code i}
     */
    public I input(int i) {
        return inputs.get(i);
    }

    /**
     * Returns one label.
     *
     * @param i the example index
     * @return the label of example {@code i}
     */
    public int label(int i) {
        Objects.checkIndex(i, labels.length);
        return labels[i];
    }

    /**
     * Returns all inputs.
     *
     * @return an unmodifiable list of the inputs
     */
    public List<I> inputs() {
        return inputs;
    }

    /**
     * Returns all labels.
     *
     * @return a copy of the labels
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Returns the class names, indexed by label.
     *
     * @return an unmodifiable list of the class names
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Returns the number of classes, including classes without examples.
     *
     * @return the number of classes
     */
    public int numClasses() {
        return classNames.size();
    }

    /**
     * Returns the number of examples of each class.
     *
     * @return a new array of counts, indexed by label
     */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * Returns the examples at the given indices, in that order. An index may appear more than once.
     *
     * @param indices the example indices
     * @return the selected examples, with the same class names
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public LabeledData<I> subset(int[] indices) {
        List<I> selected = new ArrayList<>(indices.length);
        int[] selectedLabels = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            selected.add(input(indices[j]));
            selectedLabels[j] = labels[indices[j]];
        }
        return new LabeledData<>(Collections.unmodifiableList(selected), selectedLabels, classNames);
    }

    /**
     * Returns the examples in a random order.
     *
     * @param seed the random seed
     * @return the shuffled examples
     */
    public LabeledData<I> shuffled(long seed) {
        int[] order = range(size());
        Shuffle.shuffle(order, new Random(seed));
        return subset(order);
    }

    /**
     * Returns the examples of {@code a} followed by those of {@code b}.
     *
     * @param a the first data set
     * @param b the second data set
     * @param <I> the input type
     * @return the concatenation
     * @throws IllegalArgumentException if the class names differ
     */
    public static <I> LabeledData<I> concat(LabeledData<I> a, LabeledData<I> b) {
        if (!a.classNames.equals(b.classNames)) {
            throw new IllegalArgumentException("class names differ: " + a.classNames + " vs " + b.classNames);
        }
        List<I> inputs = new ArrayList<>(a.inputs);
        inputs.addAll(b.inputs);
        int[] labels = Arrays.copyOf(a.labels, a.size() + b.size());
        System.arraycopy(b.labels, 0, labels, a.size(), b.size());
        return new LabeledData<>(Collections.unmodifiableList(inputs), labels, a.classNames);
    }

    /**
     * Draws the same number of examples at random from every class. The drawn examples keep their
     * original order.
     *
     * @param perClass the number of examples to draw from each class, at least 1
     * @param seed the random seed
     * @return the drawn examples
     * @throws IllegalArgumentException if {@code perClass < 1} or a class has fewer examples
     */
    public LabeledData<I> samplePerClass(int perClass, long seed) {
        return subset(StratifiedSampling.perClass(labels, classNames, perClass, seed));
    }

    /**
     * Splits the data into training and validation parts, class by class. Each class with
     * {@code n} examples puts {@code round(n * holdoutFraction)} of them, drawn at random, into
     * validation, clamped so that a class with at least two examples keeps at least one on each
     * side; a class with a single example stays in training. Both parts keep the original order.
     *
     * @param holdoutFraction the fraction of each class to hold out, in {@code (0, 1)}
     * @param seed the random seed
     * @return the split
     * @throws IllegalArgumentException if the fraction is out of range or a class has no examples,
     *     which would leave it empty in training
     */
    public Split<I> stratifiedSplit(double holdoutFraction, long seed) {
        return splitBy(StratifiedSampling.holdout(labels, classNames, holdoutFraction, seed));
    }

    /**
     * Splits the data into {@code k} stratified folds for cross-validation. The validation parts
     * of the returned splits partition the data: every example is in exactly one of them. Each
     * class is spread over the folds as evenly as possible, and fold sizes differ by at most one.
     * Every class needs at least two examples, so that it appears in every training part; a class
     * with fewer than {@code k} examples is missing from some validation parts. Both parts of each
     * split keep the original order.
     *
     * @param k the number of folds, from 2 to {@code size()}
     * @param seed the random seed
     * @return the {@code k} splits, one per validation fold
     * @throws IllegalArgumentException if {@code k} is out of range or a class has fewer than two
     *     examples
     */
    public List<Split<I>> kFold(int k, long seed) {
        int[] fold = StratifiedSampling.folds(labels, classNames, k, seed);
        List<Split<I>> splits = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            boolean[] inFold = new boolean[size()];
            for (int i = 0; i < size(); i++) {
                inFold[i] = fold[i] == f;
            }
            splits.add(splitBy(inFold));
        }
        return List.copyOf(splits);
    }

    /**
     * Returns a weight per class that is inversely proportional to its frequency:
     * {@code size() / (numClasses() * count[c])}. A balanced data set gives 1 for every class.
     *
     * @return a new array of weights, indexed by label
     * @throws IllegalStateException if a class has no examples
     */
    public float[] classWeights() {
        int[] counts = classCounts();
        float[] weights = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                throw new IllegalStateException("empty class '" + classNames.get(c) + "': no examples to weight");
            }
            weights[c] = (float) ((double) size() / ((double) numClasses() * counts[c]));
        }
        return weights;
    }

    /**
     * Applies a function to every input, keeping labels and class names.
     *
     * @param f the function; it must not return null
     * @param <J> the new input type
     * @return the mapped data set
     * @throws IllegalArgumentException if {@code f} returns null for an input
     */
    public <J> LabeledData<J> map(Function<I, J> f) {
        List<J> mapped = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            J value = f.apply(inputs.get(i));
            if (value == null) {
                throw new IllegalArgumentException("mapping input " + i + " gave null");
            }
            mapped.add(value);
        }
        return new LabeledData<>(Collections.unmodifiableList(mapped), labels, classNames);
    }

    /**
     * Describes the data set by its size and class names.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "LabeledData[size=" + size() + ", classes=" + classNames + "]";
    }

    /** Splits into the unflagged examples (training) and the flagged ones (validation). */
    private Split<I> splitBy(boolean[] validation) {
        return new Split<>(
                subset(StratifiedSampling.indicesWhere(validation, false)),
                subset(StratifiedSampling.indicesWhere(validation, true)));
    }

    private static int[] range(int n) {
        int[] result = new int[n];
        Arrays.setAll(result, i -> i);
        return result;
    }
}
