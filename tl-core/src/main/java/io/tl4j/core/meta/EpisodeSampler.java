package io.tl4j.core.meta;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Shuffle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws N-way K-shot Q-query episodes from labelled data, reproducibly from a seed: each episode
 * picks {@code ways} distinct classes at random, then {@code shots + queries} distinct examples of
 * each, the first {@code shots} as support and the rest as queries.
 */
public final class EpisodeSampler {

    private final int ways;
    private final int shots;
    private final int queries;
    private final List<int[]> byClass;
    private final Random random;

    /**
     * Creates a sampler and checks that every class can fill an episode.
     *
     * @param data the labelled source data
     * @param ways classes per episode, at least 2
     * @param shots support examples per class, at least 1
     * @param queries query examples per class, at least 1
     * @param seed fixes the sequence of episodes
     * @throws IllegalArgumentException when the data has fewer classes than {@code ways}, or a class
     *     has fewer than {@code shots + queries} examples; the message names the class and the counts
     */
    public EpisodeSampler(LabeledData<?> data, int ways, int shots, int queries, long seed) {
        if (ways < 2 || shots < 1 || queries < 1) {
            throw new IllegalArgumentException("An episode needs at least 2 ways, 1 shot and 1 query, got " + ways
                    + " ways, " + shots + " shots, " + queries + " queries");
        }
        if (ways > data.numClasses()) {
            throw new IllegalArgumentException("Episodes of " + ways + " ways need at least " + ways
                    + " classes, but the data has " + data.numClasses() + ": " + data.classNames());
        }
        int[] counts = data.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < shots + queries) {
                throw new IllegalArgumentException("Class '" + data.classNames().get(c) + "' has " + counts[c]
                        + " examples, but an episode takes " + shots + " shots + " + queries + " queries = "
                        + (shots + queries) + " of each class");
            }
        }
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
        this.byClass = new ArrayList<>();
        int[] filled = new int[counts.length];
        for (int count : counts) {
            byClass.add(new int[count]);
        }
        for (int i = 0; i < data.size(); i++) {
            int c = data.label(i);
            byClass.get(c)[filled[c]++] = i;
        }
        this.random = new Random(seed);
    }

    /** Returns the next episode. */
    public Episode next() {
        int[] classOrder = Shuffle.permutation(byClass.size(), random);
        List<Integer> classes = new ArrayList<>(ways);
        int[] support = new int[ways * shots];
        int[] query = new int[ways * queries];
        for (int w = 0; w < ways; w++) {
            int c = classOrder[w];
            classes.add(c);
            int[] members = byClass.get(c);
            int[] pick = Shuffle.permutation(members.length, random);
            for (int s = 0; s < shots; s++) {
                support[w * shots + s] = members[pick[s]];
            }
            for (int q = 0; q < queries; q++) {
                query[w * queries + q] = members[pick[shots + q]];
            }
        }
        return new Episode(classes, support, query, shots, queries);
    }

    /** Returns the number of examples each episode takes. */
    public int episodeSize() {
        return ways * (shots + queries);
    }
}
