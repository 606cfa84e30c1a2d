package io.tl4j.core.selection;

import java.util.List;
import java.util.Optional;

/**
 * Holds the result of {@link SelectionReport#recommend}: the best-ranked candidate that keeps every
 * constraint, the others that keep them, in rank order, and each candidate that was dropped with the
 * reason.
 *
 * @param eligible the candidates that keep every constraint, best first
 * @param dropped the rows left out, in rank order, each with why
 * @param constraints the constraints applied
 */
public record Recommendation(List<CandidateResult> eligible, List<Dropped> dropped, Constraints constraints) {

    /** Copies the lists. */
    public Recommendation {
        eligible = List.copyOf(eligible);
        dropped = List.copyOf(dropped);
    }

    /** Returns the recommended candidate: the best-ranked eligible one, if any. */
    public Optional<CandidateResult> choice() {
        return eligible.isEmpty() ? Optional.empty() : Optional.of(eligible.get(0));
    }

    /**
     * Names a row left out of the recommendation and why.
     *
     * @param name the candidate's (or baseline's) name
     * @param reason why: the broken limits with measured values, the error, or that it is a baseline
     */
    public record Dropped(String name, String reason) {}

    /** Describes the choice and every dropped row, one per line. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append("recommended: ")
                .append(choice().map(CandidateResult::name).orElse("none (every candidate was dropped)"))
                .append('\n');
        for (Dropped d : dropped) {
            out.append("dropped ")
                    .append(d.name())
                    .append(": ")
                    .append(d.reason())
                    .append('\n');
        }
        return out.toString();
    }
}
