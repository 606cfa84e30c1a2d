package io.tl4j.core.meta;

import java.util.List;

/**
 * One N-way K-shot episode: {@code ways} classes drawn from the source data, {@code shots} support
 * examples and {@code queries} query examples of each. Indices refer to the data the episode was
 * drawn from; within the episode the classes are numbered 0..ways-1 in the order of {@link #classes}.
 *
 * @param classes the source class indices taking part, in episode order
 * @param support the support examples, class by class ({@code shots} of the first class, then the next)
 * @param query the query examples, class by class ({@code queries} of each)
 * @param shots support examples per class
 * @param queries query examples per class
 */
public record Episode(List<Integer> classes, int[] support, int[] query, int shots, int queries) {

    /** Checks the sizes and copies the arrays. */
    public Episode {
        classes = List.copyOf(classes);
        support = support.clone();
        query = query.clone();
        if (support.length != classes.size() * shots || query.length != classes.size() * queries) {
            throw new IllegalArgumentException("An episode of " + classes.size() + " ways, " + shots + " shots and "
                    + queries + " queries needs " + classes.size() * shots + " support and "
                    + classes.size() * queries + " query examples, got " + support.length + " and " + query.length);
        }
    }

    /** Returns the number of classes in the episode. */
    public int ways() {
        return classes.size();
    }

    /** Returns the support examples followed by the query examples: the order a batch takes them in. */
    public int[] indices() {
        int[] all = new int[support.length + query.length];
        System.arraycopy(support, 0, all, 0, support.length);
        System.arraycopy(query, 0, all, support.length, query.length);
        return all;
    }

    /** Returns the episode class (0..ways-1) of each support example. */
    public long[] supportLabels() {
        return labels(shots);
    }

    /** Returns the episode class (0..ways-1) of each query example. */
    public long[] queryLabels() {
        return labels(queries);
    }

    @Override
    public int[] support() {
        return support.clone();
    }

    @Override
    public int[] query() {
        return query.clone();
    }

    private long[] labels(int perClass) {
        long[] labels = new long[classes.size() * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
        }
        return labels;
    }
}
