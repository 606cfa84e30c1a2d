package io.tl4j.core.meta;

import io.tl4j.core.Backbone;
import io.tl4j.core.FrozenFeatures;
import io.tl4j.core.Prediction;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.ClassificationReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Classifies new classes from a few labelled examples with no training: the backbone embeds the
 * support set, each class's prototype is its mean embedding, and an input goes to the nearest
 * prototype (squared Euclidean distance), with a softmax over the negative distances as
 * probabilities. Close it to free the backbone's network.
 *
 * @param <I> the raw input type
 */
public final class PrototypeClassifier<I> implements AutoCloseable {

    private final FrozenFeatures<I> features;
    private final List<String> classNames;
    private final float[][] prototypes;

    private PrototypeClassifier(FrozenFeatures<I> features, List<String> classNames, float[][] prototypes) {
        this.features = features;
        this.classNames = classNames;
        this.prototypes = prototypes;
    }

    /**
     * Embeds a support set and builds the class prototypes.
     *
     * @param backbone the embedding network (not modified; its weights are copied)
     * @param support at least one example of every class
     * @param <I> the raw input type
     * @return the classifier
     * @throws IllegalArgumentException when a class of the support set has no example
     */
    public static <I> PrototypeClassifier<I> of(Backbone<I> backbone, LabeledData<I> support) {
        FrozenFeatures<I> features = FrozenFeatures.of(backbone, 0);
        try {
            float[][] rows = features.extract(support);
            float[][] prototypes = Prototypes.of(rows, support.labels(), support.numClasses(), support.classNames());
            return new PrototypeClassifier<>(features, support.classNames(), prototypes);
        } catch (RuntimeException | Error e) {
            features.close();
            throw e;
        }
    }

    /** Returns the class names, in the support set's order. */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Ranks the classes for one input, most probable first.
     *
     * @param input a raw input
     * @return every class with its probability, most probable first
     */
    public List<Prediction> classify(I input) {
        float[] p = probabilities(List.of(input))[0];
        List<Prediction> ranked = new ArrayList<>();
        for (int c = 0; c < p.length; c++) {
            ranked.add(new Prediction(classNames.get(c), c, p[c]));
        }
        ranked.sort(Comparator.comparingDouble(Prediction::probability).reversed());
        return ranked;
    }

    /**
     * Returns the class probabilities of several inputs.
     *
     * @param inputs raw inputs
     * @return one row of probabilities per input, in {@link #classNames()} order
     */
    public float[][] probabilities(List<I> inputs) {
        LabeledData<I> unlabelled = LabeledData.of(inputs, new int[inputs.size()], List.of("unlabelled"));
        float[][] rows = features.extract(unlabelled);
        float[][] p = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            p[i] = Prototypes.probabilities(rows[i], prototypes);
        }
        return p;
    }

    /**
     * Classifies labelled test data and reports accuracy, macro-F1 and the confusion matrix.
     *
     * @param test examples whose class names are all among the support set's
     * @return the report, in {@link #classNames()} order
     * @throws IllegalArgumentException when the test data has a class the support set lacks
     */
    public ClassificationReport evaluate(LabeledData<I> test) {
        int[] truth = new int[test.size()];
        for (int i = 0; i < truth.length; i++) {
            String name = test.classNames().get(test.label(i));
            truth[i] = classNames.indexOf(name);
            if (truth[i] < 0) {
                throw new IllegalArgumentException("Test example " + i + " is of class '" + name
                        + "', which the support set lacks; its classes are " + classNames);
            }
        }
        float[][] p = probabilities(test.inputs());
        int[] predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int c = 1; c < p[i].length; c++) {
                if (p[i][c] > p[i][predicted[i]]) {
                    predicted[i] = c;
                }
            }
        }
        return ClassificationReport.of(truth, predicted, classNames);
    }

    /** Frees the backbone's network. */
    @Override
    public void close() {
        features.close();
    }
}
