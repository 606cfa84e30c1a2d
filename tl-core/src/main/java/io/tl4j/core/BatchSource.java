package io.tl4j.core;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.data.LabeledData;
import java.util.Random;

/**
 * Supplies a batch's input to the trainable part of a network: from the raw inputs through the
 * pipeline and the frozen prefix ({@link RawBatchSource}), or from features computed once ({@link
 * FeatureCache}).
 */
interface BatchSource {

    /**
     * Returns the input of stage {@link #prefix()} for some examples.
     *
     * @param sm the step's manager, which owns what is created
     * @param data the data the indices point into
     * @param idx the examples' indices in {@code data}
     * @param training whether the pipeline may augment
     * @param random the augmentation's random source, or null when not training
     * @return the batch after the frozen prefix
     */
    NDList batch(NDManager sm, LabeledData<?> data, int[] idx, boolean training, Random random);

    /**
     * Returns how many leading stages the batches have already been through.
     *
     * @return the frozen prefix's length in stages
     */
    int prefix();
}
