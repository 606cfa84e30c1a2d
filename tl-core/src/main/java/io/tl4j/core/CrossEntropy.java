package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.tl4j.core.data.LabeledData;

/**
 * Softmax cross-entropy over a fixed number of classes, optionally weighting each example by its
 * class's weight: the objective of classification training and validation.
 */
final class CrossEntropy {

    private final int classes;
    private final float[] classWeights;

    /**
     * Creates the objective.
     *
     * @param classes the number of classes
     * @param classWeights a weight per class, or null for the plain mean
     */
    CrossEntropy(int classes, float[] classWeights) {
        this.classes = classes;
        this.classWeights = classWeights == null ? null : classWeights.clone();
    }

    /**
     * Returns the mean loss of a batch.
     *
     * @param logits the class scores (batch, classes)
     * @param labels the class indices (batch)
     * @param sm the step's manager
     * @return the scalar loss
     */
    NDArray loss(NDArray logits, NDArray labels, NDManager sm) {
        NDArray logp = logits.logSoftmax(1);
        NDArray picked = labels.oneHot(classes).mul(logp).sum(new int[] {1});
        if (classWeights == null) {
            return picked.mean().neg();
        }
        NDArray w = sm.create(classWeights).get(labels);
        return picked.mul(w).sum().div(w.sum()).neg();
    }

    /**
     * Returns the labels of some examples as an array for {@link #loss}.
     *
     * @param data the data
     * @param idx the examples' indices
     * @return their labels
     */
    static long[] labelsOf(LabeledData<?> data, int[] idx) {
        long[] labels = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            labels[i] = data.label(idx[i]);
        }
        return labels;
    }
}
