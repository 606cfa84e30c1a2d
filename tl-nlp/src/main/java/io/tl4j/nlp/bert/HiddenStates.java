package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.ref.WeakReference;

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

    /**
     * The array {@link #pack} made last on this thread and its active length: the next layer takes
     * the length from here instead of reading the mask back from the device once per layer (on a GPU
     * each read waits for every queued kernel).
     */
    private static final ThreadLocal<Packed> LAST_PACKED = new ThreadLocal<>();

    private record Packed(WeakReference<NDArray> array, long active) {}

    private HiddenStates() {}

    /**
     * Packs token vectors and their attention mask into one array (batch, length, hidden + 1), padded to {@code
     * length}.
     *
     * @param hidden token vectors (batch, active, hidden), where {@code active} is the {@link
     *     #activeLength} of {@code mask}
     * @param mask the attention mask (batch, active), 1 or 0
     * @param length the full length to pad to
     * @return the packed array (batch, length, hidden + 1)
     */
    public static NDArray pack(NDArray hidden, NDArray mask, long length) {
        NDArray packed = hidden.concat(mask.toType(hidden.getDataType(), false).expandDims(2), 2);
        long active = hidden.getShape().get(1);
        if (active < length) {
            Shape pad = new Shape(
                    packed.getShape().get(0), length - active, packed.getShape().get(2));
            packed = NDArrays.concat(new NDList(packed, packed.getManager().zeros(pad, packed.getDataType())), 1);
        }
        LAST_PACKED.set(new Packed(new WeakReference<>(packed), active));
        return packed;
    }

    /**
     * The {@link #activeLength} of a packed array's mask: remembered when this thread packed or last
     * asked about that very array, otherwise read from the mask (and remembered).
     *
     * @param packed a packed array
     * @return the active length
     */
    public static long activeLengthOf(NDArray packed) {
        Packed last = LAST_PACKED.get();
        if (last != null && last.array().get() == packed) {
            return last.active();
        }
        long active = activeLength(mask(packed));
        LAST_PACKED.set(new Packed(new WeakReference<>(packed), active));
        return active;
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
