package io.tl4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.tl4j.core.data.LabeledData;

/**
 * Softmax cross-entropy over a fixed number of classes, optionally weighting each example by its
 * class's weight: the objective of classification training and validation. The output is the class
 * scores {@code (batch, classes)}; the targets are the class indices {@code (batch)}.
 */
public final class CrossEntropy implements Objective {

    private final int classes;
    private final float[] classWeights;

    /**
     * Creates the objective.
     *
     * @param classes the number of classes
     * @param classWeights a weight per class, or null for the plain mean
     */
    public CrossEntropy(int classes, float[] classWeights) {
        this.classes = classes;
        this.classWeights = classWeights == null ? null : classWeights.clone();
    }

    @Override
    public NDArray loss(NDList output, NDList targets) {
        NDArray logits = output.head();
        NDArray labels = targets.head();
        NDArray logp = logits.logSoftmax(1);
        NDArray picked = labels.oneHot(classes).mul(logp).sum(new int[] {1});
        if (classWeights == null) {
            return picked.mean().neg();
        }
        NDArray w = labels.getManager().create(classWeights).get(labels);
        return picked.mul(w).sum().div(w.sum()).neg();
    }

    @Override
    public int correct(NDList output, NDList targets) {
        long[] predicted = output.head().argMax(1).toLongArray();
        long[] labels = targets.head().toLongArray();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct;
    }

    /**
     * Returns the weight of each class, for steps computed outside the engine.
     *
     * @return a copy of the weights, or null for the plain mean
     */
    float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /**
     * Returns the labels of some examples, as the targets' array expects them.
     *
     * @param data the data
     * @param idx the examples' indices
     * @return their labels
     */
    public static long[] labelsOf(LabeledData<?> data, int[] idx) {
        long[] labels = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            labels[i] = data.label(idx[i]);
        }
        return labels;
    }
}
