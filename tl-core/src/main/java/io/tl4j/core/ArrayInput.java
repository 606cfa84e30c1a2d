package io.tl4j.core;

/**
 * Says which {@code float[]} lengths an {@link InputPipeline} over float arrays takes, for callers that receive arrays
 * from outside (a model server's JSON requests) and must refuse a wrong one, naming it, before it reaches a batch where
 * it would fail every other input with it. Pipelines over numbers implement it beside {@link InputPipeline}, as file
 * pipelines implement {@link FileInput}, so that such a caller needs to know neither the pipeline nor its module.
 */
public interface ArrayInput {

    /**
     * Tells whether an array of that length is a valid input; the pipeline's own {@link InputPipeline#batch} refuses
     * exactly the lengths refused here.
     *
     * @param length the number of values in the array
     * @return true when the pipeline takes arrays of that length
     */
    boolean acceptsLength(int length);

    /**
     * Describes the lengths {@link #acceptsLength} accepts, for messages, as a phrase that follows "takes": e.g.
     * "arrays of 784 numbers (a 1x28x28 image)".
     *
     * @return the description
     */
    String acceptedArrays();
}
