package io.tl4j.nlp.fewshot;

import io.tl4j.core.adapt.PseudoLabelSelection;
import io.tl4j.core.adapt.SelfTrainingResult;
import io.tl4j.core.adapt.Unlabelled;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.baseline.LogisticRegression;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-training of a logistic-regression head on fixed text embeddings (a frozen sentence encoder's):
 * a teacher fitted on the labelled embeddings, with C chosen by cross-validation on them, labels the
 * unlabelled pool; the pseudo-labels a {@link PseudoLabelSelection} takes join the labelled
 * embeddings; a student is fitted on both at the teacher's C and becomes the next round's teacher.
 * The encoder runs once, so a round costs milliseconds where fine-tuning a student costs minutes.
 * The teacher is the same head without the pool: the baseline a run should beat. A co-teacher (a
 * calibrated zero-shot classifier, say) can label the pool beside the head: the selection then sees
 * the weighted mean of both probabilities, so the head's confident mistakes that the co-teacher does
 * not share lose their confidence.
 *
 * <pre>{@code
 * HeadSelfTraining.Result result = HeadSelfTraining.with(PseudoLabelSelection.equalPerClass(0.1))
 *         .rounds(10)
 *         .coTeacher(zeroShot::probabilities, 0.7)
 *         .run(labelledEmbeddings, Unlabelled.of(poolEmbeddings), seed);
 * LogisticRegression head = result.head();
 * }</pre>
 */
public final class HeadSelfTraining {

    /** The inverse regularisation strengths the teacher's cross-validation chooses from. */
    static final double[] C_CANDIDATES = LogisticRegression.defaultCandidates();

    private static final int FOLDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(HeadSelfTraining.class);

    private final PseudoLabelSelection selection;
    private final int rounds;
    private final Function<float[], double[]> coTeacher;
    private final double headWeight;

    private HeadSelfTraining(
            PseudoLabelSelection selection, int rounds, Function<float[], double[]> coTeacher, double headWeight) {
        this.selection = selection;
        this.rounds = rounds;
        this.coTeacher = coTeacher;
        this.headWeight = headWeight;
    }

    /**
     * Creates self-training that selects pseudo-labels this way, for 3 rounds.
     *
     * @param selection which of the teacher's predictions join training
     * @return the self-training
     */
    public static HeadSelfTraining with(PseudoLabelSelection selection) {
        return new HeadSelfTraining(Objects.requireNonNull(selection, "selection"), 3, null, 1);
    }

    /**
     * Returns a copy running at most {@code rounds} rounds of labelling and fitting.
     *
     * @param rounds at least 1
     * @return the copy
     * @throws IllegalArgumentException when rounds is below 1
     */
    public HeadSelfTraining rounds(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        return new HeadSelfTraining(selection, rounds, coTeacher, headWeight);
    }

    /**
     * Returns a copy in which a second classifier labels the pool beside the head: in every round
     * the selection sees {@code headWeight · head + (1 − headWeight) · coTeacher} for each pool
     * embedding, and takes that mean's most probable class as the pseudo-label. The co-teacher does
     * not learn; its probabilities are computed once.
     *
     * @param probabilities the co-teacher: one probability per class, in the labels' class order,
     *     for an embedding ({@code ZeroShotClassifier::probabilities} of a calibrated zero-shot
     *     classifier, say)
     * @param headWeight the head's share of the mean, in (0, 1)
     * @return the copy
     * @throws IllegalArgumentException when the weight is outside (0, 1)
     */
    public HeadSelfTraining coTeacher(Function<float[], double[]> probabilities, double headWeight) {
        if (!(headWeight > 0 && headWeight < 1)) {
            throw new IllegalArgumentException("headWeight must be in (0, 1), got " + headWeight);
        }
        return new HeadSelfTraining(
                selection, rounds, Objects.requireNonNull(probabilities, "probabilities"), headWeight);
    }

    /**
     * Fits the teacher on the labelled embeddings, then self-trains on the pool.
     *
     * @param labelled labelled embeddings; every class needs at least 2 examples
     * @param pool unlabelled embeddings of the same length (with hidden labels, the rounds report
     *     how many pseudo-labels were right)
     * @param seed seeds the teacher's cross-validation folds
     * @return the teacher, the final head, the rounds and why it stopped
     * @throws IllegalArgumentException when a pool embedding's length differs from the labelled ones',
     *     or the co-teacher gives another number of probabilities than there are classes (the message
     *     names the row)
     */
    public Result run(LabeledData<float[]> labelled, Unlabelled<float[]> pool, long seed) {
        Objects.requireNonNull(labelled, "labelled");
        Objects.requireNonNull(pool, "pool");
        float[][] x = pool.inputs().toArray(float[][]::new);
        int dimension = labelled.input(0).length;
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != dimension) {
                throw new IllegalArgumentException("Pool embedding " + i + " has " + x[i].length
                        + " values; the labelled embeddings have " + dimension);
            }
        }
        double[][] guide = coTeacherProbabilities(x, labelled.numClasses());
        LogisticRegression teacher = LogisticRegression.fitCrossValidated(labelled, C_CANDIDATES, FOLDS, seed);
        LogisticRegression current = teacher;
        List<SelfTrainingResult.Round> done = new ArrayList<>();
        String stop = null;
        for (int round = 1; round <= rounds; round++) {
            float[][] p = probabilities(current, x, guide);
            int[] taken = selection.select(p, round);
            if (taken.length == 0) {
                stop = String.format(
                        Locale.ROOT,
                        "Self-training stopped in round %d: %s takes none of the %d unlabelled embeddings;"
                                + " the head is unchanged",
                        round,
                        selection,
                        x.length);
                LOG.warn(stop);
                break;
            }
            int[] predicted = PseudoLabelSelection.argMax(p);
            float[][] inputs = Arrays.copyOf(labelled.inputs().toArray(float[][]::new), labelled.size() + taken.length);
            int[] labels = Arrays.copyOf(labelled.labels(), inputs.length);
            for (int k = 0; k < taken.length; k++) {
                inputs[labelled.size() + k] = x[taken[k]];
                labels[labelled.size() + k] = predicted[taken[k]];
            }
            current = LogisticRegression.fit(inputs, labels, labelled.numClasses(), teacher.c());
            SelfTrainingResult.Round report = new SelfTrainingResult.Round(
                    round, taken.length, x.length, accuracy(pool, taken, predicted, labelled.classNames()));
            LOG.info("{}", report);
            done.add(report);
        }
        return new Result(teacher, current, done, stop);
    }

    private double[][] coTeacherProbabilities(float[][] x, int classes) {
        if (coTeacher == null) {
            return null;
        }
        double[][] guide = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            guide[i] = coTeacher.apply(x[i]);
            if (guide[i].length != classes) {
                throw new IllegalArgumentException("The co-teacher gives " + guide[i].length
                        + " probabilities for pool embedding " + i + "; the labels have " + classes + " classes");
            }
        }
        return guide;
    }

    private float[][] probabilities(LogisticRegression head, float[][] x, double[][] guide) {
        float[][] p = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double[] row = head.probabilities(x[i]);
            p[i] = new float[row.length];
            for (int c = 0; c < row.length; c++) {
                p[i][c] = (float) (guide == null ? row[c] : headWeight * row[c] + (1 - headWeight) * guide[i][c]);
            }
        }
        return p;
    }

    private static double accuracy(Unlabelled<float[]> pool, int[] taken, int[] predicted, List<String> classes) {
        if (!pool.hasTruth()) {
            return Double.NaN;
        }
        LabeledData<float[]> truth = pool.truth();
        int right = 0;
        for (int i : taken) {
            right += truth.classNames().get(truth.label(i)).equals(classes.get(predicted[i])) ? 1 : 0;
        }
        return (double) right / taken.length;
    }

    @Override
    public String toString() {
        return "HeadSelfTraining[" + selection + ", " + rounds + " rounds"
                + (coTeacher == null ? "" : String.format(Locale.ROOT, ", co-teacher weight %.2f", 1 - headWeight))
                + "]";
    }

    /**
     * What {@link #run} returns.
     *
     * @param teacher the head fitted on the labelled embeddings alone: the baseline
     * @param head the final head (the teacher itself when no round took a pseudo-label)
     * @param rounds the rounds that fitted a student, in order
     * @param stop why it stopped before its last round, or null when it ran them all
     */
    public record Result(
            LogisticRegression teacher, LogisticRegression head, List<SelfTrainingResult.Round> rounds, String stop) {

        /** Copies the rounds. */
        public Result {
            rounds = List.copyOf(rounds);
        }

        /** Returns why self-training stopped early (the selection took nothing), if it did. */
        public Optional<String> stopReason() {
            return Optional.ofNullable(stop);
        }
    }
}
