package io.tl4j.core.selection;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Holds one row of a {@link SelectionReport}: a candidate's scores and measured cost, or the error
 * that stopped it.
 *
 * @param name the candidate's name; a baseline's is the candidate's name followed by {@code
 *     " (scratch)"}
 * @param baseline true for an untrained copy of a candidate, shown for comparison and never
 *     recommended
 * @param source where the backbone's weights came from ({@link io.tl4j.core.Provenance#source()}),
 *     or empty when it failed to load
 * @param scores the computed scores; empty when the candidate failed
 * @param cost the measured cost, or null when the candidate failed
 * @param seconds the wall seconds the candidate took, loading and scoring included
 * @param error what went wrong (exception class and message), or null when it succeeded
 */
public record CandidateResult(
        String name,
        boolean baseline,
        String source,
        Map<Score, Double> scores,
        Cost cost,
        double seconds,
        String error) {

    /** Copies the scores into an unmodifiable map. */
    public CandidateResult {
        Objects.requireNonNull(name, "name");
        source = source == null ? "" : source;
        scores = scores.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(scores));
    }

    /**
     * Creates the row of a candidate that failed.
     *
     * @param name the candidate's name
     * @param baseline whether it is an untrained copy
     * @param source where its weights came from, or empty
     * @param seconds the wall seconds spent before it failed
     * @param error what went wrong
     * @return the row
     */
    static CandidateResult ofError(String name, boolean baseline, String source, double seconds, String error) {
        return new CandidateResult(name, baseline, source, Map.of(), null, seconds, error);
    }

    /** Tells whether the candidate failed (its {@link #error()} says why). */
    public boolean failed() {
        return error != null;
    }

    /**
     * Returns one score.
     *
     * @param score the score
     * @return its value, or NaN when it was not computed or the candidate failed
     */
    public double score(Score score) {
        return scores.getOrDefault(score, Double.NaN);
    }
}
