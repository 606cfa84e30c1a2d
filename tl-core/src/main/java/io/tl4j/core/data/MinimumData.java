package io.tl4j.core.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses data a classifier cannot honestly learn from or be validated on: fewer than two classes,
 * a class without examples, or a validation split that would leave a class out of either part. The
 * messages say which classes are short and by how much.
 */
public final class MinimumData {

    private MinimumData() {}

    /**
     * Requires at least two classes, each with at least one example.
     *
     * @param data the data
     * @param classNames the classes the model will have (the data's, plus any from replay data)
     * @param what the data's role in the message, e.g. {@code "training data"}
     * @throws IllegalArgumentException naming what is missing
     */
    public static void requireTrainable(LabeledData<?> data, List<String> classNames, String what) {
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException(
                    "The " + what + " is empty: a classifier needs examples of at least" + " two classes");
        }
        int[] counts = countsByName(data, classNames);
        List<String> present = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) {
            (counts[c] > 0 ? present : empty).add(classNames.get(c));
        }
        if (present.size() < 2) {
            throw new IllegalArgumentException("The " + what + " has " + data.size() + " example(s) of "
                    + (present.isEmpty() ? "no class" : "one class only, " + present) + ": a classifier needs"
                    + " at least two classes with examples, or it learns to answer the same for everything"
                    + (empty.isEmpty() ? "" : "; classes without examples: " + empty));
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("The " + what + " has no examples of " + empty + " (examples per class: "
                    + describe(classNames, counts) + "): add examples, or leave those classes out");
        }
    }

    /**
     * Requires every class to have at least two examples, so a stratified split leaves at least one
     * in training and one in validation.
     *
     * @param data the data to split
     * @param holdout the fraction held out, for the message
     * @throws IllegalArgumentException naming the classes with too few examples
     */
    public static void requireSplittable(LabeledData<?> data, double holdout) {
        int[] counts = data.classCounts();
        List<String> short1 = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < 2) {
                short1.add(data.classNames().get(c) + " (" + counts[c] + ")");
            }
        }
        if (!short1.isEmpty()) {
            throw new IllegalArgumentException("A validation split of " + holdout + " needs at least two examples of"
                    + " every class, one to train on and one to validate on; too few: " + short1
                    + ". Add examples, pass validationData(...), or train without a validation split");
        }
    }

    /**
     * Requires validation data to hold at least one example of every class.
     *
     * @param data the validation data, already mapped onto {@code classNames}
     * @param classNames the model's classes
     * @throws IllegalArgumentException naming the missing classes
     */
    public static void requireEveryClass(LabeledData<?> data, List<String> classNames) {
        int[] counts = countsByName(data, classNames);
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                missing.add(classNames.get(c));
            }
        }
        if (data.size() == 0 || !missing.isEmpty()) {
            throw new IllegalArgumentException("The validation data has no examples of " + missing + " (examples per"
                    + " class: " + describe(classNames, counts) + "): every class needs at least one, or its"
                    + " accuracy and F1 cannot be measured");
        }
    }

    private static int[] countsByName(LabeledData<?> data, List<String> classNames) {
        int[] own = data.classCounts();
        int[] counts = new int[classNames.size()];
        for (int c = 0; c < own.length; c++) {
            int at = classNames.indexOf(data.classNames().get(c));
            if (at >= 0) {
                counts[at] += own[c];
            }
        }
        return counts;
    }

    private static String describe(List<String> classNames, int[] counts) {
        StringBuilder s = new StringBuilder();
        for (int c = 0; c < counts.length; c++) {
            s.append(c == 0 ? "" : ", ").append(classNames.get(c)).append('=').append(counts[c]);
        }
        return s.toString();
    }
}
