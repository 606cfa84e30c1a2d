package io.tl4j.core.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class PrototypicalLossTest {

    /**
     * Support: class 0 at (0,0) and (2,0), prototype (1,0); class 1 at (0,2) and (0,4), prototype
     * (0,3). Query (1,1) of class 0: squared distances 1 and 5; query (0,3) of class 1: 10 and 0.
     */
    private static final float[] EMBEDDINGS = {0, 0, 2, 0, 0, 2, 0, 4, 1, 1, 0, 3};

    @Test
    void lossIsTheQueriesMeanCrossEntropyOverNegativeSquaredDistances() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList output = new NDList(manager.create(EMBEDDINGS, new ai.djl.ndarray.types.Shape(6, 2)));
            NDList targets = new NDList(manager.create(new long[] {0, 0, 1, 1}), manager.create(new long[] {0, 1}));
            PrototypicalLoss loss = new PrototypicalLoss(2);
            double first = Math.log(1 + Math.exp(-4)); // -log(e^-1 / (e^-1 + e^-5))
            double second = Math.log(1 + Math.exp(-10)); // -log(e^0 / (e^-10 + e^0))
            assertThat(loss.loss(output, targets).getFloat()).isCloseTo((float) ((first + second) / 2), within(1e-6f));
            float[] logits = loss.logits(output, targets).toFloatArray();
            float[] expected = {-1f, -5f, -10f, 0f};
            for (int i = 0; i < expected.length; i++) {
                assertThat(logits[i]).isCloseTo(expected[i], within(1e-6f));
            }
            assertThat(loss.correct(output, targets)).isEqualTo(2);
        }
    }

    @Test
    void wrongQueryLabelsCostMoreAndCountAsWrong() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList output = new NDList(manager.create(EMBEDDINGS, new ai.djl.ndarray.types.Shape(6, 2)));
            NDList swapped = new NDList(manager.create(new long[] {0, 0, 1, 1}), manager.create(new long[] {1, 0}));
            PrototypicalLoss loss = new PrototypicalLoss(2);
            double first = 4 + Math.log(1 + Math.exp(-4));
            double second = 10 + Math.log(1 + Math.exp(-10));
            assertThat(loss.loss(output, swapped).getFloat()).isCloseTo((float) ((first + second) / 2), within(1e-5f));
            assertThat(loss.correct(output, swapped)).isZero();
        }
    }

    @Test
    void gradientReachesTheSupportAndQueryEmbeddings() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray embeddings = manager.create(EMBEDDINGS, new ai.djl.ndarray.types.Shape(6, 2));
            embeddings.setRequiresGradient(true);
            NDList targets = new NDList(manager.create(new long[] {0, 0, 1, 1}), manager.create(new long[] {0, 1}));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new PrototypicalLoss(2).loss(new NDList(embeddings), targets));
            }
            float[] grad = embeddings.getGradient().toFloatArray();
            // query (1,1): d/dq of -log softmax = 2 (q - p0) - sum_c p_c 2 (q - p_c), halved by the mean
            double p0 = 1 / (1 + Math.exp(-4));
            double gx = (2 * (1 - 1) - (p0 * 2 * (1 - 1) + (1 - p0) * 2 * (1 - 0))) / 2;
            double gy = (2 * (1 - 0) - (p0 * 2 * (1 - 0) + (1 - p0) * 2 * (1 - 3))) / 2;
            assertThat(grad[8]).isCloseTo((float) gx, within(1e-5f));
            assertThat(grad[9]).isCloseTo((float) gy, within(1e-5f));
            assertThat(Math.abs(grad[0]) + Math.abs(grad[1])).isGreaterThan(0f);
        }
    }
}
