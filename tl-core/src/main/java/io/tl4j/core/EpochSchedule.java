package io.tl4j.core;

import io.tl4j.core.data.Shuffle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Which examples each epoch trains on, in which batches: every training example once, plus, with
 * rehearsal, a fixed number of replay examples drawn afresh each epoch, shuffled by a seed of the
 * epoch so a resumed run sees the same order.
 */
final class EpochSchedule {

    private final int trainSize;
    private final int poolSize;
    private final int replayCount;
    private final int batchSize;
    private final long seed;

    /**
     * Creates the schedule.
     *
     * @param trainSize the new task's examples, first in the pool
     * @param poolSize the whole pool, replay examples after the new task's
     * @param replayRatio replay examples per new example, or 0
     * @param batchSize examples per batch
     * @param seed the run's seed
     */
    EpochSchedule(int trainSize, int poolSize, double replayRatio, int batchSize, long seed) {
        this.trainSize = trainSize;
        this.poolSize = poolSize;
        this.replayCount = poolSize == trainSize ? 0 : (int) Math.round(replayRatio * trainSize);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * Returns the number of batches in every epoch.
     *
     * @return the steps per epoch
     */
    int stepsPerEpoch() {
        return batches(trainSize + replayCount, batchSize).size();
    }

    /**
     * Returns an epoch's batches of pool indices.
     *
     * @param epoch the epoch, from 1
     * @return the batches, in order
     */
    List<int[]> batches(int epoch) {
        Random random = new Random(seed * 1_000_003L + epoch);
        int[] indices = new int[trainSize + replayCount];
        for (int i = 0; i < trainSize; i++) {
            indices[i] = i;
        }
        int[] replay = Shuffle.permutation(poolSize - trainSize, random);
        for (int i = 0; i < replayCount; i++) {
            indices[trainSize + i] = trainSize + replay[i % replay.length];
        }
        Shuffle.shuffle(indices, random);
        return batches(indices, batchSize);
    }

    /**
     * Splits {@code 0 .. size-1} into batches; see {@link #batches(int[], int)}.
     *
     * @param size the number of examples
     * @param batchSize examples per batch
     * @return the batches
     */
    static List<int[]> batches(int size, int batchSize) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        return batches(all, batchSize);
    }

    /**
     * Splits indices into batches; a last batch of one joins the one before (BatchNorm needs two).
     *
     * @param indices the indices, in order
     * @param batchSize examples per batch
     * @return the batches
     */
    static List<int[]> batches(int[] indices, int batchSize) {
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < indices.length; start += batchSize) {
            int end = Math.min(indices.length, start + batchSize);
            if (end - start == 1 && end == indices.length && !batches.isEmpty()) {
                int[] last = batches.remove(batches.size() - 1);
                int[] merged = Arrays.copyOf(last, last.length + 1);
                merged[last.length] = indices[start];
                batches.add(merged);
            } else {
                batches.add(Arrays.copyOfRange(indices, start, end));
            }
        }
        return batches;
    }
}
