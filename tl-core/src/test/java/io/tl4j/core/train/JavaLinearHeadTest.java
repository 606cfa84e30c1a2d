package io.tl4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.tl4j.core.metrics.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plain-Java steps of a linear head against the engine's steps of the same head: same initial
 * weights, same batches, same settings; the trained weights, losses, accuracies and optimizer state
 * agree within float rounding.
 */
class JavaLinearHeadTest {

    private static final int EXAMPLES = 96;
    private static final int DIMS = 24;
    private static final int CLASSES = 5;
    private static final int EPOCHS = 4;
    /** Largest difference allowed between the two paths' weights after {@link #EPOCHS} epochs. */
    private static final float TOLERANCE = 2e-5f;

    private static final float[] FEATURES = new float[EXAMPLES * DIMS];
    private static final int[] LABELS = new int[EXAMPLES];

    static {
        Random random = new Random(3);
        for (int i = 0; i < EXAMPLES; i++) {
            LABELS[i] = i % CLASSES;
            for (int k = 0; k < DIMS; k++) {
                FEATURES[i * DIMS + k] = (float) random.nextGaussian() + (k % CLASSES == LABELS[i] ? 0.8f : 0f);
            }
        }
    }

    /** A setting of the loop that both paths must honour. */
    record Case(String name, OptimizerSpec optimizer, LearningRateSchedule schedule, double clip, float[] weights) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("adam", OptimizerSpec.adam(1e-2f), LearningRateSchedule.constant(), 0, null),
                new Case(
                        "adam, L2 decay, one-cycle",
                        OptimizerSpec.adam(1e-2f).withWeightDecay(0.05f),
                        LearningRateSchedule.oneCycle(0.3),
                        0,
                        null),
                new Case(
                        "adamW, warmup-cosine",
                        OptimizerSpec.adamW(2e-2f, 0.1f),
                        LearningRateSchedule.warmupCosine(0.2),
                        0,
                        null),
                new Case(
                        "sgd momentum, decay, clipped",
                        OptimizerSpec.sgd(0.2f, 0.9f).withWeightDecay(0.01f),
                        LearningRateSchedule.constant(),
                        0.5,
                        null),
                new Case(
                        "sgd, class weights",
                        OptimizerSpec.sgd(0.1f, 0f),
                        LearningRateSchedule.constant(),
                        0,
                        new float[] {1f, 2f, 0.5f, 1f, 3f}));
    }

    /** The outcome of a run. */
    private record Outcome(Map<String, float[]> weights, History history, Map<String, float[]> state, long steps) {}

    @ParameterizedTest
    @MethodSource("cases")
    void javaStepsTrainTheHeadAsTheEngineStepsDo(Case c) {
        Outcome engine = train(c, epoch -> false);
        Outcome java = train(c, epoch -> true);
        assertThat(java.steps()).isEqualTo(engine.steps()).isEqualTo(EPOCHS * 7L);
        assertClose(java.weights(), engine.weights());
        assertClose(java.state(), engine.state());
        for (int e = 0; e < EPOCHS; e++) {
            var j = java.history().epochs().get(e);
            var n = engine.history().epochs().get(e);
            assertThat(j.trainLoss()).as("epoch %d loss", e + 1).isCloseTo(n.trainLoss(), within(1e-5));
            assertThat(j.metrics().get("train_accuracy")).isEqualTo(n.metrics().get("train_accuracy"));
            assertThat(j.learningRate()).isEqualTo(n.learningRate());
        }
        assertThat(engine.history().last().trainLoss())
                .isLessThan(engine.history().epochs().get(0).trainLoss());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void epochsMayAlternateBetweenTheTwoPathsSinceWeightsAndOptimizerStateAreHandedOver(Case c) {
        Outcome engine = train(c, epoch -> false);
        Outcome mixed = train(c, epoch -> epoch % 2 == 1);
        assertThat(mixed.steps()).isEqualTo(engine.steps());
        assertClose(mixed.weights(), engine.weights());
        assertClose(mixed.state(), engine.state());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void withAnotherObjectiveTheLoopIgnoresTheJavaStepsAndComputesExactlyTheEngineSteps(Case c) {
        Outcome engine = train(c, epoch -> false, true);
        Outcome offered = train(c, epoch -> true, true);
        assertThat(offered.weights().get("weight")).isEqualTo(engine.weights().get("weight"));
        assertThat(offered.weights().get("bias")).isEqualTo(engine.weights().get("bias"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theJavaPathIsNotTheEnginePathBitForBit(Case c) {
        Outcome engine = train(c, epoch -> false);
        Outcome java = train(c, epoch -> true);
        assertThat(java.weights().get("weight")).isNotEqualTo(engine.weights().get("weight"));
    }

    @org.junit.jupiter.api.Test
    void featuresThatDoNotMatchTheHeadAreRefusedWithTheirSizes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = linear(manager);
            List<TrainingLoop.Trainable> t = trainable(block);
            assertThatThrownBy(() -> new JavaLinearHead(new float[10], new int[2], t.get(0), t.get(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("10 values, not 2 examples x 24");
        }
    }

    private static void assertClose(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((name, values) -> {
            float[] got = actual.get(name);
            assertThat(got).as(name).hasSameSizeAs(values);
            for (int k = 0; k < values.length; k++) {
                assertThat(got[k]).as("%s[%d]", name, k).isCloseTo(values[k], within(TOLERANCE));
            }
        });
    }

    private static Outcome train(Case c, IntPredicate javaInEpoch) {
        return train(c, javaInEpoch, false);
    }

    /** Trains a fresh head (same initial weights every time) for {@link #EPOCHS} epochs. */
    private static Outcome train(Case c, IntPredicate javaInEpoch, boolean wrapObjective) {
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(c.optimizer(), manager)) {
            Block block = linear(manager);
            List<TrainingLoop.Trainable> trainable = trainable(block);
            JavaLinearHead head = new JavaLinearHead(FEATURES, LABELS, trainable.get(0), trainable.get(1));
            CrossEntropy crossEntropy = new CrossEntropy(CLASSES, c.weights());
            Objective objective = wrapObjective ? crossEntropy::loss : crossEntropy;
            TrainingLoop.Settings settings =
                    new TrainingLoop.Settings(EPOCHS, 14, 5, c.optimizer(), c.schedule(), 7, c.clip());
            TrainingLoop.Run run = epoch -> {
                List<int[]> batches = batches(epoch);
                TrainingLoop.BatchMaker maker = (sm, idx) -> {
                    long[] rows = new long[idx.length];
                    long[] labels = new long[idx.length];
                    for (int i = 0; i < idx.length; i++) {
                        rows[i] = idx[i];
                        labels[i] = LABELS[idx[i]];
                    }
                    NDArray all = sm.create(FEATURES, new Shape(EXAMPLES, DIMS));
                    return new TrainingLoop.Batch(new NDList(all.get(sm.create(rows))), new NDList(sm.create(labels)));
                };
                TrainingLoop.Forward forward = (sm, x) -> block.forward(new ParameterStore(sm, false), x, true);
                return new TrainingLoop.Epoch(
                        batches, trainable, maker, forward, javaInEpoch.test(epoch) ? head : null);
            };
            History history = new TrainingLoop(
                            settings, objective, updater, new DivergenceGuard(0, CLASSES, Double.NaN), List.of())
                    .run(run, manager, 1, History.empty());
            Map<String, float[]> weights = new java.util.TreeMap<>();
            block.getParameters()
                    .forEach(
                            p -> weights.put(p.getKey(), p.getValue().getArray().toFloatArray()));
            Map<String, float[]> state = new java.util.TreeMap<>();
            updater.state().forEach((k, v) -> state.put(k, v.toFloatArray()));
            return new Outcome(weights, history, state, updater.steps());
        }
    }

    /** 7 batches of 14 (the last of 12) in an order fixed by the epoch. */
    private static List<int[]> batches(int epoch) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < EXAMPLES; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(epoch));
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < EXAMPLES; start += 14) {
            batches.add(order.subList(start, Math.min(EXAMPLES, start + 14)).stream()
                    .mapToInt(Integer::intValue)
                    .toArray());
        }
        return batches;
    }

    /** A linear head with the same initial weights every time. */
    private static Block linear(NDManager manager) {
        Block block = Linear.builder().setUnits(CLASSES).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, DIMS));
        Random random = new Random(11);
        for (var p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            for (int k = 0; k < values.length; k++) {
                values[k] = (float) (random.nextGaussian() * 0.1);
            }
            manager.create(values, array.getShape()).copyTo(array);
        }
        return block;
    }

    private static List<TrainingLoop.Trainable> trainable(Block block) {
        Parameter weight = block.getParameters().get("weight");
        Parameter bias = block.getParameters().get("bias");
        return List.of(
                new TrainingLoop.Trainable("head.weight", weight, 1f),
                new TrainingLoop.Trainable("head.bias", bias, 1f));
    }
}
