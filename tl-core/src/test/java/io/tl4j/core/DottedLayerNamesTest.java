package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.ParameterNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer names with dots ({@code encoder.layer.0}) name parameters and freeze as whole layers. */
class DottedLayerNamesTest {

    private static LayeredBlock network() {
        LayeredBlock block = new LayeredBlock();
        block.add(
                "embeddings",
                new SequentialBlock().add(Linear.builder().setUnits(16).build()));
        for (int i = 0; i < 2; i++) {
            block.add(
                    "encoder.layer." + i,
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(16).build())
                            .add(Activation.reluBlock()));
        }
        block.add(
                "encoder.layer.10",
                new SequentialBlock().add(Linear.builder().setUnits(8).build()));
        return block;
    }

    @Test
    void dottedLayerNamesPrefixParameterNamesAndFreezeWholeLayers() {
        try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                .setArchitecture(Architecture.of("dotted", DottedLayerNamesTest::network))
                .setPipeline(TensorPipeline.of(new Shape(Fixtures.INPUT)))
                .build()) {
            assertThat(backbone.layers())
                    .containsExactly("embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.10");
            Map<String, float[]> before;
            try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
                assertThat(ParameterNames.of(backbone.instantiate(manager, 1)).keySet())
                        .contains("encoder.layer.1.0.weight", "encoder.layer.10.0.bias");
            }
            try (TransferModel<float[]> first = TransferLearner.from(backbone)
                            .unfreezeAll()
                            .epochs(1)
                            .progressBar(false)
                            .fit(Fixtures.tiny(10, 1));
                    Backbone<float[]> pretrained = first.backbone()) {
                before = Fixtures.values(pretrained.weights());
                try (TransferModel<float[]> model = TransferLearner.from(pretrained)
                                .freezeUntil("encoder.layer.1")
                                .epochs(2)
                                .learningRate(1e-2f)
                                .progressBar(false)
                                .fit(Fixtures.tiny(10, 2));
                        Backbone<float[]> trained = model.backbone()) {
                    Fixtures.values(trained.weights()).forEach((name, values) -> {
                        boolean frozen = name.startsWith("embeddings.") || name.startsWith("encoder.layer.0.");
                        if (frozen) {
                            assertThat(values).as(name).isEqualTo(before.get(name));
                        } else {
                            assertThat(values).as(name).isNotEqualTo(before.get(name));
                        }
                    });
                }
            }
        }
    }

    @Test
    void emptySegmentsAreRejected() {
        assertThatThrownBy(() -> new LayeredBlock().add("encoder..layer", new SequentialBlock()))
                .hasMessageContaining("encoder..layer");
        assertThatThrownBy(() -> new LayeredBlock().add(".layer", new SequentialBlock()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
