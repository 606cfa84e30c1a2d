package io.tl4j.nlp.baseline;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Split;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The baseline any text classification should beat first: TF-IDF bag of words and an
 * L2-regularised logistic regression whose C is chosen by stratified k-fold cross-validation on the
 * training data only (the vectorizer is refitted inside every fold, so no fold sees its validation
 * texts' vocabulary), then refitted on all of it.
 *
 * <pre>{@code
 * BagOfWordsClassifier bow = BagOfWordsLearner.create().fit(train);
 * double accuracy = bow.evaluate(test).accuracy();
 * }</pre>
 *
 * <p>Every method returns a new learner.
 */
public final class BagOfWordsLearner {

    private static final Logger LOG = LoggerFactory.getLogger(BagOfWordsLearner.class);

    private final double[] cs;
    private final int folds;
    private final int minDocumentFrequency;
    private final long seed;

    private BagOfWordsLearner(double[] cs, int folds, int minDocumentFrequency, long seed) {
        this.cs = cs;
        this.folds = folds;
        this.minDocumentFrequency = minDocumentFrequency;
        this.seed = seed;
    }

    /**
     * Creates a learner trying C in {0.01, 0.1, 1, 10, 100, 1000} by 5-fold cross-validation, keeping every token, seed
     * 42.
     */
    public static BagOfWordsLearner create() {
        return new BagOfWordsLearner(LogisticRegression.defaultCandidates(), 5, 1, 42);
    }

    /**
     * Returns a learner choosing C among these values.
     *
     * @param candidates the values of C to choose from (one value skips cross-validation)
     * @return a learner with them
     */
    public BagOfWordsLearner cs(double... candidates) {
        if (candidates.length == 0 || Arrays.stream(candidates).anyMatch(c -> !(c > 0))) {
            throw new IllegalArgumentException("C candidates must be positive: " + Arrays.toString(candidates));
        }
        return new BagOfWordsLearner(candidates.clone(), folds, minDocumentFrequency, seed);
    }

    /**
     * Returns a learner cross-validating with {@code k} folds.
     *
     * @param k the number of cross-validation folds, at least 2 (fewer when a class has fewer examples)
     * @return a learner with it
     */
    public BagOfWordsLearner folds(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("folds must be at least 2, got " + k);
        }
        return new BagOfWordsLearner(cs, k, minDocumentFrequency, seed);
    }

    /**
     * Returns a learner keeping only tokens that occur in at least {@code count} training texts.
     *
     * @param count keep tokens that occur in at least this many training texts
     * @return a learner with it
     */
    public BagOfWordsLearner minDocumentFrequency(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("minDocumentFrequency must be at least 1, got " + count);
        }
        return new BagOfWordsLearner(cs, folds, count, seed);
    }

    /**
     * Returns a learner with another seed for the fold assignment.
     *
     * @param seed seeds the fold assignment
     * @return a learner with it
     */
    public BagOfWordsLearner seed(long seed) {
        return new BagOfWordsLearner(cs, folds, minDocumentFrequency, seed);
    }

    /**
     * Chooses C by cross-validation on {@code train}, then fits on all of it.
     *
     * @param train the labelled training texts, at least two classes with two examples each
     * @return the fitted classifier
     */
    public BagOfWordsClassifier fit(LabeledData<String> train) {
        Map<Double, Double> scores = new LinkedHashMap<>();
        double best = cs[0];
        if (cs.length > 1) {
            int smallest = Arrays.stream(train.classCounts()).min().orElse(0);
            int k = Math.min(folds, smallest);
            if (k < 2) {
                throw new IllegalArgumentException("Cross-validation needs at least 2 examples per class; counts "
                        + Arrays.toString(train.classCounts()) + " for " + train.classNames());
            }
            List<Split<String>> splits = train.kFold(k, seed);
            double bestScore = -1;
            for (double c : cs) {
                double sum = 0;
                for (Split<String> split : splits) {
                    BagOfWordsClassifier model = fitOnce(split.train(), c, Map.of());
                    sum += model.evaluate(split.validation()).accuracy();
                }
                double mean = sum / splits.size();
                scores.put(c, mean);
                if (mean > bestScore) {
                    bestScore = mean;
                    best = c;
                }
            }
            LOG.info("Bag of words: {}-fold cross-validated accuracy by C {}; chose C={}", k, scores, best);
        }
        return fitOnce(train, best, scores);
    }

    private BagOfWordsClassifier fitOnce(LabeledData<String> train, double c, Map<Double, Double> scores) {
        TfIdfVectorizer vectorizer = TfIdfVectorizer.fit(train.inputs(), minDocumentFrequency);
        SparseVector[] x = train.inputs().stream().map(vectorizer::transform).toArray(SparseVector[]::new);
        LogisticRegression regression =
                LogisticRegression.fit(x, train.labels(), train.numClasses(), vectorizer.dimension(), c);
        return new BagOfWordsClassifier(vectorizer, regression, train.classNames(), scores);
    }
}
