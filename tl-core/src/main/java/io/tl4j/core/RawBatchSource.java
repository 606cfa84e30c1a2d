package io.tl4j.core;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.tl4j.core.data.FiniteValues;
import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Runs the pipeline and the frozen prefix for every batch, refusing non-finite values after the
 * pipeline with the example's index.
 *
 * @param <I> the raw input type
 */
final class RawBatchSource<I> implements BatchSource {

    private final Network net;
    private final int prefix;
    private final InputPipeline<I> pipeline;
    private final LabeledData<?> validation;

    /**
     * Creates the source.
     *
     * @param net the network
     * @param prefix the number of frozen leading stages to run in inference mode
     * @param pipeline turns raw inputs into arrays
     * @param validation the validation data, whose examples messages call "Validation example", or null
     */
    RawBatchSource(Network net, int prefix, InputPipeline<I> pipeline, LabeledData<?> validation) {
        this.net = net;
        this.prefix = prefix;
        this.pipeline = pipeline;
        this.validation = validation;
    }

    @Override
    public NDList batch(NDManager sm, LabeledData<?> data, int[] idx, boolean training, Random random) {
        return net.forwardPrefix(new ParameterStore(sm, false), inputs(sm, data, idx, training, random), prefix);
    }

    /**
     * Runs the pipeline alone: the batch the backbone's first stage reads.
     *
     * @param sm the step's manager, which owns what is created
     * @param data the data the indices point into
     * @param idx the examples' indices in {@code data}
     * @param training whether the pipeline may augment
     * @param random the augmentation's random source, or null when not training
     * @return the pipeline's batch
     * @throws IllegalArgumentException naming the examples when an input is malformed or not finite
     */
    @SuppressWarnings("unchecked")
    NDList inputs(NDManager sm, LabeledData<?> data, int[] idx, boolean training, Random random) {
        LabeledData<I> typed = (LabeledData<I>) data;
        List<I> inputs = new ArrayList<>(idx.length);
        for (int i : idx) {
            inputs.add(typed.input(i));
        }
        NDList x;
        try {
            x = pipeline.batch(sm, inputs, training, random);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Bad input among examples " + Arrays.toString(idx) + ": " + e.getMessage(), e);
        }
        FiniteValues.requireFiniteInputs(
                x, idx, pipeline.id(), data == validation ? "Validation example" : "Training example");
        return x;
    }

    @Override
    public int prefix() {
        return prefix;
    }
}
