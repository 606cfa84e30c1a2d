package io.tl4j.core;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;

/**
 * Turns a batch of raw inputs (feature vectors, images, texts, recordings) into the arrays a
 * backbone takes: decoding, preprocessing and, in training, augmentation.
 *
 * @param <I> the input type
 */
public interface InputPipeline<I> {

    /** Returns the shape of one preprocessed sample, without the batch axis. */
    Shape sampleShape();

    /**
     * Preprocesses a batch.
     *
     * @param manager the manager the arrays are created on
     * @param inputs the raw inputs
     * @param training true while training: random augmentation may apply
     * @param random the source of randomness for augmentation
     * @return the backbone's input arrays, batch first
     * @throws IllegalArgumentException when an input is malformed; the message says which
     */
    NDList batch(NDManager manager, List<I> inputs, boolean training, Random random);

    /**
     * Tells whether {@link #batch} with {@code training=true} does something random; then the frozen part's features
     * cannot be cached.
     */
    boolean isRandomInTraining();

    /** Returns the id under which {@link Components} can rebuild this pipeline. */
    String id();

    /**
     * Returns the settings {@link Components} rebuilds this pipeline from: a record of the class
     * registered for {@link #id()}, written into a saved model's {@code model.json} as a JSON object
     * (see {@link io.tl4j.core.persist.ConfigJson} for the types it may hold).
     *
     * @return the configuration
     */
    Record config();
}
