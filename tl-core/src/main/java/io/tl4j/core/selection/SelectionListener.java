package io.tl4j.core.selection;

/**
 * Hears a {@link ModelSelection}'s progress, one candidate (or baseline) at a time. Both methods do
 * nothing by default.
 */
public interface SelectionListener {

    /**
     * Called before a candidate is loaded and scored.
     *
     * @param name the candidate's (or baseline's) name
     * @param index its position, from 1
     * @param total the number of rows the selection will have, baselines included
     */
    default void started(String name, int index, int total) {}

    /**
     * Called when a candidate is done, successful or failed.
     *
     * @param result its row
     * @param index its position, from 1
     * @param total the number of rows the selection will have, baselines included
     */
    default void finished(CandidateResult result, int index, int total) {}
}
