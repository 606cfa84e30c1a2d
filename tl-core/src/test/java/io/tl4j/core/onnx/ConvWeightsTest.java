package io.tl4j.core.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Folding an inference-mode BatchNorm into the convolution before it, by hand-computed numbers. */
class ConvWeightsTest {

    private static final Offset<Float> ROUNDING = Offset.offset(1e-6f);

    @Test
    void foldingScalesEachOutputChannelAndShiftsItsBias() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 1, 1, 2));
            NDArray gamma = manager.create(new float[] {2, 0.5f});
            NDArray beta = manager.create(new float[] {1, -1});
            NDArray mean = manager.create(new float[] {0.5f, 2});
            NDArray var = manager.create(new float[] {3, 0});
            // eps 1: scales 2 / sqrt(4) = 1 and 0.5 / sqrt(1) = 0.5
            ConvWeights biasFree = ConvWeights.of("conv", weight, null).foldBatchNorm("bn", gamma, beta, mean, var, 1);
            assertThat(biasFree.shape()).containsExactly(2, 1, 1, 2);
            assertThat(biasFree.weight()).containsExactly(new float[] {1, 2, 1.5f, 2}, ROUNDING);
            // (0 - 0.5) * 1 + 1 and (0 - 2) * 0.5 - 1
            assertThat(biasFree.bias()).containsExactly(new float[] {0.5f, -2}, ROUNDING);
            ConvWeights biased = ConvWeights.of("conv", weight, manager.create(new float[] {1, 2}))
                    .foldBatchNorm("bn", gamma, beta, mean, var, 1);
            assertThat(biased.bias()).containsExactly(new float[] {1.5f, -1}, ROUNDING);
            assertThat(ConvWeights.of("conv", weight, null).bias()).containsExactly(0, 0);
        }
    }

    @Test
    void valuesAreReadFromTheArraysWhenAskedForAndTheArraysAreLeftAsTheyWere() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 1, 1, 2));
            NDArray ones = manager.ones(new Shape(2));
            NDArray zeros = manager.zeros(new Shape(2));
            ConvWeights folded = ConvWeights.of("conv", weight, null).foldBatchNorm("bn", ones, zeros, zeros, ones, 3);
            // an export reads each weight only when it writes it: later values are the ones written
            weight.muli(4);
            assertThat(folded.weight()).containsExactly(new float[] {2, 4, 6, 8}, ROUNDING);
            assertThat(weight.toFloatArray()).containsExactly(4, 8, 12, 16);
            assertThatThrownBy(() -> folded.foldBatchNorm("bn2", ones, zeros, zeros, ones, 1e-5f))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("BatchNorm bn2");
        }
    }

    @Test
    void shapesThatDoNotFitAreNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.ones(new Shape(2, 1, 3, 3));
            NDArray three = manager.ones(new Shape(3));
            assertThatThrownBy(() -> ConvWeights.of("layer1.conv", manager.ones(new Shape(2, 9)), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("layer1.conv.weight");
            assertThatThrownBy(() -> ConvWeights.of("layer1.conv", weight, three))
                    .hasMessageContaining("layer1.conv.bias has 3 values for 2 output channels");
            NDArray two = manager.ones(new Shape(2));
            assertThatThrownBy(() ->
                            ConvWeights.of("c", weight, null).foldBatchNorm("layer1.bn", two, two, two, three, 1e-5f))
                    .hasMessageContaining("BatchNorm layer1.bn's running variance has 3 values for 2 channels");
        }
    }
}
