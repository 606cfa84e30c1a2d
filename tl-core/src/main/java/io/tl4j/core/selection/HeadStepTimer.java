package io.tl4j.core.selection;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

/**
 * Measures the wall time of one training step of a linear head on cached features: forward,
 * softmax cross-entropy, backward and an Adam update, on a batch of up to 32 examples whose arrays
 * are made in the step (as a step over a feature cache gathers its batch).
 */
final class HeadStepTimer {

    private static final int BATCH = 32;
    private static final int WARM_UP = 3;
    private static final int MIN_STEPS = 10;
    private static final long MIN_NANOS = 200_000_000L;
    private static final int MAX_STEPS = 1000;

    private HeadStepTimer() {}

    /**
     * Times training steps until at least ten steps and 0.2 s have passed.
     *
     * @param features one row per example
     * @param labels one class index per example
     * @param numClasses the number of classes
     * @param seed seeds the head's initialization
     * @return wall milliseconds per example of one step
     */
    static double millisPerExample(float[][] features, int[] labels, int numClasses, long seed) {
        int batch = Math.min(BATCH, features.length);
        int dim = features[0].length;
        float[] x = new float[batch * dim];
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(features[i], 0, x, i * dim, dim);
            y[i] = labels[i];
        }
        Engine.getInstance().setRandomSeed((int) seed);
        try (Model model = Model.newInstance("tl4j-selection-head")) {
            model.setBlock(Linear.builder().setUnits(numClasses).build());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, dim));
                for (int s = 0; s < WARM_UP; s++) {
                    step(trainer, x, y, batch, dim);
                }
                long start = System.nanoTime();
                int steps = 0;
                while (steps < MAX_STEPS && (steps < MIN_STEPS || System.nanoTime() - start < MIN_NANOS)) {
                    step(trainer, x, y, batch, dim);
                    steps++;
                }
                return (System.nanoTime() - start) / 1e6 / steps / batch;
            }
        }
    }

    private static void step(Trainer trainer, float[] x, float[] y, int batch, int dim) {
        try (NDManager sm = trainer.getManager().newSubManager()) {
            NDArray input = sm.create(x, new Shape(batch, dim));
            NDArray target = sm.create(y, new Shape(batch));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray scores = trainer.forward(new NDList(input)).head();
                NDArray loss = trainer.getLoss().evaluate(new NDList(target), new NDList(scores));
                collector.backward(loss);
            }
            trainer.step();
        }
    }
}
