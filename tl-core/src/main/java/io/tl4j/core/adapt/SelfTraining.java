package io.tl4j.core.adapt;

import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-training with pseudo-labels, in the style of noisy student and FixMatch: the current model
 * labels the unlabelled pool; the predictions whose probability reaches a threshold join the labelled
 * data; a new student is trained on both by the learner, with the augmentation of the learner's
 * backbone pipeline (the noise: give it a pipeline that augments); the student becomes the teacher of
 * the next round.
 *
 * <pre>{@code
 * SelfTrainingResult<float[]> result = SelfTraining.with(learner).threshold(0.9).rounds(3)
 *         .run(labelled, Unlabelled.of(pool));
 * result.rounds().forEach(System.out::println);      // taken, and their accuracy when known
 * TransferModel<float[]> model = result.model();
 * }</pre>
 *
 * <p>When no prediction reaches the threshold, it stops with a message ({@link
 * SelfTrainingResult#stopReason()}) and returns the model it had, unchanged. Works with any backbone
 * and input type.
 *
 * @param <I> the raw input type
 */
public final class SelfTraining<I> {

    private static final Logger LOG = LoggerFactory.getLogger(SelfTraining.class);

    private final TransferLearner<I> learner;
    private final PseudoLabelSelection selection;
    private final int rounds;
    private final DomainAdaptation adaptation;

    private SelfTraining(
            TransferLearner<I> learner, PseudoLabelSelection selection, int rounds, DomainAdaptation adaptation) {
        this.learner = learner;
        this.selection = selection;
        this.rounds = rounds;
        this.adaptation = adaptation;
    }

    /**
     * Creates self-training with a learner that trains every student: threshold 0.9, 3 rounds.
     *
     * @param learner trains the teacher and each student, with its pipeline's augmentation
     * @param <I> the raw input type
     * @return the self-training
     */
    public static <I> SelfTraining<I> with(TransferLearner<I> learner) {
        return new SelfTraining<>(
                Objects.requireNonNull(learner, "learner"), PseudoLabelSelection.threshold(0.9), 3, null);
    }

    /**
     * Returns a copy taking pseudo-labels whose probability is at least {@code threshold}.
     *
     * @param threshold in (0, 1]
     * @return the copy
     */
    public SelfTraining<I> threshold(double threshold) {
        return new SelfTraining<>(learner, PseudoLabelSelection.threshold(threshold), rounds, adaptation);
    }

    /**
     * Returns a copy running at most {@code rounds} rounds of labelling and training.
     *
     * @param rounds at least 1
     * @return the copy
     */
    public SelfTraining<I> rounds(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        return new SelfTraining<>(learner, selection, rounds, adaptation);
    }

    /**
     * Returns a copy whose teacher and students also adapt to the pool while training ({@link
     * TransferLearner#fit(LabeledData, Unlabelled, DomainAdaptation)}).
     *
     * @param adaptation the domain adaptation of every fit
     * @return the copy
     */
    public SelfTraining<I> adaptation(DomainAdaptation adaptation) {
        return new SelfTraining<>(learner, selection, rounds, Objects.requireNonNull(adaptation, "adaptation"));
    }

    /**
     * Returns a copy that selects pseudo-labels class by class instead of by a threshold, as CBST (Zou
     * et al., 2018) does: in round {@code r} it takes, of the inputs the model assigns to each class, the
     * most confident {@code min(1, r · fraction)}, so that a class the model is less sure of is not left
     * out and the selection grows as the model improves.
     *
     * @param fraction the fraction of each predicted class taken in the first round, in (0, 1]
     * @return the copy
     */
    public SelfTraining<I> classBalanced(double fraction) {
        return new SelfTraining<>(learner, PseudoLabelSelection.classBalanced(fraction), rounds, adaptation);
    }

    /**
     * Returns a copy that selects pseudo-labels this way, for instance {@link
     * PseudoLabelSelection#equalPerClass}: the same number of each predicted class every round.
     *
     * @param selection which of the model's predictions join training
     * @return the copy
     */
    public SelfTraining<I> selection(PseudoLabelSelection selection) {
        return new SelfTraining<>(learner, Objects.requireNonNull(selection, "selection"), rounds, adaptation);
    }

    /**
     * Trains a teacher on the labelled data, then self-trains.
     *
     * @param labelled the labelled data
     * @param pool the unlabelled inputs
     * @return the final model, the rounds and why it stopped
     */
    public SelfTrainingResult<I> run(LabeledData<I> labelled, Unlabelled<I> pool) {
        Objects.requireNonNull(pool, "pool");
        return run(fit(labelled, pool), labelled, pool, true);
    }

    /**
     * Self-trains starting from a trained model (for instance a model of another domain, with no
     * labelled target data in {@code labelled}). The teacher is not closed; when no round trains a
     * student the result holds the teacher itself.
     *
     * @param teacher the model that labels the pool first
     * @param labelled labelled data every student also trains on, with the teacher's class names
     * @param pool the unlabelled inputs
     * @return the final model, the rounds and why it stopped
     */
    public SelfTrainingResult<I> run(TransferModel<I> teacher, LabeledData<I> labelled, Unlabelled<I> pool) {
        return run(teacher, labelled, pool, false);
    }

    private SelfTrainingResult<I> run(
            TransferModel<I> teacher, LabeledData<I> labelled, Unlabelled<I> pool, boolean ownsTeacher) {
        Objects.requireNonNull(teacher, "teacher");
        Objects.requireNonNull(labelled, "labelled");
        Objects.requireNonNull(pool, "pool");
        if (!labelled.classNames().equals(teacher.classNames())) {
            throw new IllegalArgumentException("The labelled data's classes " + labelled.classNames()
                    + " differ from the teacher's " + teacher.classNames());
        }
        TransferModel<I> current = teacher;
        boolean owned = ownsTeacher;
        List<SelfTrainingResult.Round> done = new ArrayList<>();
        String stop = null;
        for (int round = 1; round <= rounds; round++) {
            PseudoLabels<I> pseudo = PseudoLabels.of(current, pool, selection, round);
            if (pseudo.size() == 0) {
                stop = String.format(
                        Locale.ROOT,
                        "Self-training stopped in round %d: no prediction on the %d unlabelled inputs reaches"
                                + " the threshold %.3f (the highest probability is %.3f); the model is unchanged",
                        round,
                        pool.size(),
                        selection.threshold(),
                        pseudo.highest());
                LOG.warn(stop);
                break;
            }
            TransferModel<I> student = fit(LabeledData.concat(labelled, pseudo.data()), pool);
            SelfTrainingResult.Round report =
                    new SelfTrainingResult.Round(round, pseudo.size(), pool.size(), pseudo.accuracy(pool));
            LOG.info("{}", report);
            done.add(report);
            if (owned) {
                current.close();
            }
            current = student;
            owned = true;
        }
        return new SelfTrainingResult<>(current, done, stop);
    }

    private TransferModel<I> fit(LabeledData<I> data, Unlabelled<I> pool) {
        return adaptation == null ? learner.fit(data) : learner.fit(data, pool, adaptation);
    }

    @Override
    public String toString() {
        return "SelfTraining[" + selection + ", "
                + rounds + " rounds"
                + (adaptation == null ? "" : ", " + adaptation) + "]";
    }
}
