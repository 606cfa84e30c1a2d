package io.tl4j.nlp.zeroshot;

import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.baseline.LogisticRegression;

/**
 * Few-shot classification that starts from zero-shot: a logistic regression on the classifier's
 * unit text embeddings, regularised towards the zero-shot classifier's own weights (class
 * embeddings over temperature) instead of towards zero, with the strength chosen by
 * cross-validation on the labelled texts. With two labels per class it stays close to the
 * zero-shot answer; with many it follows the data.
 *
 * <pre>{@code
 * LabeledData<float[]> embedded = LabeledData.of(List.of(zeroShot.embed(train.inputs())), train.labels(), train.classNames());
 * LogisticRegression head = ZeroShotPrior.fit(zeroShot, embedded, 1);
 * }</pre>
 */
public final class ZeroShotPrior {

    /** The inverse regularisation strengths cross-validation chooses from. */
    static final double[] C_CANDIDATES = LogisticRegression.defaultCandidates();

    private static final int FOLDS = 5;

    private ZeroShotPrior() {}

    /**
     * Fits the head on labelled embeddings, regularised towards the zero-shot classifier.
     *
     * @param zeroShot the zero-shot classifier whose weights are the prior
     * @param embedded unit text embeddings from {@link ZeroShotClassifier#embed}, labelled with the
     *     classifier's class names; every class needs at least 2 examples
     * @param seed seeds the cross-validation folds
     * @return the fitted head
     * @throws IllegalArgumentException when the class names differ or a class has fewer than 2
     *     examples
     */
    public static LogisticRegression fit(ZeroShotClassifier zeroShot, LabeledData<float[]> embedded, long seed) {
        zeroShot.requireSameClasses(embedded.classNames());
        double[][] weights = zeroShot.priorWeights();
        double[] intercepts = zeroShot.priorIntercepts();
        return LogisticRegression.fitCrossValidated(
                embedded,
                C_CANDIDATES,
                FOLDS,
                seed,
                (inputs, labels, c) -> LogisticRegression.fitTowards(inputs, labels, c, weights, intercepts));
    }
}
