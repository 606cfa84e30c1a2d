package io.tl4j.core.selection;

/**
 * Names a transferability score: how well a backbone's frozen features fit the task's labels,
 * computed from one forward pass over the labelled data. Every score is higher-is-better.
 */
public enum Score {
    /**
     * LogME (You et al., ICML 2021): the maximum log evidence per example of a Bayesian linear model
     * from the features to each class's one-vs-rest target, averaged over classes. Unbounded; compare
     * it only between candidates on the same data.
     */
    LOGME("logme", "LogME"),
    /** Leave-one-out k-nearest-neighbour accuracy under cosine similarity, in [0, 1]. */
    KNN("knn_accuracy", "kNN acc"),
    /** Cross-validated accuracy of an L2-regularised logistic regression on the features, in [0, 1]. */
    LINEAR_PROBE("linear_probe_accuracy", "probe acc");

    private final String key;
    private final String label;

    Score(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** Returns the score's name in JSON and CSV output, e.g. {@code knn_accuracy}. */
    public String key() {
        return key;
    }

    /** Returns the score's short column heading in the printed table. */
    public String label() {
        return label;
    }

    /**
     * Computes this score.
     *
     * @param features one row per example
     * @param labels one class index per example
     * @param numClasses the number of classes
     * @param settings the scores' parameters
     * @return the score
     */
    double compute(float[][] features, int[] labels, int numClasses, ScoreSettings settings) {
        return switch (this) {
            case LOGME -> LogMe.score(features, labels, numClasses);
            case KNN -> KnnAccuracy.score(features, labels, numClasses, settings.neighbours());
            case LINEAR_PROBE ->
                LinearProbe.score(
                        features,
                        labels,
                        numClasses,
                        settings.folds(),
                        settings.inverseRegularization(),
                        settings.seed());
        };
    }
}
