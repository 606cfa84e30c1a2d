package io.tl4j.core.adapt;

import io.tl4j.core.TransferModel;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link SelfTraining} returns: the final model, one report per round that trained a student,
 * and the message of an early stop.
 *
 * @param model the final model (the teacher itself when no round trained a student); close it when done
 * @param rounds the rounds that trained a student, in order
 * @param stop why self-training stopped before its last round, or null when it ran them all
 * @param <I> the raw input type
 */
public record SelfTrainingResult<I>(TransferModel<I> model, List<Round> rounds, String stop) {

    /** Copies the rounds. */
    public SelfTrainingResult {
        rounds = List.copyOf(rounds);
    }

    /** Returns why self-training stopped early (no prediction reached the threshold), if it did. */
    public Optional<String> stopReason() {
        return Optional.ofNullable(stop);
    }

    /**
     * One round of self-training.
     *
     * @param round the round, from 1
     * @param taken the pseudo-labels that reached the threshold and joined training
     * @param pool the size of the unlabelled pool
     * @param accuracy the fraction of taken pseudo-labels that were right, where the true labels are known
     *     ({@link Unlabelled#hidingLabels}); NaN otherwise
     */
    public record Round(int round, int taken, int pool, double accuracy) {

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "round %d: %d of %d pseudo-labels taken%s",
                    round,
                    taken,
                    pool,
                    Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, ", %.1f%% right", 100 * accuracy));
        }
    }
}
