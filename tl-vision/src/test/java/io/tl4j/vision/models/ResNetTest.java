package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.StateDict;
import org.junit.jupiter.api.Test;

class ResNetTest {

    @Test
    void smallImageResNetForGrayscaleHasNamedLayersAndFeatures() {
        ResNet small = ResNet.builder()
                .setBlockType(BlockType.BASIC)
                .setBlocksPerStage(1, 2)
                .optBaseWidth(8)
                .optSmallImageStem(true)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock block = small.newBlock(manager);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertThat(block.layerNames()).containsExactly("conv1", "bn1", "relu", "layer1", "layer2", "avgpool");
            assertThat(StateDict.export(block))
                    .containsKeys(
                            "conv1.weight",
                            "bn1.running_var",
                            "layer2.0.downsample.0.weight",
                            "layer2.0.downsample.1.weight",
                            "layer2.1.conv2.weight")
                    .doesNotContainKey("layer1.0.downsample.0.weight");
            assertThat(StateDict.export(block).get("conv1.weight").getShape()).isEqualTo(new Shape(8, 1, 3, 3));
            NDArray out = block.forward(
                            new ParameterStore(manager, false),
                            new NDList(manager.randomNormal(new Shape(3, 1, 28, 28))),
                            false)
                    .singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(3, 16));
            assertThat(small.featureSize()).isEqualTo(16);
        }
    }

    @Test
    void configRoundTrips() {
        ResNet net = ResNet.builder()
                .setBlockType(BlockType.BOTTLENECK)
                .setBlocksPerStage(2, 1)
                .optBaseWidth(4)
                .optSmallImageStem(true)
                .optNumClasses(7)
                .build();
        assertThat(ResNet.fromConfig(net.config()).config()).isEqualTo(net.config());
        assertThat(net.featureSize()).isEqualTo(32);
    }

    @Test
    void unknownDepthIsRejected() {
        assertThatThrownBy(() -> ResNet.builder().setDepth(20))
                .hasMessageContaining("ResNet-20")
                .hasMessageContaining("[18, 34, 50, 101, 152]");
    }
}
