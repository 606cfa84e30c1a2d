package io.tl4j.speech.wav2vec2;

import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.data.Shuffle;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import io.tl4j.core.train.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epochs of a CTC fine-tuning run, as {@link TrainingLoop} asks for them: the clips in a fresh
 * random order each epoch, cut into batches (the last one possibly smaller), the whole network run
 * forward in training mode, and the parameters that are not frozen trained at the full learning rate.
 */
final class CtcEpochs implements TrainingLoop.Run {

    private static final Logger LOG = LoggerFactory.getLogger(CtcFineTuner.class);

    private final Block network;
    private final CtcTrainingData data;
    private final List<TrainingLoop.Trainable> trainable;
    private final int batchSize;
    private final int epochs;
    private final Random random;

    /**
     * Creates the epochs of a run.
     *
     * @param network the network to train, returning logits and frame lengths
     * @param data the training clips
     * @param trainable the parameters to train
     * @param batchSize clips per step
     * @param epochs the epochs in the run (for the log)
     * @param seed seeds the batch order
     */
    CtcEpochs(
            Block network,
            CtcTrainingData data,
            List<TrainingLoop.Trainable> trainable,
            int batchSize,
            int epochs,
            long seed) {
        this.network = network;
        this.data = data;
        this.trainable = List.copyOf(trainable);
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.random = new Random(seed);
    }

    /** Returns the optimizer steps of an epoch over {@code clips} clips in batches of {@code batchSize}. */
    static int stepsPerEpoch(int clips, int batchSize) {
        return (clips + batchSize - 1) / batchSize;
    }

    @Override
    public TrainingLoop.Epoch beginEpoch(int epoch) {
        int[] order = Shuffle.permutation(data.size(), random);
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.length; start += batchSize) {
            batches.add(Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize)));
        }
        return new TrainingLoop.Epoch(
                batches, trainable, data::batch, (sm, x) -> network.forward(new ParameterStore(sm, false), x, true));
    }

    @Override
    public boolean endEpoch(EpochRecord record, History history) {
        LOG.info(
                "CTC fine-tuning epoch {}/{}: loss {}, exact transcripts {}",
                record.epoch(),
                epochs,
                String.format(Locale.ROOT, "%.4f", record.trainLoss()),
                String.format(Locale.ROOT, "%.3f", record.metrics().getOrDefault("train_accuracy", Double.NaN)));
        return false;
    }
}
