package io.tl4j.core;

import io.tl4j.core.train.EpochFreezing;
import io.tl4j.core.train.JavaLinearHead;
import io.tl4j.core.train.TrainingLoop;
import java.util.List;

/**
 * Decides, epoch by epoch of a fit, whether the steps can run as a {@link JavaLinearHead}: only when
 * that computes what the engine would (up to the order of float sums) and is cheaper. That is an epoch that trains nothing but
 * a linear head without dropout on cached features of the whole backbone (no adapter layers, no backbone layer after
 * the cache, even one without parameters such as a pooling layer),
 * whose step is small ({@link #MAX_MULTIPLY_ADDS}) and whose features fit the Java heap comfortably;
 * any other epoch keeps the engine's steps. {@code -Dtl4j.train.javaHead=false} keeps them always.
 */
final class JavaHeadChoice {

    /** The system property that, set to {@code false}, keeps every step on the engine. */
    static final String PROPERTY = "tl4j.train.javaHead";

    /**
     * The largest step, in multiply-adds of the forward pass (batch x features x classes), that runs in
     * Java. Java's loops run a pass at about 3 G multiply-adds/s on one core here (forward and gradient:
     * two passes), the engine's step costs 0.5-1 ms of native calls plus its much faster matrix
     * kernels, so at a million multiply-adds (batch 32 x 512 features x 61 classes) the two are about
     * even; the benchmark's head (batch 32 x 512 x 10) is a sixth of that. An estimate from those
     * costs, not a measured crossover.
     */
    static final long MAX_MULTIPLY_ADDS = 1_000_000;

    /** The most feature values copied to the Java heap (256 MB). */
    static final long MAX_CACHED_VALUES = 1L << 26;

    private final TrainingConfig config;
    private final FitData<?> data;
    private FeatureCache cachedFrom;
    private JavaLinearHead head;

    /**
     * Creates the choice of a fit.
     *
     * @param config the fit's settings
     * @param data the fit's data
     */
    JavaHeadChoice(TrainingConfig config, FitData<?> data) {
        this.config = config;
        this.data = data;
    }

    /**
     * Returns the epoch's work, with its steps in Java when they can be.
     *
     * @param work the epoch's work on the engine
     * @param freezing the epoch's freezing
     * @param training the epoch's source of training batches
     * @return {@code work}, or {@code work} with a {@link JavaLinearHead}
     */
    TrainingLoop.Epoch apply(TrainingLoop.Epoch work, EpochFreezing freezing, BatchSource training) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
                || !freezing.cached()
                || freezing.prefix() != freezing.stageTraining().length
                || !(training instanceof FeatureCache cache)
                || !"linear".equals(config.head().config().kind())
                || config.head().config().dropout() > 0
                || !config.adapterUnits().isEmpty()) {
            return work;
        }
        List<TrainingLoop.Trainable> trainable = work.trainable();
        if (trainable.size() != 2
                || !trainable.stream().allMatch(t -> t.name().startsWith(Network.HEAD + "."))
                || trainable.get(0).parameter().getArray().getShape().dimension() != 2) {
            return work;
        }
        long classes = trainable.get(0).parameter().getArray().getShape().get(0);
        long perExample = cache.valuesPerExample();
        if ((long) config.batchSize() * perExample * classes > MAX_MULTIPLY_ADDS
                || data.pool().size() * perExample > MAX_CACHED_VALUES) {
            return work;
        }
        if (cache != cachedFrom) {
            head = new JavaLinearHead(cache.toFloatArray(), data.pool().labels(), trainable.get(0), trainable.get(1));
            cachedFrom = cache;
        }
        return new TrainingLoop.Epoch(work.batches(), trainable, work.batch(), work.forward(), head);
    }
}
