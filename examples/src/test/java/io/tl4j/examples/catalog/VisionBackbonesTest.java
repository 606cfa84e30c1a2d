package io.tl4j.examples.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.vision.data.FashionMnistResNet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every ResNet of the vision catalog loads, with its own card, architecture and weights. */
class VisionBackbonesTest {

    @Test
    void everyResNetLoadsWithItsOwnCardArchitectureAndWeights() {
        Set<String> sha256 = new HashSet<>();
        Set<Object> architectures = new HashSet<>();
        for (VisionBackbones entry : VisionBackbones.values()) {
            assertThat(entry.card().get("licence").getAsString()).startsWith("MIT");
            assertThat(entry.card().get("test_accuracy").getAsDouble()).isBetween(0.5, 1.0);
            architectures.add(entry.architecture().config());
            try (Backbone<float[]> backbone = entry.backbone(FashionMnistResNet.pipeline())) {
                assertThat(backbone.isPretrained()).isTrue();
                assertThat(backbone.layers()).contains(entry.lastStage());
                assertThat(backbone.featureSize())
                        .isEqualTo(entry.architecture().featureSize());
                sha256.add(backbone.provenance().sha256());
            }
        }
        assertThat(architectures).as("each entry has its own width or depth").hasSize(3);
        assertThat(sha256).as("each entry has its own weights").hasSize(3);
        assertThat(VisionBackbones.SHALLOW.lastStage()).isEqualTo("layer2");
        assertThat(VisionBackbones.NARROW.architecture().featureSize()).isEqualTo(32);
        assertThat(VisionBackbones.SHIPPED.card()).isEqualTo(FashionMnistResNet.provenance());
    }
}
