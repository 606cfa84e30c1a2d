package io.tl4j.nlp.fewshot;

import io.tl4j.core.Prediction;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Few-shot classification without training: each class is the mean of its examples' L2-normalised
 * embeddings (normalised again), and a text goes to the class whose centroid is most
 * cosine-similar to its own normalised embedding. A handful of examples per class is enough with
 * a good sentence encoder; adding a class needs only its examples.
 *
 * <pre>{@code
 * try (BertEncoder minilm = Bert.allMiniLmL6V2()) {
 *     NearestCentroidClassifier classifier = NearestCentroidClassifier.fit(train, minilm::embed);
 *     double accuracy = classifier.evaluate(test).accuracy();
 * }
 * }</pre>
 */
public final class NearestCentroidClassifier {

    private final float[][] centroids;
    private final List<String> classNames;
    private final TextEmbedder embedder;

    private NearestCentroidClassifier(float[][] centroids, List<String> classNames, TextEmbedder embedder) {
        this.centroids = centroids;
        this.classNames = List.copyOf(classNames);
        this.embedder = embedder;
    }

    /**
     * Embeds the labelled texts and computes one centroid per class.
     *
     * @param data labelled texts; every class needs at least one example
     * @param embedder the text encoder
     * @return the classifier, which embeds new texts with the same encoder
     * @throws IllegalArgumentException when a class has no examples
     */
    public static NearestCentroidClassifier fit(LabeledData<String> data, TextEmbedder embedder) {
        Objects.requireNonNull(embedder, "embedder");
        return new NearestCentroidClassifier(
                centroids(embedder.embed(data.inputs()), data.labels(), data.classNames()),
                data.classNames(),
                embedder);
    }

    /**
     * Computes one centroid per class from embeddings already at hand.
     *
     * @param embeddings one vector per example, all of the same length
     * @param labels one label per example
     * @param classNames the class names; every class needs at least one example
     * @return a classifier that takes embeddings ({@link #predict(float[])}); methods taking texts
     *     throw {@link IllegalStateException}
     */
    public static NearestCentroidClassifier fit(float[][] embeddings, int[] labels, List<String> classNames) {
        return new NearestCentroidClassifier(centroids(embeddings, labels, classNames), classNames, null);
    }

    private static float[][] centroids(float[][] embeddings, int[] labels, List<String> classNames) {
        if (embeddings.length != labels.length || embeddings.length == 0) {
            throw new IllegalArgumentException(embeddings.length + " embeddings but " + labels.length + " labels");
        }
        int dim = embeddings[0].length;
        double[][] sums = new double[classNames.size()][dim];
        int[] counts = new int[classNames.size()];
        for (int i = 0; i < embeddings.length; i++) {
            if (embeddings[i].length != dim) {
                throw new IllegalArgumentException(
                        "embedding " + i + " has " + embeddings[i].length + " values, the first has " + dim);
            }
            float[] unit = normalized(embeddings[i]);
            for (int d = 0; d < dim; d++) {
                sums[labels[i]][d] += unit[d];
            }
            counts[labels[i]]++;
        }
        float[][] centroids = new float[classNames.size()][];
        for (int c = 0; c < centroids.length; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("class '" + classNames.get(c) + "' has no examples");
            }
            float[] mean = new float[dim];
            for (int d = 0; d < dim; d++) {
                mean[d] = (float) (sums[c][d] / counts[c]);
            }
            centroids[c] = normalized(mean);
        }
        return centroids;
    }

    /** Returns the class names, indexed by label. */
    public List<String> classNames() {
        return classNames;
    }

    /** Returns a copy of the unit-length centroids, indexed by label. */
    public float[][] centroids() {
        float[][] copy = new float[centroids.length][];
        for (int c = 0; c < copy.length; c++) {
            copy[c] = centroids[c].clone();
        }
        return copy;
    }

    /**
     * Returns an embedding's cosine similarity to each centroid.
     *
     * @param embedding an embedding
     * @return its cosine similarity to each centroid
     */
    public float[] similarities(float[] embedding) {
        if (embedding.length != centroids[0].length) {
            throw new IllegalArgumentException(
                    "embedding has " + embedding.length + " values, centroids have " + centroids[0].length);
        }
        float[] unit = normalized(embedding);
        float[] similarities = new float[centroids.length];
        for (int c = 0; c < centroids.length; c++) {
            double dot = 0;
            for (int d = 0; d < unit.length; d++) {
                dot += unit[d] * centroids[c][d];
            }
            similarities[c] = (float) dot;
        }
        return similarities;
    }

    /**
     * Predicts the label of the centroid nearest an embedding.
     *
     * @param embedding an embedding
     * @return the label of the nearest centroid
     */
    public int predict(float[] embedding) {
        float[] s = similarities(embedding);
        int best = 0;
        for (int c = 1; c < s.length; c++) {
            if (s[c] > s[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Predicts the label of each text's nearest centroid.
     *
     * @param texts texts
     * @return the label of each text's nearest centroid
     */
    public int[] predict(List<String> texts) {
        float[][] embeddings = embedder().embed(texts);
        int[] labels = new int[embeddings.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = predict(embeddings[i]);
        }
        return labels;
    }

    /**
     * Classifies a text: every class with the softmax of the cosine similarities as its probability, most likely first.
     *
     * @param text a text
     * @return every class with the softmax of the cosine similarities as its probability, most
     *     likely first
     */
    public List<Prediction> classify(String text) {
        float[] s = similarities(embedder().embed(List.of(text))[0]);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : s) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[s.length];
        for (int c = 0; c < s.length; c++) {
            e[c] = Math.exp(s[c] - max);
            sum += e[c];
        }
        List<Prediction> ranked = new ArrayList<>();
        for (int c = 0; c < s.length; c++) {
            ranked.add(new Prediction(classNames.get(c), c, (float) (e[c] / sum)));
        }
        ranked.sort(Comparator.comparingDouble(Prediction::probability).reversed());
        return List.copyOf(ranked);
    }

    /**
     * Evaluates the classifier on labelled texts: accuracy, macro-F1, per-class precision and recall, confusion matrix.
     *
     * @param data labelled texts with the same class names
     * @return accuracy, macro-F1, per-class precision and recall, confusion matrix
     */
    public ClassificationReport evaluate(LabeledData<String> data) {
        if (!data.classNames().equals(classNames)) {
            throw new IllegalArgumentException("Class names differ: " + data.classNames() + " vs " + classNames);
        }
        return ClassificationReport.of(data.labels(), predict(data.inputs()), classNames);
    }

    private TextEmbedder embedder() {
        if (embedder == null) {
            throw new IllegalStateException("This classifier was fitted on embeddings; pass embeddings, not texts");
        }
        return embedder;
    }

    static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] / norm);
        }
        return unit;
    }
}
