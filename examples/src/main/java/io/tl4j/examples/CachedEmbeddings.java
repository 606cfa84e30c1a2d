package io.tl4j.examples;

import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.baseline.LogisticRegression;
import io.tl4j.nlp.fewshot.BackboneEmbedder;
import io.tl4j.nlp.fewshot.NearestCentroidClassifier;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Holds {@link NlpQuickStart}'s cached, L2-normalised embeddings of the training and test texts and scores the
 * classifiers fitted on them: a cross-validated logistic regression and a nearest class centroid.
 *
 * @param train the embedded training texts
 * @param test the embedded test texts
 */
record CachedEmbeddings(LabeledData<float[]> train, LabeledData<float[]> test) {

    private static final double[] CS = {0.01, 0.1, 1, 10, 100, 1000};

    /** Embeds the training and test texts once with a backbone. */
    static CachedEmbeddings of(Backbone<String> backbone, LabeledData<String> train, LabeledData<String> test) {
        try (BackboneEmbedder embedder = BackboneEmbedder.of(backbone)) {
            return new CachedEmbeddings(embed(embedder, train), embed(embedder, test));
        }
    }

    private static LabeledData<float[]> embed(BackboneEmbedder embedder, LabeledData<String> data) {
        return LabeledData.of(Arrays.asList(embedder.embed(data.inputs())), data.labels(), data.classNames());
    }

    /** Returns the test accuracy of a logistic regression fitted on the training embeddings. */
    double logisticRegression(long seed) {
        LogisticRegression head = head(seed);
        return accuracy(i -> head.predict(test.input(i)));
    }

    /** Fits a logistic regression on the training embeddings, its C chosen by 5-fold cross-validation. */
    LogisticRegression head(long seed) {
        return head(train, seed);
    }

    /** Fits a logistic regression on embeddings, its C chosen from 0.01 to 1000 by 5-fold cross-validation. */
    static LogisticRegression head(LabeledData<float[]> embedded, long seed) {
        return LogisticRegression.fitCrossValidated(embedded, CS, 5, seed);
    }

    /** Returns the test accuracy of the nearest class centroid of the training embeddings. */
    double nearestCentroid() {
        NearestCentroidClassifier centroid = NearestCentroidClassifier.fit(
                train.inputs().toArray(float[][]::new), train.labels(), train.classNames());
        return accuracy(i -> centroid.predict(test.input(i)));
    }

    /** Returns the fraction of test texts whose predicted class, by index, is their label. */
    double accuracy(IntUnaryOperator predict) {
        return IntStream.range(0, test.size())
                        .filter(i -> predict.applyAsInt(i) == test.label(i))
                        .count()
                / (double) test.size();
    }
}
