package io.tl4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.metrics.History;
import io.tl4j.core.weights.ParameterNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainingLoopTest {

    /** Mean squared error: an objective without a notion of a right answer. */
    private static final Objective SQUARED_ERROR = new Objective() {
        @Override
        public NDArray loss(NDList output, NDList targets) {
            return output.head().sub(targets.head()).square().mean();
        }
    };

    /** 40 examples of 3 features; targets of a linear function, labels of which feature is largest. */
    private static final float[][] X = new float[40][3];

    private static final float[] Y = new float[40];
    private static final long[] LABELS = new long[40];

    static {
        Random random = new Random(1);
        for (int i = 0; i < X.length; i++) {
            for (int j = 0; j < 3; j++) {
                X[i][j] = (float) random.nextGaussian();
            }
            Y[i] = 2 * X[i][0] - X[i][1] + 0.5f * X[i][2];
            LABELS[i] = X[i][0] > X[i][1] ? (X[i][0] > X[i][2] ? 0 : 2) : (X[i][1] > X[i][2] ? 1 : 2);
        }
    }

    /** A run over a linear block: 4 batches of 10 in a fixed order, every parameter training. */
    private static final class LinearRun implements TrainingLoop.Run {
        final Block block;
        final boolean classify;
        final int stopAfter;
        final List<String> calls = new ArrayList<>();

        LinearRun(Block block, boolean classify, int stopAfter) {
            this.block = block;
            this.classify = classify;
            this.stopAfter = stopAfter;
        }

        @Override
        public TrainingLoop.Epoch beginEpoch(int epoch) {
            calls.add("begin " + epoch);
            List<TrainingLoop.Trainable> trainable = new ArrayList<>();
            ParameterNames.of(block).forEach((n, p) -> trainable.add(new TrainingLoop.Trainable(n, p, 1f)));
            return new TrainingLoop.Epoch(
                    List.of(range(0), range(10), range(20), range(30)),
                    trainable,
                    this::batch,
                    (sm, inputs) -> block.forward(new ParameterStore(sm, false), inputs, true));
        }

        private TrainingLoop.Batch batch(NDManager sm, int[] idx) {
            float[][] x = new float[idx.length][];
            float[] y = new float[idx.length];
            long[] labels = new long[idx.length];
            for (int i = 0; i < idx.length; i++) {
                x[i] = X[idx[i]];
                y[i] = Y[idx[i]];
                labels[i] = LABELS[idx[i]];
            }
            NDArray targets = classify ? sm.create(labels) : sm.create(y).reshape(idx.length, 1);
            return new TrainingLoop.Batch(new NDList(sm.create(x)), new NDList(targets));
        }

        @Override
        public Map<String, Double> measure(int epoch) {
            return Map.of("probe", (double) epoch);
        }

        @Override
        public boolean endEpoch(EpochRecord record, History history) {
            calls.add("end " + record.epoch() + " history " + history.size());
            return record.epoch() == stopAfter;
        }

        private static int[] range(int from) {
            int[] idx = new int[10];
            for (int i = 0; i < 10; i++) {
                idx[i] = from + i;
            }
            return idx;
        }
    }

    private static Block linear(NDManager manager, int units) {
        Block block = Linear.builder().setUnits(units).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        return block;
    }

    private static TrainingLoop loop(
            int epochs, Objective objective, Updater updater, List<TrainingListener> listeners) {
        TrainingLoop.Settings settings = new TrainingLoop.Settings(
                epochs, 10, 7, OptimizerSpec.sgd(0.1f, 0f), LearningRateSchedule.constant(), 4, 0);
        return new TrainingLoop(settings, objective, updater, new DivergenceGuard(0, 2, Double.NaN), listeners);
    }

    @Test
    void aRegressionObjectiveLearnsTheLinearFunctionAndTheLoopReportsEveryStepAndEpoch() {
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(OptimizerSpec.sgd(0.1f, 0f), manager)) {
            LinearRun run = new LinearRun(linear(manager, 1), false, -1);
            List<String> heard = new ArrayList<>();
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onEpochStart(int epoch, int epochs, int steps) {
                    heard.add("start " + epoch + "/" + epochs + " steps " + steps);
                }

                @Override
                public void onStep(StepInfo step) {
                    heard.add("step " + step.epoch() + "." + step.step());
                }
            };
            History history =
                    loop(30, SQUARED_ERROR, updater, List.of(listener)).run(run, manager, 1, History.empty());
            assertThat(history.size()).isEqualTo(30);
            assertThat(history.last().trainLoss())
                    .isLessThan(history.epochs().get(0).trainLoss() / 100);
            assertThat(history.last().metrics()).containsOnlyKeys("probe").containsEntry("probe", 30.0);
            assertThat(updater.steps()).isEqualTo(120);
            assertThat(heard).hasSize(30 * 5).startsWith("start 1/30 steps 4", "step 1.1", "step 1.2");
            assertThat(run.calls).startsWith("begin 1", "end 1 history 1", "begin 2");
        }
    }

    @Test
    void crossEntropyCountsTheRightAnswersAsTrainingAccuracy() {
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(OptimizerSpec.sgd(0.1f, 0f), manager)) {
            LinearRun run = new LinearRun(linear(manager, 3), true, -1);
            History history =
                    loop(40, new CrossEntropy(3, null), updater, List.of()).run(run, manager, 1, History.empty());
            assertThat(history.last().metrics().get("train_accuracy")).isGreaterThan(0.85);
            assertThat(history.last().trainLoss())
                    .isLessThan(history.epochs().get(0).trainLoss());
        }
    }

    @Test
    void theRunStopsTheLoopAfterAnEpochAndAResumedLoopStartsWhereItIsTold() {
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(OptimizerSpec.sgd(0.1f, 0f), manager)) {
            LinearRun run = new LinearRun(linear(manager, 1), false, 2);
            assertThat(loop(10, SQUARED_ERROR, updater, List.of())
                            .run(run, manager, 1, History.empty())
                            .size())
                    .isEqualTo(2);
            LinearRun later = new LinearRun(run.block, false, -1);
            assertThat(loop(10, SQUARED_ERROR, updater, List.of())
                            .run(later, manager, 9, History.empty())
                            .size())
                    .isEqualTo(2);
            assertThat(later.calls).startsWith("begin 9");
        }
    }

    @Test
    void aNonFiniteLossStopsTrainingBeforeTheWeightsChange() {
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(OptimizerSpec.sgd(0.1f, 0f), manager)) {
            LinearRun run = new LinearRun(linear(manager, 1), false, -1);
            float[] before = run.block.getParameters().get("weight").getArray().toFloatArray();
            Objective poisoned =
                    (output, targets) -> io.tl4j.core.nn.Scalars.mul(SQUARED_ERROR.loss(output, targets), Double.NaN);
            assertThatThrownBy(() -> loop(3, poisoned, updater, List.of()).run(run, manager, 1, History.empty()))
                    .isInstanceOf(TrainingDivergedException.class)
                    .satisfies(e -> {
                        assertThat(((TrainingDivergedException) e).epoch()).isEqualTo(1);
                        assertThat(((TrainingDivergedException) e).step()).isEqualTo(1);
                    });
            assertThat(run.block.getParameters().get("weight").getArray().toFloatArray())
                    .isEqualTo(before);
        }
    }

    @Test
    void weightsMadeNonFiniteByTheEpochsLastStepStopTheRunBeforeTheEpochEnds() {
        try (NDManager manager = NDManager.newBaseManager();
                Updater updater = new Updater(OptimizerSpec.sgd(0.1f, 0f), manager)) {
            LinearRun run = new LinearRun(linear(manager, 1), false, -1);
            int[] calls = {0};
            // the 4th (last) step's loss is finite, its gradient NaN: sqrt(|o - o|) is 0 with derivative inf * 0
            Objective poisonsTheLastStep = (output, targets) -> {
                NDArray loss = SQUARED_ERROR.loss(output, targets);
                NDArray o = output.head();
                return ++calls[0] == 4 ? loss.add(o.sub(o).abs().sqrt().sum()) : loss;
            };
            assertThatThrownBy(() ->
                            loop(3, poisonsTheLastStep, updater, List.of()).run(run, manager, 1, History.empty()))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("weight ")
                    .hasMessageContaining("every loss was finite")
                    .satisfies(e -> {
                        assertThat(((TrainingDivergedException) e).epoch()).isEqualTo(1);
                        assertThat(((TrainingDivergedException) e).step()).isEqualTo(4);
                    });
            assertThat(run.calls).containsExactly("begin 1");
        }
    }
}
