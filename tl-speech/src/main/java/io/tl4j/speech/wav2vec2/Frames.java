package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * How the wav2vec2 stages pass padding along: one array {@code (batch, frames, channels + 1)} whose
 * last channel is 1 for a real frame and 0 for padding. One array per stage output (rather than a
 * second array in the {@code NDList}) keeps the mask with the features when tl-core caches a frozen
 * prefix's output.
 */
final class Frames {

    private Frames() {}

    /**
     * Packs features and their frame mask into one array {@code (batch, frames, channels + 1)}.
     *
     * @param features {@code (batch, frames, channels)}
     * @param mask {@code (batch, frames)}, 1 for real frames
     * @return {@code (batch, frames, channels + 1)}
     */
    static NDArray pack(NDArray features, NDArray mask) {
        return features.concat(mask.toType(features.getDataType(), false).expandDims(2), 2);
    }

    /**
     * Returns the features {@code (batch, frames, channels)} of a stage's output.
     *
     * @param packed a stage's output
     * @return the features {@code (batch, frames, channels)}
     */
    static NDArray features(NDArray packed) {
        return packed.get(":, :, :-1");
    }

    /**
     * Returns the mask {@code (batch, frames)} of a stage's output, 1 for real frames.
     *
     * @param packed a stage's output
     * @return the mask {@code (batch, frames)}, 1 for real frames
     */
    static NDArray mask(NDArray packed) {
        return packed.get(":, :, -1");
    }

    /**
     * Returns the number of real frames per example of a stage's output, as int64 {@code (batch)}.
     *
     * @param packed a stage's output
     * @return the number of real frames per example, as int64 {@code (batch)}
     */
    static NDArray lengths(NDArray packed) {
        return mask(packed).sum(new int[] {1}).round().toType(DataType.INT64, false);
    }

    /**
     * Returns the only array of a stage's input list.
     *
     * @param inputs a stage's input list
     * @return its only array
     * @throws IllegalArgumentException when the list does not hold exactly one array
     */
    static NDArray single(NDList inputs, String stage) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(stage + " takes one array, got " + inputs.size());
        }
        return inputs.head();
    }
}
