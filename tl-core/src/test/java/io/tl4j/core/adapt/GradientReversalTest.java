package io.tl4j.core.adapt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GradientReversalTest {

    @Test
    void isTheIdentityForwardAndReversesTheScaledGradientBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1.5f, -2f, 0.25f});
            x.setRequiresGradient(true);
            NDArray weights = m.create(new float[] {3f, 1f, -2f});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = GradientReversal.apply(x, 0.7f);
                assertThat(y.toFloatArray()).containsExactly(new float[] {1.5f, -2f, 0.25f}, within(1e-6f));
                gc.backward(y.mul(weights).sum());
            }
            // d(sum(w * y))/dx = -0.7 * w
            assertThat(x.getGradient().toFloatArray()).containsExactly(new float[] {-2.1f, -0.7f, 1.4f}, within(1e-6f));
        }
    }

    @Test
    void rampsFromZeroTowardsLambda() {
        assertThat(GradientReversal.ramp(1.0, 0)).isEqualTo(0f);
        assertThat(GradientReversal.ramp(1.0, 0.5)).isCloseTo((float) (2 / (1 + Math.exp(-5)) - 1), within(1e-6f));
        assertThat(GradientReversal.ramp(0.5, 1)).isCloseTo(0.49995f, within(1e-4f));
        assertThatThrownBy(() -> GradientReversal.apply(null, Float.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void theDomainLossIsTheDiscriminatorsMeanBinaryCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray source = m.create(new float[] {0f, 2f, -60f});
            NDArray target = m.create(new float[] {1f, 80f});
            double expected =
                    (Math.log(2) + Math.log1p(Math.exp(2)) + 0) / 3 / 2 + (Math.log1p(Math.exp(-1)) + 0) / 2 / 2;
            assertThat(AdversarialObjective.domainLoss(source, target).getFloat())
                    .isCloseTo((float) expected, within(1e-5f));
            // a discriminator that cannot tell the domains apart: ln 2
            assertThat(AdversarialObjective.domainLoss(
                                    m.zeros(new ai.djl.ndarray.types.Shape(4)),
                                    m.zeros(new ai.djl.ndarray.types.Shape(3)))
                            .getFloat())
                    .isCloseTo((float) Math.log(2), within(1e-6f));
        }
    }
}
