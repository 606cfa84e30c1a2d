package io.tl4j.nlp.fewshot;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.Shuffle;
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
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SetFit-style contrastive fine-tuning of a sentence encoder: the encoder learns to put texts of
 * the same class close together and texts of different classes apart, with the cosine-similarity
 * loss {@code (cos(a, b) - [same class])²} averaged over every pair of texts in a batch (a batch of
 * 16 texts gives 120 pairs for the price of 16 forward passes). A new head is then trained on the
 * tuned embeddings, e.g. {@code TransferLearner.from(tuned).freezeAll().fit(train)}: with a few
 * dozen examples this usually beats putting a head on the encoder and fine-tuning both with
 * cross-entropy, because every pair is a training signal.
 *
 * <pre>{@code
 * Backbone<String> tuned = ContrastiveTuner.from(minilm.backbone(Pooling.MEAN, 128))
 *         .epochs(5).learningRate(5e-5f).tune(train);
 * TransferModel<String> model = TransferLearner.from(tuned).freezeAll().epochs(50).fit(train);
 * }</pre>
 *
 * <p>The backbone's features must be one embedding vector per text (mean pooling, for BERT). The
 * given backbone is not changed; {@link #tune} returns a new one. Every method returns a new tuner.
 */
public final class ContrastiveTuner {

    private static final Logger LOG = LoggerFactory.getLogger(ContrastiveTuner.class);

    private final Backbone<String> backbone;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final long seed;

    private ContrastiveTuner(Backbone<String> backbone, int epochs, int batchSize, float learningRate, long seed) {
        this.backbone = backbone;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.seed = seed;
    }

    /**
     * Creates a tuner for a sentence encoder: 5 epochs, batches of 16 texts, AdamW at 5e-5 (weight decay 0.01), seed
     * 42.
     *
     * @param backbone a sentence encoder whose features are one vector per text
     * @return a tuner with 5 epochs, batches of 16 texts, AdamW at 5e-5 (weight decay 0.01), seed 42
     * @throws IllegalArgumentException when the backbone's features are not vectors
     */
    public static ContrastiveTuner from(Backbone<String> backbone) {
        Objects.requireNonNull(backbone, "backbone");
        if (backbone.featureShape().dimension() != 1) {
            throw new IllegalArgumentException("Contrastive tuning needs one embedding vector per text; "
                    + backbone.architecture().id() + " outputs features of shape " + backbone.featureShape());
        }
        return new ContrastiveTuner(backbone, 5, 16, 5e-5f, 42);
    }

    /**
     * Returns a tuner with another number of epochs.
     *
     * @param epochs passes over the training texts
     * @return a tuner with that many epochs
     */
    public ContrastiveTuner epochs(int epochs) {
        positive(epochs, "epochs");
        return new ContrastiveTuner(backbone, epochs, batchSize, learningRate, seed);
    }

    /**
     * Returns a tuner with another batch size.
     *
     * @param batchSize texts per step; every pair among them is a training pair (at least 2)
     * @return a tuner with that batch size
     */
    public ContrastiveTuner batchSize(int batchSize) {
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize must be at least 2 to form pairs, got " + batchSize);
        }
        return new ContrastiveTuner(backbone, epochs, batchSize, learningRate, seed);
    }

    /**
     * Returns a tuner with another learning rate.
     *
     * @param learningRate AdamW's learning rate
     * @return a tuner with it
     */
    public ContrastiveTuner learningRate(float learningRate) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
        return new ContrastiveTuner(backbone, epochs, batchSize, learningRate, seed);
    }

    /**
     * Returns a tuner with another seed for batch order and dropout.
     *
     * @param seed seeds batch order and dropout
     * @return a tuner with it
     */
    public ContrastiveTuner seed(long seed) {
        return new ContrastiveTuner(backbone, epochs, batchSize, learningRate, seed);
    }

    /**
     * Tunes a copy of the encoder on pairs of the labelled texts.
     *
     * @param data labelled texts with at least two classes
     * @return a new backbone with the tuned weights (close it when done)
     * @throws TrainingDivergedException when the loss stops being finite
     */
    public Backbone<String> tune(LabeledData<String> data) {
        if (data.size() < 2) {
            throw new IllegalArgumentException("Contrastive tuning needs at least 2 texts, got " + data.size());
        }
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(OptimizerSpec.adamW(learningRate, 0.01f), manager)) {
            Block block = backbone.instantiate(manager, seed);
            block.freezeParameters(false);
            TrainingLoop.Settings settings = new TrainingLoop.Settings(
                    epochs,
                    batchSize,
                    seed,
                    OptimizerSpec.adamW(learningRate, 0.01f),
                    LearningRateSchedule.constant(),
                    (data.size() + batchSize - 1) / batchSize,
                    0);
            TrainingLoop loop = new TrainingLoop(
                    settings, new CosinePairLoss(), updater, new DivergenceGuard(0, 2, Double.NaN), List.of());
            loop.run(new PairEpochs(block, data), manager, 1, History.empty());
            return backbone.toBuilder()
                    .optWeightsFrom(block)
                    .optProvenance(backbone.provenance()
                            .withNote(backbone.provenance().note()
                                    + (backbone.provenance().note().isEmpty() ? "" : "; ")
                                    + "contrastively tuned on " + data.size() + " texts for " + epochs + " epochs"))
                    .build();
        }
    }

    /**
     * The tuner's epochs: texts in a fresh random order each epoch, cut into batches of {@link #batchSize}
     * (a last batch of one text, which has no pair, is skipped), every parameter of the encoder training.
     */
    private final class PairEpochs implements TrainingLoop.Run {

        private final Block block;
        private final LabeledData<String> data;
        private final List<TrainingLoop.Trainable> trainable = new ArrayList<>();
        private final Random random = new Random(seed);

        PairEpochs(Block block, LabeledData<String> data) {
            this.block = block;
            this.data = data;
            ParameterNames.of(block).forEach((name, p) -> trainable.add(new TrainingLoop.Trainable(name, p, 1f)));
        }

        @Override
        public TrainingLoop.Epoch beginEpoch(int epoch) {
            int[] order = Shuffle.permutation(data.size(), random);
            List<int[]> batches = new ArrayList<>();
            for (int start = 0; start < order.length; start += batchSize) {
                int end = Math.min(order.length, start + batchSize);
                if (end - start >= 2) {
                    batches.add(java.util.Arrays.copyOfRange(order, start, end));
                }
            }
            return new TrainingLoop.Epoch(
                    batches, trainable, this::batch, (sm, x) -> block.forward(new ParameterStore(sm, false), x, true));
        }

        private TrainingLoop.Batch batch(NDManager sm, int[] idx) {
            List<String> texts = new ArrayList<>(idx.length);
            int[] labels = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                texts.add(data.input(idx[i]));
                labels[i] = data.label(idx[i]);
            }
            NDList x = backbone.pipeline().batch(sm, texts, true, random);
            return new TrainingLoop.Batch(x, CosinePairLoss.targets(sm, labels));
        }

        @Override
        public boolean endEpoch(EpochRecord record, History history) {
            LOG.info(
                    "Contrastive tuning epoch {}/{}: pair loss {}",
                    record.epoch(),
                    epochs,
                    String.format(java.util.Locale.ROOT, "%.4f", record.trainLoss()));
            return false;
        }
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
