package io.tl4j.nlp.baseline;

import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import java.util.List;
import java.util.Map;

/**
 * A fitted bag-of-words classifier: a TF-IDF vectorizer and a logistic regression over its
 * features. Immutable and thread-safe. Made by {@link BagOfWordsLearner}.
 */
public final class BagOfWordsClassifier {

    private final TfIdfVectorizer vectorizer;
    private final LogisticRegression regression;
    private final List<String> classNames;
    private final Map<Double, Double> crossValidation;

    BagOfWordsClassifier(
            TfIdfVectorizer vectorizer,
            LogisticRegression regression,
            List<String> classNames,
            Map<Double, Double> crossValidation) {
        this.vectorizer = vectorizer;
        this.regression = regression;
        this.classNames = List.copyOf(classNames);
        this.crossValidation = Map.copyOf(crossValidation);
    }

    /** Returns the class names, indexed by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** Returns the chosen inverse regularisation strength. */
    public double c() {
        return regression.c();
    }

    /** Returns the mean cross-validated accuracy of each C tried (empty when only one was given). */
    public Map<Double, Double> crossValidatedAccuracy() {
        return crossValidation;
    }

    /** Returns the vocabulary size. */
    public int vocabularySize() {
        return vectorizer.dimension();
    }

    /**
     * Returns the probability of each class for a text.
     *
     * @param text a text
     * @return the probability of each class
     */
    public double[] probabilities(String text) {
        return regression.probabilities(vectorizer.transform(text));
    }

    /**
     * Predicts the most probable label of each text.
     *
     * @param texts texts
     * @return the most probable label of each
     */
    public int[] predict(List<String> texts) {
        return texts.stream()
                .mapToInt(t -> regression.predict(vectorizer.transform(t)))
                .toArray();
    }

    /**
     * Evaluates the classifier on labelled texts: accuracy, macro-F1, per-class precision and recall, confusion matrix.
     *
     * @param data labelled texts with the same class names
     * @return accuracy, macro-F1, per-class precision and recall, confusion matrix
     * @throws IllegalArgumentException when the class names differ
     */
    public ClassificationReport evaluate(LabeledData<String> data) {
        if (!data.classNames().equals(classNames)) {
            throw new IllegalArgumentException("Class names differ: " + data.classNames() + " vs " + classNames);
        }
        return ClassificationReport.of(data.labels(), predict(data.inputs()), classNames);
    }
}
