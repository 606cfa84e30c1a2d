package io.tl4j.core.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.nn.LowRankUpdate;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.weights.ParameterNames;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LoRA on a small stack of linear layers: the output at the start equals the base's exactly, the
 * update's term is scale · x Aᵀ Bᵀ, merging gives the same outputs within 1e-5 and unmerging gives
 * the weight back bit for bit, targets are matched by dotted-path suffix, and a target that matches
 * nothing is refused with the linear layers listed.
 */
class LoraTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private LayeredBlock stack() {
        Engine.getInstance().setRandomSeed(7);
        LayeredBlock block = new LayeredBlock()
                .add("attention.query", new TorchLinear(4, 6))
                .add("attention.value", new TorchLinear(6, 6))
                .add("output.dense", new TorchLinear(6, 3));
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
        return block;
    }

    private NDArray forward(LayeredBlock block, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false)
                .singletonOrThrow();
    }

    @Test
    void atTheStartTheOutputIsTheBasesExactly() {
        LayeredBlock block = stack();
        NDArray x = manager.randomNormal(new Shape(5, 4));
        float[] base = forward(block, x).toFloatArray();

        Map<String, LowRankUpdate> updates =
                Lora.attach(block, LoraConfig.rank(2).alpha(4));

        assertThat(updates).containsOnlyKeys("attention.query", "attention.value");
        assertThat(ParameterNames.of(block))
                .containsKeys(
                        "attention.query.lora_A",
                        "attention.query.lora_B",
                        "attention.value.lora_A",
                        "attention.value.lora_B");
        assertThat(forward(block, x).toFloatArray()).containsExactly(base);
        Parameter a = ParameterNames.of(block).get("attention.query.lora_A");
        assertThat(a.getArray().abs().max().getFloat()).isGreaterThan(0f).isLessThanOrEqualTo(0.5f);
        assertThat(ParameterNames.of(block)
                        .get("attention.query.lora_B")
                        .getArray()
                        .abs()
                        .sum()
                        .getFloat())
                .isZero();
    }

    @Test
    void theUpdatesTermIsScaleTimesXATransposedBTransposed() {
        LayeredBlock block = new LayeredBlock().add("query", new TorchLinear(4, 3));
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
        NDArray x = manager.randomNormal(new Shape(5, 4));
        NDArray base = forward(block, x);
        Lora.attach(block, LoraConfig.rank(2).alpha(6).targets("query"));
        Map<String, Parameter> p = ParameterNames.of(block);
        p.get("query.lora_B")
                .getArray()
                .set(manager.randomNormal(new Shape(3, 2)).toFloatArray());
        NDArray a = p.get("query.lora_A").getArray();
        NDArray b = p.get("query.lora_B").getArray();

        NDArray expected =
                base.add(x.matMul(a.transpose()).matMul(b.transpose()).mul(3f));

        assertThat(forward(block, x).toFloatArray()).containsExactly(expected.toFloatArray(), Offset.offset(1e-5f));
    }

    @Test
    void mergedOutputsEqualUnmergedWithin1e5AndUnmergeRestoresTheWeightExactly() {
        LayeredBlock block = stack();
        Lora.attach(block, LoraConfig.rank(2).alpha(4).targets("query", "value", "dense"));
        Map<String, Parameter> p = ParameterNames.of(block);
        p.forEach((name, parameter) -> {
            if (name.endsWith("lora_B")) {
                parameter
                        .getArray()
                        .set(manager.randomNormal(parameter.getShape()).toFloatArray());
            }
        });
        NDArray x = manager.randomNormal(new Shape(5, 4));
        float[] unmerged = forward(block, x).toFloatArray();
        float[] weight = p.get("attention.value.weight").getArray().toFloatArray();

        assertThat(Lora.merge(block)).isEqualTo(3);
        assertThat(p.get("attention.value.weight").getArray().toFloatArray()).isNotEqualTo(weight);
        assertThat(forward(block, x).toFloatArray()).containsExactly(unmerged, Offset.offset(1e-5f));
        assertThatThrownBy(() -> Lora.merge(block)).hasMessageContaining("already merged");

        assertThat(Lora.unmerge(block)).isEqualTo(3);
        assertThat(p.get("attention.value.weight").getArray().toFloatArray()).containsExactly(weight);
        assertThat(forward(block, x).toFloatArray()).containsExactly(unmerged);
        assertThatThrownBy(() -> Lora.unmerge(block)).hasMessageContaining("not merged");
    }

    @Test
    void eachUpdateHasRankTimesInPlusOutValues() {
        LayeredBlock block = stack();
        Map<String, LowRankUpdate> updates =
                Lora.attach(block, LoraConfig.rank(3).targets("value", "output.dense"));

        assertThat(updates.get("attention.value").parameterCount()).isEqualTo(3 * (6 + 6));
        assertThat(updates.get("output.dense").parameterCount()).isEqualTo(3 * (6 + 3));
        assertThat(Lora.parameterCount(block)).isEqualTo(3 * (6 + 6) + 3 * (6 + 3));
        assertThat(updates.get("attention.value").scale()).isEqualTo(1f);
    }

    @Test
    void aTargetThatMatchesNothingIsRefusedListingTheLinearLayers() {
        LayeredBlock block = stack();
        assertThatThrownBy(() -> Lora.attach(block, LoraConfig.rank(2).targets("query", "qkv")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'qkv'")
                .hasMessageContaining("[attention.query, attention.value, output.dense]")
                .hasMessageContaining("last names: [query, value, dense]");
        assertThat(Lora.updates(block)).as("nothing attached").isEmpty();
        assertThatThrownBy(() -> Lora.attach(block, LoraConfig.rank(2).targets("ery")))
                .as("a suffix must be a whole segment")
                .hasMessageContaining("'ery'");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> LoraConfig.rank(0)).hasMessageContaining("rank must be at least 1, got 0");
        assertThatThrownBy(() -> LoraConfig.rank(4).alpha(-1)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> LoraConfig.rank(4).dropout(1)).hasMessageContaining("dropout must be in [0, 1)");
        assertThatThrownBy(() -> LoraConfig.rank(4).targets("query", " ")).hasMessageContaining("non-blank");
        assertThatThrownBy(() -> new TorchLinear(2, 2).addLowRankUpdate(0, 1, 0))
                .hasMessageContaining("rank >= 1");
    }
}
