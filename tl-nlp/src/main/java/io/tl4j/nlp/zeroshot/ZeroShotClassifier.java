package io.tl4j.nlp.zeroshot;

import io.tl4j.core.Prediction;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import io.tl4j.nlp.fewshot.TextEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Classifies texts with no labelled example: each class is the normalised mean of its
 * descriptions' embeddings, a text's score for a class is the cosine similarity of its embedding
 * to it (plus an optional per-class offset), and the probabilities are the softmax of the scores
 * divided by a temperature.
 *
 * <pre>{@code
 * try (BackboneEmbedder minilm = BackboneEmbedder.of(Bert.allMiniLmL6V2().backbone(Pooling.MEAN, 128))) {
 *     ZeroShotClassifier classifier = ZeroShotClassifier.create(minilm, classes, EncoderPrefixes.none());
 *     List<Prediction> ranked = classifier.classify("Cheap meds, no prescription!");
 * }
 * }</pre>
 *
 * <p>Two refinements use data the user has anyway: {@link #centredOn} subtracts each class's mean
 * score over unlabelled texts (sentence encoders favour some descriptions over every input, and
 * this removes that bias without a label), and {@link #calibrated} fits the temperature to a few
 * labelled texts so the probabilities mean what they say. {@link #priorWeights} hands the class
 * embeddings to a few-shot head ({@link ZeroShotPrior}).
 */
public final class ZeroShotClassifier {

    /** The temperature before calibration: cosine similarities of sentence encoders differ by a few hundredths. */
    public static final double DEFAULT_TEMPERATURE = 0.05;

    private final TextEmbedder embedder;
    private final EncoderPrefixes prefixes;
    private final List<String> classNames;
    private final float[][] classEmbeddings;
    private final double[] offsets;
    private final double temperature;

    private ZeroShotClassifier(
            TextEmbedder embedder,
            EncoderPrefixes prefixes,
            List<String> classNames,
            float[][] classEmbeddings,
            double[] offsets,
            double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("The temperature must be positive and finite, got " + temperature);
        }
        this.embedder = embedder;
        this.prefixes = prefixes;
        this.classNames = classNames;
        this.classEmbeddings = classEmbeddings;
        this.offsets = offsets;
        this.temperature = temperature;
    }

    /**
     * Embeds the class descriptions and returns the classifier.
     *
     * @param embedder the sentence encoder; the classifier embeds texts with it too
     * @param classes the classes and their descriptions
     * @param prefixes what the encoder expects before descriptions and texts
     * @return the classifier, with zero offsets and the {@linkplain #DEFAULT_TEMPERATURE default
     *     temperature}
     * @throws IllegalStateException when the encoder returns a non-finite or zero embedding for a
     *     description
     */
    public static ZeroShotClassifier create(
            TextEmbedder embedder, ClassDescriptions classes, EncoderPrefixes prefixes) {
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(prefixes, "prefixes");
        List<String> names = classes.classNames();
        List<String> texts = new ArrayList<>();
        for (String name : names) {
            classes.descriptions(name).forEach(d -> texts.add(prefixes.label(d)));
        }
        float[][] embedded = embedder.embed(texts);
        float[][] centroids = new float[names.size()][];
        int next = 0;
        for (int c = 0; c < names.size(); c++) {
            List<String> descriptions = classes.descriptions(names.get(c));
            double[] sum = null;
            for (String description : descriptions) {
                float[] unit = unit(embedded[next++], "description '" + description + "'");
                if (sum == null) {
                    sum = new double[unit.length];
                }
                for (int d = 0; d < unit.length; d++) {
                    sum[d] += unit[d];
                }
            }
            float[] mean = new float[sum.length];
            for (int d = 0; d < mean.length; d++) {
                mean[d] = (float) sum[d];
            }
            centroids[c] = unit(mean, "class '" + names.get(c) + "'");
        }
        return new ZeroShotClassifier(
                embedder, prefixes, names, centroids, new double[names.size()], DEFAULT_TEMPERATURE);
    }

    /** Returns the class names, in label order. */
    public List<String> classNames() {
        return classNames;
    }

    /** Returns the temperature that divides the scores before the softmax. */
    public double temperature() {
        return temperature;
    }

    /** Returns a copy of the per-class offsets added to the cosine similarities. */
    public double[] offsets() {
        return offsets.clone();
    }

    /**
     * Embeds texts as this classifier sees them: with the encoder's text prefix, L2-normalised.
     *
     * @param texts the texts
     * @return one unit vector per text
     */
    public float[][] embed(List<String> texts) {
        float[][] embedded = embedder.embed(texts.stream().map(prefixes::text).toList());
        for (int i = 0; i < embedded.length; i++) {
            embedded[i] = unit(embedded[i], "text " + i);
        }
        return embedded;
    }

    /**
     * Returns a text embedding's score for each class: its cosine similarity to the class plus the
     * class's offset.
     *
     * @param embedding an embedding from {@link #embed}
     * @return one score per class
     * @throws IllegalArgumentException when the embedding's size differs from the classes'
     */
    public double[] scores(float[] embedding) {
        if (embedding.length != classEmbeddings[0].length) {
            throw new IllegalArgumentException("The embedding has " + embedding.length
                    + " values, the class embeddings " + classEmbeddings[0].length);
        }
        float[] unit = unit(embedding, "embedding");
        double[] scores = new double[classEmbeddings.length];
        for (int c = 0; c < scores.length; c++) {
            double dot = 0;
            for (int d = 0; d < unit.length; d++) {
                dot += unit[d] * classEmbeddings[c][d];
            }
            scores[c] = dot + offsets[c];
        }
        return scores;
    }

    /**
     * Returns the probability of each class for a text embedding.
     *
     * @param embedding an embedding from {@link #embed}
     * @return the softmax of the scores divided by the temperature
     */
    public double[] probabilities(float[] embedding) {
        return Temperature.softmax(scores(embedding), temperature);
    }

    /**
     * Predicts the class with the highest score.
     *
     * @param embedding an embedding from {@link #embed}
     * @return the label of the best-scoring class
     */
    public int predict(float[] embedding) {
        double[] scores = scores(embedding);
        int best = 0;
        for (int c = 1; c < scores.length; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Predicts each text's class.
     *
     * @param texts the texts
     * @return one label per text
     */
    public int[] predict(List<String> texts) {
        return Arrays.stream(embed(texts)).mapToInt(this::predict).toArray();
    }

    /**
     * Classifies a text: every class with its probability, most likely first.
     *
     * @param text a text
     * @return every class with its probability, most likely first
     */
    public List<Prediction> classify(String text) {
        double[] p = probabilities(embed(List.of(text))[0]);
        List<Prediction> ranked = new ArrayList<>();
        for (int c = 0; c < p.length; c++) {
            ranked.add(new Prediction(classNames.get(c), c, (float) p[c]));
        }
        ranked.sort(Comparator.comparingDouble(Prediction::probability).reversed());
        return List.copyOf(ranked);
    }

    /**
     * Evaluates the classifier on labelled texts.
     *
     * @param data labelled texts with this classifier's class names, in the same order
     * @return accuracy, macro-F1, per-class precision and recall, confusion matrix
     * @throws IllegalArgumentException when the class names differ
     */
    public ClassificationReport evaluate(LabeledData<String> data) {
        requireSameClasses(data.classNames());
        return ClassificationReport.of(data.labels(), predict(data.inputs()), classNames);
    }

    /**
     * Returns a classifier whose offsets cancel each class's mean cosine similarity over unlabelled
     * texts, so that no class wins merely because its description resembles every input.
     *
     * @param unlabelled embeddings of unlabelled texts from {@link #embed}, at least one
     * @return the centred classifier (same embeddings and temperature)
     */
    public ZeroShotClassifier centredOn(float[][] unlabelled) {
        if (unlabelled.length == 0) {
            throw new IllegalArgumentException("Centring needs at least one unlabelled text");
        }
        double[] mean = new double[classNames.size()];
        for (float[] embedding : unlabelled) {
            double[] s = scores(embedding);
            for (int c = 0; c < mean.length; c++) {
                mean[c] += (s[c] - offsets[c]) / unlabelled.length;
            }
        }
        double[] centred = Arrays.stream(mean).map(m -> -m).toArray();
        return new ZeroShotClassifier(embedder, prefixes, classNames, classEmbeddings, centred, temperature);
    }

    /**
     * Returns a classifier with the temperature that minimises the cross-entropy on labelled
     * embeddings; the predictions do not change, only how sure they claim to be.
     *
     * @param embeddings embeddings from {@link #embed}
     * @param labels one label per embedding
     * @return the calibrated classifier
     */
    public ZeroShotClassifier calibrated(float[][] embeddings, int[] labels) {
        if (embeddings.length != labels.length || embeddings.length == 0) {
            throw new IllegalArgumentException("Calibration needs labelled embeddings; got " + embeddings.length
                    + " and " + labels.length + " labels");
        }
        double[][] scores = Arrays.stream(embeddings).map(this::scores).toArray(double[][]::new);
        double fitted = Temperature.fit(scores, labels);
        return new ZeroShotClassifier(embedder, prefixes, classNames, classEmbeddings, offsets, fitted);
    }

    /**
     * Returns a classifier with another temperature.
     *
     * @param newTemperature the temperature, positive
     * @return the classifier with that temperature
     */
    public ZeroShotClassifier withTemperature(double newTemperature) {
        return new ZeroShotClassifier(embedder, prefixes, classNames, classEmbeddings, offsets, newTemperature);
    }

    /**
     * Returns the class embeddings divided by the temperature: as a linear layer's weights on unit
     * text embeddings, with {@link #priorIntercepts()}, they give this classifier's logits.
     */
    public double[][] priorWeights() {
        double[][] weights = new double[classEmbeddings.length][];
        for (int c = 0; c < weights.length; c++) {
            weights[c] = new double[classEmbeddings[c].length];
            for (int d = 0; d < weights[c].length; d++) {
                weights[c][d] = classEmbeddings[c][d] / temperature;
            }
        }
        return weights;
    }

    /** Returns the offsets divided by the temperature, the intercepts that go with {@link #priorWeights()}. */
    public double[] priorIntercepts() {
        return Arrays.stream(offsets).map(o -> o / temperature).toArray();
    }

    void requireSameClasses(List<String> names) {
        if (!names.equals(classNames)) {
            throw new IllegalArgumentException(
                    "Class names differ: the data has " + names + ", the classifier " + classNames);
        }
    }

    private static float[] unit(float[] v, String what) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalStateException(
                    "The encoder returned a " + (norm == 0 ? "zero" : "non-finite") + " embedding for " + what);
        }
        float[] unit = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            unit[i] = (float) (v[i] / norm);
        }
        return unit;
    }
}
