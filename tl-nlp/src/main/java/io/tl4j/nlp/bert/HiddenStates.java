package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The array that flows between a BERT encoder's layers: {@code (batch, length, hidden + 1)}, the
 * token vectors with the attention mask (1 for a real token, 0 for padding) as the last channel.
 *
 * <p>Carrying the mask inside one array lets tl4j cache the output of any frozen prefix of layers
 * as a single array. Every layer computes only over the first {@link #activeLength} positions (the
 * longest text in the batch) and pads its output back to the full length with zeros, so a batch
 * padded to 512 positions costs what its longest text costs.
 */
public final class HiddenStates {

    private HiddenStates() {}

    /**
     * Packs token vectors and their attention mask into one array (batch, length, hidden + 1), padded to {@code
     * length}.
     *
     * @param hidden token vectors (batch, active, hidden)
     * @param mask the attention mask (batch, active), 1 or 0
     * @param length the full length to pad to
     * @return the packed array (batch, length, hidden + 1)
     */
    public static NDArray pack(NDArray hidden, NDArray mask, long length) {
        NDArray packed = hidden.concat(mask.toType(hidden.getDataType(), false).expandDims(2), 2);
        long active = hidden.getShape().get(1);
        if (active == length) {
            return packed;
        }
        Shape pad = new Shape(
                packed.getShape().get(0), length - active, packed.getShape().get(2));
        return NDArrays.concat(
                new ai.djl.ndarray.NDList(packed, packed.getManager().zeros(pad, packed.getDataType())), 1);
    }

    /**
     * Returns the token vectors (batch, length, hidden) of a packed array.
     *
     * @param packed a packed array
     * @return the token vectors (batch, length, hidden)
     */
    public static NDArray hidden(NDArray packed) {
        long width = packed.getShape().get(2);
        return packed.get(new NDIndex(":, :, :{}", width - 1));
    }

    /**
     * Returns the attention mask (batch, length) of a packed array, 1 for real tokens.
     *
     * @param packed a packed array
     * @return the attention mask (batch, length), 1 for real tokens
     */
    public static NDArray mask(NDArray packed) {
        long width = packed.getShape().get(2);
        return packed.get(new NDIndex(":, :, {}", width - 1));
    }

    /**
     * The number of leading positions that hold a real token in some text of the batch: one past
     * the last position whose mask is 1 anywhere (at least 1).
     *
     * @param mask the attention mask (batch, length)
     * @return the active length
     */
    public static long activeLength(NDArray mask) {
        float[] any = mask.toType(DataType.FLOAT32, false).sum(new int[] {0}).toFloatArray();
        int last = any.length - 1;
        while (last > 0 && any[last] == 0f) {
            last--;
        }
        return last + 1L;
    }
}
