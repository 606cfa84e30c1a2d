package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy (best-path) CTC decoding: the most likely id per real frame, repeats merged, blanks
 * dropped.
 */
public final class CtcGreedyDecoder {

    private final int blank;

    /**
     * Creates a greedy decoder that drops the blank with that id.
     *
     * @param blank the blank's id
     */
    public CtcGreedyDecoder(int blank) {
        this.blank = blank;
    }

    /**
     * Decodes each example greedily: best token per frame, repeats merged, blanks removed.
     *
     * @param logits {@code (batch, frames, vocab)} scores or log-probabilities
     * @param frameLengths real frames per example {@code (batch)}, or {@code null} when all are real
     * @return the decoded ids per example
     */
    public List<int[]> decode(NDArray logits, NDArray frameLengths) {
        int batch = (int) logits.getShape().get(0);
        int frames = (int) logits.getShape().get(1);
        long[] best = logits.argMax(2).toType(DataType.INT64, false).toLongArray();
        long[] lengths = frameLengths == null
                ? null
                : frameLengths.toType(DataType.INT64, false).toLongArray();
        List<int[]> decoded = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int length = lengths == null ? frames : (int) Math.min(frames, lengths[b]);
            decoded.add(collapse(best, b * frames, length));
        }
        return decoded;
    }

    private int[] collapse(long[] path, int offset, int length) {
        List<Integer> ids = new ArrayList<>();
        long previous = -1;
        for (int t = 0; t < length; t++) {
            long id = path[offset + t];
            if (id != previous && id != blank) {
                ids.add((int) id);
            }
            previous = id;
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
