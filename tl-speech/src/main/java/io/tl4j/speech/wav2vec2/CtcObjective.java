package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import io.tl4j.core.train.Objective;
import java.util.Arrays;
import java.util.List;

/**
 * Connectionist temporal classification as the objective of tl-core's training loop: the loss is
 * {@link CtcLoss}'s, and an example counts as right when greedy decoding of its frames gives exactly
 * its transcript. The output is {@code [logits (batch, frames, vocab), frameLengths (batch)]}, as
 * {@link Wav2Vec2ForCtc#block()} returns it; the targets are {@code [targets (batch, maxLabels),
 * targetLengths (batch)]}, label ids padded with anything.
 */
public final class CtcObjective implements Objective {

    private final CtcLoss loss;
    private final CtcGreedyDecoder decoder;

    /**
     * Creates the objective that minimises a CTC loss.
     *
     * @param loss the loss, with its blank id, reduction and handling of impossible examples
     */
    public CtcObjective(CtcLoss loss) {
        this.loss = loss;
        this.decoder = new CtcGreedyDecoder(loss.blank());
    }

    @Override
    public NDArray loss(NDList output, NDList targets) {
        return loss.evaluate(targets, output);
    }

    @Override
    public int correct(NDList output, NDList targets) {
        List<int[]> decoded = decoder.decode(output.get(0), output.get(1));
        long[] labels = targets.get(0).toType(DataType.INT64, false).toLongArray();
        long[] lengths = targets.get(1).toType(DataType.INT64, false).toLongArray();
        int width = lengths.length == 0 ? 0 : labels.length / lengths.length;
        int correct = 0;
        for (int b = 0; b < lengths.length; b++) {
            long[] transcript = Arrays.copyOfRange(labels, b * width, b * width + (int) lengths[b]);
            if (Arrays.equals(Arrays.stream(decoded.get(b)).asLongStream().toArray(), transcript)) {
                correct++;
            }
        }
        return correct;
    }
}
