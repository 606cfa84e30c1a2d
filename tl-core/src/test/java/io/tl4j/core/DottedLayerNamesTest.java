package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

import io.tl4j.core.nn.LayeredBlock;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** Layer names with dots (nested names of reference implementations) freeze layer by layer. */
class DottedLayerNamesTest {

    private static LayeredBlock net() {
        return new LayeredBlock()
                .add("enc.0", Linear.builder().setUnits(16).build())
                .add("act", Activation.reluBlock())
                .add("enc.1", Linear.builder().setUnits(16).build())
                .add("enc.10", Linear.builder().setUnits(8).build());
    }

    @Test
    void freezeUntilADottedLayerFreezesExactlyTheLayersBeforeIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock initial = net();
            initial.initialize(manager, DataType.FLOAT32, new Shape(1, Fixtures.INPUT));
            try (Backbone<float[]> backbone = Backbone.<float[]>builder()
                    .setArchitecture(Architecture.of("dotted", DottedLayerNamesTest::net))
                    .setPipeline(TensorPipeline.of(new Shape(Fixtures.INPUT)))
                    .optWeightsFrom(initial).build()) {
                assertThat(backbone.layers()).containsExactly("enc.0", "act", "enc.1", "enc.10");
                Map<String, float[]> before = Fixtures.values(backbone.weights());
                assertThat(before).containsKeys("enc.0.weight", "enc.1.weight", "enc.10.weight");
                try (TransferModel<float[]> model = TransferLearner.from(backbone).freezeUntil("enc.1")
                                .progressBar(false).epochs(2).learningRate(1e-2f).fit(Fixtures.tiny(10, 1));
                        Backbone<float[]> trained = model.backbone()) {
                    Fixtures.values(trained.weights()).forEach((name, values) -> {
                        if (name.startsWith("enc.0.")) {
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
    void emptyNamePartsAreRejected() {
        assertThatThrownBy(() -> new LayeredBlock().add("enc..0", Activation.reluBlock()))
                .hasMessageContaining("'enc..0'");
        assertThatThrownBy(() -> new LayeredBlock().add(".enc", Activation.reluBlock()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
