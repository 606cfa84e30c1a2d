package io.tl4j.core.nn;

import ai.djl.ndarray.NDList;

/**
 * A layer that bounds the memory of its inference by running a batch a slice at a time. {@link
 * LayeredBlock#forwardRangeReleasing} asks it how many examples one slice may hold, runs the slices
 * one after the other, freeing each slice's temporaries before the next, and joins the outputs.
 *
 * <p>For layers whose temporaries grow faster than the batch's data: a BERT layer's attention maps
 * at 512 tokens take 12.6 MB per example and head count, so a batch of 16 makes maps of 200 MB each,
 * which glibc's malloc maps and unmaps on every call (page faults) and which do not fit any cache.
 */
public interface BatchSlicing {

    /**
     * Returns how many examples of this batch one slice may hold. The layer sees the arrays, not only
     * their shapes, so a layer that computes over part of its input (BERT over the positions that
     * hold a token) can size slices by what it will compute.
     *
     * @param inputs the layer's inputs, batch first
     * @return the examples per slice, at least 1
     */
    int examplesPerSlice(NDList inputs);
}
