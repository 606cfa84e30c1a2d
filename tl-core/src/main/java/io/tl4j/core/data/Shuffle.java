package io.tl4j.core.data;

import java.util.Random;

/**
 * The one Fisher-Yates shuffle every seeded component uses (splits, epochs, replay, pair batches),
 * so that the same seed gives the same order everywhere.
 */
public final class Shuffle {

    private Shuffle() {}

    /**
     * Shuffles in place.
     *
     * @param values the values to shuffle
     * @param random the source of randomness
     */
    public static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }

    /**
     * Draws a random permutation of {@code 0 .. n-1}.
     *
     * @param n the size
     * @param random the source of randomness
     * @return a random permutation of {@code 0 .. n-1}
     */
    public static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        return order;
    }
}
