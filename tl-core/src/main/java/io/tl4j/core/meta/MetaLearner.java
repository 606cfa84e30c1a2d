package io.tl4j.core.meta;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import io.tl4j.core.train.DivergenceGuard;
import io.tl4j.core.train.LearningRateSchedule;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.train.TrainingDivergedException;
import io.tl4j.core.train.TrainingLoop;
import io.tl4j.core.train.Updater;
import io.tl4j.core.weights.ParameterNames;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta-trains a backbone as a prototypical network (Snell et al., 2017): every optimizer step is one
 * N-way K-shot episode drawn from the labelled source classes ({@link EpisodeSampler}), its loss the
 * {@link PrototypicalLoss} of the queries against the support set's prototypes, run by the same
 * {@link TrainingLoop} and {@link Updater} as {@code TransferLearner.fit}. Every parameter of the
 * backbone trains; the pipeline augments inputs in training as it does for {@code TransferLearner}.
 *
 * <pre>{@code
 * try (MetaModel<Audio> meta = MetaLearner.from(KeywordEncoder.untrained(augmented))
 *                 .episodes(20, 3, 2).steps(216).fit(sourceWords);
 *         PrototypeClassifier<Audio> words = meta.fewShot(threeClipsPerNewWord)) {
 *     words.classify(clip);
 * }
 * }</pre>
 *
 * <p>Every method returns a new learner; the given backbone is never changed.
 *
 * @param <I> the raw input type
 */
public final class MetaLearner<I> {

    private static final Logger LOG = LoggerFactory.getLogger(MetaLearner.class);

    /** Episodes per record of the history (and per log line). */
    static final int EPISODES_PER_RECORD = 50;

    private final Backbone<I> backbone;
    private final int ways;
    private final int shots;
    private final int queries;
    private final int steps;
    private final OptimizerSpec optimizer;
    private final LearningRateSchedule schedule;
    private final long seed;

    private MetaLearner(
            Backbone<I> backbone,
            int ways,
            int shots,
            int queries,
            int steps,
            OptimizerSpec optimizer,
            LearningRateSchedule schedule,
            long seed) {
        this.backbone = backbone;
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
        this.steps = steps;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.seed = seed;
    }

    /**
     * Creates a learner for a backbone: 5-way 5-shot episodes with 5 queries per class, 500 episodes,
     * AdamW at 1e-3 (weight decay 1e-4) with a 5% warm-up and cosine decay, seed 42.
     *
     * @param backbone the network to meta-train, pretrained or not (not modified)
     * @param <I> the raw input type
     * @return the learner
     */
    public static <I> MetaLearner<I> from(Backbone<I> backbone) {
        Objects.requireNonNull(backbone, "backbone");
        return new MetaLearner<>(
                backbone, 5, 5, 5, 500, OptimizerSpec.adamW(1e-3f, 1e-4f), LearningRateSchedule.warmupCosine(0.05), 42);
    }

    /**
     * Returns a learner with another episode shape.
     *
     * @param ways classes per episode, at least 2
     * @param shots support examples per class, at least 1
     * @param queries query examples per class, at least 1
     * @return a learner with it
     */
    public MetaLearner<I> episodes(int ways, int shots, int queries) {
        if (ways < 2 || shots < 1 || queries < 1) {
            throw new IllegalArgumentException("An episode needs at least 2 ways, 1 shot and 1 query, got " + ways
                    + " ways, " + shots + " shots, " + queries + " queries");
        }
        return new MetaLearner<>(backbone, ways, shots, queries, steps, optimizer, schedule, seed);
    }

    /**
     * Returns a learner that trains on another number of episodes, one optimizer step each.
     *
     * @param steps the number of episodes
     * @return a learner with it
     */
    public MetaLearner<I> steps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        return new MetaLearner<>(backbone, ways, shots, queries, steps, optimizer, schedule, seed);
    }

    /**
     * Returns a learner with another peak learning rate for the current optimizer.
     *
     * @param learningRate the peak learning rate
     * @return a learner with it
     */
    public MetaLearner<I> learningRate(float learningRate) {
        return optimizer(optimizer.withLearningRate(learningRate));
    }

    /**
     * Returns a learner with another optimizer.
     *
     * @param optimizer the optimizer and its peak learning rate
     * @return a learner with it
     */
    public MetaLearner<I> optimizer(OptimizerSpec optimizer) {
        return new MetaLearner<>(
                backbone, ways, shots, queries, steps, Objects.requireNonNull(optimizer), schedule, seed);
    }

    /**
     * Returns a learner with another learning-rate schedule over the episodes.
     *
     * @param schedule how the learning rate changes over the run
     * @return a learner with it
     */
    public MetaLearner<I> schedule(LearningRateSchedule schedule) {
        return new MetaLearner<>(
                backbone, ways, shots, queries, steps, optimizer, Objects.requireNonNull(schedule), seed);
    }

    /**
     * Returns a learner with another seed for the episodes, augmentation and initialization.
     *
     * @param seed fixes the run
     * @return a learner with it
     */
    public MetaLearner<I> seed(long seed) {
        return new MetaLearner<>(backbone, ways, shots, queries, steps, optimizer, schedule, seed);
    }

    /** Returns the number of examples one episode runs through the backbone. */
    public int episodeSize() {
        return ways * (shots + queries);
    }

    /**
     * Meta-trains a copy of the backbone on episodes of the source data.
     *
     * @param source labelled source classes: at least {@code ways} of them, each with at least {@code
     *     shots + queries} examples
     * @return the meta-trained model; close it when done
     * @throws IllegalArgumentException when the data cannot fill an episode (the message names the
     *     class and the counts)
     * @throws TrainingDivergedException when the loss stops being finite
     */
    public MetaModel<I> fit(LabeledData<I> source) {
        EpisodeSampler sampler = new EpisodeSampler(source, ways, shots, queries, seed);
        int perRecord = Math.min(steps, EPISODES_PER_RECORD);
        int records = (steps + perRecord - 1) / perRecord;
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(optimizer, manager)) {
            Block block = backbone.instantiate(manager, seed);
            block.freezeParameters(false);
            TrainingLoop.Settings settings =
                    new TrainingLoop.Settings(records, ways * queries, seed, optimizer, schedule, perRecord, 0);
            TrainingLoop loop = new TrainingLoop(
                    settings, new PrototypicalLoss(ways), updater, new DivergenceGuard(0, ways, Double.NaN), List.of());
            History history = loop.run(new EpisodeRun(block, source, sampler, perRecord), manager, 1, History.empty());
            Backbone<I> trained = backbone.toBuilder()
                    .optWeightsFrom(block)
                    .optProvenance(backbone.provenance()
                            .withNote(noteAfter(backbone.provenance().note())))
                    .build();
            return new MetaModel<>(trained, history);
        }
    }

    private String noteAfter(String note) {
        return (note.isEmpty() ? "" : note + "; ")
                + String.format(
                        Locale.ROOT,
                        "meta-trained on %d episodes of %d ways, %d shots, %d queries",
                        steps,
                        ways,
                        shots,
                        queries);
    }

    /** The loop's side: each record of the history is a block of episodes, each step one episode. */
    private final class EpisodeRun implements TrainingLoop.Run {

        private final Block block;
        private final LabeledData<I> source;
        private final EpisodeSampler sampler;
        private final int perRecord;
        private final List<TrainingLoop.Trainable> trainable = new ArrayList<>();
        /** This record's episodes, keyed by the very query array the loop hands back as the batch. */
        private final Map<int[], Episode> current = new IdentityHashMap<>();

        private final Random random = new Random(seed);
        private int done;

        EpisodeRun(Block block, LabeledData<I> source, EpisodeSampler sampler, int perRecord) {
            this.block = block;
            this.source = source;
            this.sampler = sampler;
            this.perRecord = perRecord;
            ParameterNames.of(block).forEach((name, p) -> {
                if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
                    p.freeze(true); // BatchNorm statistics follow the batches, never a gradient
                } else {
                    trainable.add(new TrainingLoop.Trainable(name, p, 1f));
                }
            });
        }

        @Override
        public TrainingLoop.Epoch beginEpoch(int epoch) {
            current.clear();
            List<int[]> batches = new ArrayList<>();
            int count = Math.min(perRecord, steps - done);
            for (int e = 0; e < count; e++) {
                Episode episode = sampler.next();
                int[] queries = episode.query();
                current.put(queries, episode);
                batches.add(queries);
            }
            done += count;
            return new TrainingLoop.Epoch(
                    batches, trainable, this::batch, (sm, x) -> block.forward(new ParameterStore(sm, false), x, true));
        }

        /** Makes an episode's batch, support examples first; the loop counts its queries as the batch's examples. */
        private TrainingLoop.Batch batch(NDManager sm, int[] queries) {
            Episode episode = current.get(queries);
            List<I> inputs = new ArrayList<>();
            for (int i : episode.indices()) {
                inputs.add(source.input(i));
            }
            return new TrainingLoop.Batch(
                    backbone.pipeline().batch(sm, inputs, true, random), PrototypicalLoss.targets(sm, episode));
        }

        @Override
        public boolean endEpoch(EpochRecord record, History history) {
            LOG.info(
                    "Meta-training episodes {}/{}: prototypical loss {}, query accuracy {}",
                    done,
                    steps,
                    String.format(Locale.ROOT, "%.4f", record.trainLoss()),
                    String.format(Locale.ROOT, "%.3f", record.metrics().getOrDefault("train_accuracy", Double.NaN)));
            return false;
        }
    }
}
