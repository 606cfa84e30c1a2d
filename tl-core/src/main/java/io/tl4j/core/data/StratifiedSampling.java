package io.tl4j.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Draws examples class by class for {@link LabeledData}: a fixed number per class, a held-out
 * fraction of each class, and stratified folds. Works on the labels alone and returns indices or
 * flags; each method visits the classes in label order and shuffles each class's members with one
 * {@link Random} seeded once, so the same seed gives the same draw.
 */
final class StratifiedSampling {

    private StratifiedSampling() {}

    /**
     * Returns the indices, in ascending order, of {@code perClass} examples drawn at random from
     * every class.
     *
     * @throws IllegalArgumentException if {@code perClass < 1} or a class has fewer examples
     */
    static int[] perClass(int[] labels, List<String> classNames, int perClass, long seed) {
        if (perClass < 1) {
            throw new IllegalArgumentException("perClass must be at least 1, got " + perClass);
        }
        Random random = new Random(seed);
        boolean[] chosen = new boolean[labels.length];
        for (int c = 0; c < classNames.size(); c++) {
            int[] members = shuffledMembers(labels, c, random);
            if (members.length < perClass) {
                throw new IllegalArgumentException("class '" + classNames.get(c) + "' has " + members.length
                        + " examples, fewer than the " + perClass + " requested");
            }
            for (int j = 0; j < perClass; j++) {
                chosen[members[j]] = true;
            }
        }
        return indicesWhere(chosen, true);
    }

    /**
     * Flags the examples held out for validation: {@code round(n * holdoutFraction)} of each class
     * of {@code n}, drawn at random, clamped so that a class with at least two examples keeps at
     * least one on each side; a class with a single example stays in training.
     *
     * @throws IllegalArgumentException if the fraction is not in {@code (0, 1)} or a class has no
     *     examples
     */
    static boolean[] holdout(int[] labels, List<String> classNames, double holdoutFraction, long seed) {
        if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
            throw new IllegalArgumentException("holdoutFraction must be in (0, 1), got " + holdoutFraction);
        }
        Random random = new Random(seed);
        boolean[] heldOut = new boolean[labels.length];
        for (int c = 0; c < classNames.size(); c++) {
            int[] members = shuffledMembers(labels, c, random);
            if (members.length == 0) {
                throw new IllegalArgumentException(
                        "class '" + classNames.get(c) + "' has no examples, so it would be empty in training");
            }
            long wanted = Math.round(members.length * holdoutFraction);
            int count = members.length < 2 ? 0 : (int) Math.max(1, Math.min(members.length - 1, wanted));
            for (int j = 0; j < count; j++) {
                heldOut[members[j]] = true;
            }
        }
        return heldOut;
    }

    /**
     * Returns each example's fold, from 0 to {@code k - 1}: every class is dealt over the folds in
     * turn, continuing where the previous class stopped, so fold sizes differ by at most one.
     *
     * @throws IllegalArgumentException if {@code k} is not from 2 to the number of examples or a
     *     class has fewer than two examples
     */
    static int[] folds(int[] labels, List<String> classNames, int k, long seed) {
        if (k < 2 || k > labels.length) {
            throw new IllegalArgumentException(
                    "k must be from 2 to the number of examples (" + labels.length + "), got " + k);
        }
        Random random = new Random(seed);
        int[] fold = new int[labels.length];
        int position = 0;
        for (int c = 0; c < classNames.size(); c++) {
            int[] members = shuffledMembers(labels, c, random);
            if (members.length < 2) {
                throw new IllegalArgumentException("class '" + classNames.get(c) + "' has " + members.length
                        + " examples; k-fold needs at least 2 per class");
            }
            for (int member : members) {
                fold[member] = position++ % k;
            }
        }
        return fold;
    }

    /** Returns, in ascending order, the indices whose flag equals {@code value}. */
    static int[] indicesWhere(boolean[] flags, boolean value) {
        int[] result = new int[flags.length];
        int count = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == value) {
                result[count++] = i;
            }
        }
        return Arrays.copyOf(result, count);
    }

    /** Returns the indices of the examples of class {@code c}, in a random order. */
    private static int[] shuffledMembers(int[] labels, int c, Random random) {
        int[] members = new int[labels.length];
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == c) {
                members[count++] = i;
            }
        }
        int[] result = Arrays.copyOf(members, count);
        Shuffle.shuffle(result, random);
        return result;
    }
}
