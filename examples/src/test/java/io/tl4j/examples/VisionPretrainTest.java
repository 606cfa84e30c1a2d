package io.tl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.vision.data.FashionMnistResNet;
import io.tl4j.vision.models.ResNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pretraining recipe's network: the shipped one unless system properties change width or depth. */
class VisionPretrainTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty("tl4j.baseWidth");
        System.clearProperty("tl4j.blocksPerStage");
    }

    @Test
    void withoutPropertiesItIsTheShippedResNet() {
        assertThat(VisionPretrain.architecture().config())
                .isEqualTo(FashionMnistResNet.architecture().config());
    }

    @Test
    void propertiesChangeWidthAndStagesOnly() {
        System.setProperty("tl4j.baseWidth", "8");
        System.setProperty("tl4j.blocksPerStage", "1, 2");
        ResNet.Config config = VisionPretrain.architecture().config();
        ResNet.Config shipped = FashionMnistResNet.architecture().config();
        assertThat(config.baseWidth()).isEqualTo(8);
        assertThat(config.blocksPerStage()).containsExactly(1, 2);
        assertThat(config.blockType()).isEqualTo(shipped.blockType());
        assertThat(config.smallImageStem()).isEqualTo(shipped.smallImageStem());
        assertThat(VisionPretrain.architecture().featureSize()).isEqualTo(16);
    }
}
