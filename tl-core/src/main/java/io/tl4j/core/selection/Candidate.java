package io.tl4j.core.selection;

import io.tl4j.core.Backbone;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Names a backbone to consider in a {@link ModelSelection}. All candidates of a selection share the
 * raw input type {@code I}, so candidates of different input types do not compile together.
 *
 * @param <I> the raw input type its pipeline accepts
 */
public final class Candidate<I> {

    private final String name;
    private final Supplier<Backbone<I>> loader;
    private final boolean owned;

    private Candidate(String name, Supplier<Backbone<I>> loader, boolean owned) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A candidate needs a non-blank name");
        }
        this.name = name;
        this.loader = Objects.requireNonNull(loader, "backbone");
        this.owned = owned;
    }

    /**
     * Creates a candidate from a backbone the caller has loaded and keeps owning (the selection never
     * closes it).
     *
     * @param name the name shown in the report
     * @param backbone the backbone
     * @param <I> the raw input type
     * @return the candidate
     */
    public static <I> Candidate<I> of(String name, Backbone<I> backbone) {
        Objects.requireNonNull(backbone, "backbone of candidate '" + name + "'");
        return new Candidate<>(name, () -> backbone, false);
    }

    /**
     * Creates a candidate that the selection loads when its turn comes and closes when it is done, so
     * that only one candidate's weights are in memory at a time. A loader that throws gives the
     * candidate a failed row with the error; the other candidates still run.
     *
     * @param name the name shown in the report
     * @param loader loads the backbone
     * @param <I> the raw input type
     * @return the candidate
     */
    public static <I> Candidate<I> loading(String name, Supplier<Backbone<I>> loader) {
        return new Candidate<>(name, loader, true);
    }

    /** Returns the name shown in the report. */
    public String name() {
        return name;
    }

    /** Loads (or returns) the backbone. */
    Backbone<I> load() {
        return Objects.requireNonNull(loader.get(), "the loader of candidate '" + name + "' returned null");
    }

    /** Tells whether the selection closes the backbone after use. */
    boolean owned() {
        return owned;
    }

    @Override
    public String toString() {
        return "Candidate[" + name + (owned ? ", loaded on demand" : "") + "]";
    }
}
