package io.tl4j.core;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which backbone layers are frozen: everything before a named layer, all, none, or those a predicate
 * picks. Resolved against the backbone's layer names when training starts.
 */
public final class Freezing {

    private final String description;
    private final Resolver resolver;

    private interface Resolver {
        Set<String> frozen(List<String> layers);
    }

    private Freezing(String description, Resolver resolver) {
        this.description = description;
        this.resolver = resolver;
    }

    /**
     * Freezes everything before {@code layer}.
     *
     * @param layer the first layer that trains
     * @return everything before {@code layer} frozen
     */
    public static Freezing until(String layer) {
        return new Freezing("until " + layer, layers -> {
            int index = indexOf(layers, layer);
            return new LinkedHashSet<>(layers.subList(0, index));
        });
    }

    /** Freezes the whole backbone (feature extraction). */
    public static Freezing all() {
        return new Freezing("all", LinkedHashSet::new);
    }

    /** Freezes nothing (full fine-tuning). */
    public static Freezing none() {
        return new Freezing("none", layers -> new LinkedHashSet<>());
    }

    /**
     * Freezes the layers a predicate accepts.
     *
     * @param frozen picks the layer names to freeze
     * @return the layers the predicate accepts frozen
     */
    public static Freezing where(Predicate<String> frozen) {
        return new Freezing("predicate", layers -> {
            Set<String> set = new LinkedHashSet<>();
            layers.stream().filter(frozen).forEach(set::add);
            return set;
        });
    }

    /**
     * Returns the names of the frozen layers among the backbone's.
     *
     * @param layers the backbone's layer names, in order
     * @return the names of the frozen layers
     * @throws IllegalArgumentException for an unknown layer name, listing the valid ones and the
     *     nearest
     */
    public Set<String> resolve(List<String> layers) {
        return resolver.frozen(layers);
    }

    static int indexOf(List<String> layers, String layer) {
        int index = layers.indexOf(layer);
        if (index < 0) {
            throw new IllegalArgumentException("Unknown layer '" + layer + "'"
                    + nearest(layers, layer)
                            .map(n -> " (did you mean '" + n + "'?)")
                            .orElse("")
                    + "; the backbone's layers are " + layers);
        }
        return index;
    }

    private static java.util.Optional<String> nearest(List<String> layers, String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : layers) {
            int d = distance(candidate.toLowerCase(), name.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 3)
                ? java.util.Optional.ofNullable(best)
                : java.util.Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    @Override
    public String toString() {
        return description;
    }
}
