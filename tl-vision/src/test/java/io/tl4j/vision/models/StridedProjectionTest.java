package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.tl4j.core.engine.EngineSetup;
import io.tl4j.core.weights.StateDict;
import org.junit.jupiter.api.Test;

/**
 * ResNet-50's strided projections train: libtorch 2.7.1's oneDNN dies with SIGFPE on the input
 * gradient of a strided 1x1 convolution from 512 channels, so the block subsamples and convolves
 * with stride 1.
 */
class StridedProjectionTest {

    static {
        EngineSetup.configure();
    }

    @Test
    void aLayer3BottleneckTrainsAndItsProjectionEqualsTheStridedConvolution() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResidualBlock block = new ResidualBlock(BlockType.BOTTLENECK, 256, 2, true);
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 512, 7, 7));
            NDArray x = manager.randomNormal(new Shape(2, 512, 7, 7));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true)
                        .singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(new Shape(2, 1024, 4, 4));
                collector.backward(y.sum());
            }
            float[] gradient = x.getGradient().toFloatArray();
            for (float g : gradient) {
                assertThat(g).isFinite();
            }
            assertThat(x.getGradient().abs().sum().getFloat()).isPositive();

            // the projection's numbers are those of the strided convolution (forward, which does not fault)
            NDArray weight = StateDict.export(block).get("downsample.0.weight");
            NDArray strided = Conv2d.conv2d(
                            x.stopGradient(), weight, null, new Shape(2, 2), new Shape(0, 0), new Shape(1, 1), 1)
                    .singletonOrThrow();
            NDArray subsampled = Conv2d.conv2d(
                            x.stopGradient().get(":, :, ::2, ::2"),
                            weight,
                            null,
                            new Shape(1, 1),
                            new Shape(0, 0),
                            new Shape(1, 1),
                            1)
                    .singletonOrThrow();
            assertThat(subsampled.toFloatArray()).containsExactly(strided.toFloatArray(), within(1e-5f));
        }
    }
}
