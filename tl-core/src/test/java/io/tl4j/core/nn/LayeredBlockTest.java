package io.tl4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class LayeredBlockTest {

    private static LayeredBlock fourLayers() {
        return new LayeredBlock()
                .add(
                        "block1",
                        new SequentialBlock()
                                .add(Linear.builder().setUnits(32).build())
                                .add(Activation::relu)
                                .add(Linear.builder().setUnits(32).build()))
                .add("norm", BatchNorm.builder().build())
                .add("identity", Blocks.identityBlock())
                .add(
                        "block2",
                        new SequentialBlock()
                                .add(Linear.builder().setUnits(8).build())
                                .add(Activation::tanh));
    }

    @Test
    void releasingForwardGivesTheSameOutputAndKeepsOnlyTheOutputAlive() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock block = fourLayers();
            block.initialize(manager, DataType.FLOAT32, new Shape(4, 16));
            float[] input = manager.randomNormal(new Shape(4, 16)).toFloatArray();
            boolean[] inference = new boolean[block.size()];
            NDArray expected;
            int keptByPlainForward;
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(input, new Shape(4, 16));
                expected = block.forwardRange(new ParameterStore(step, false), new NDList(x), 0, 4, inference)
                        .singletonOrThrow()
                        .duplicate();
                expected.attach(manager);
                keptByPlainForward = step.getManagedArrays().size();
            }
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(input, new Shape(4, 16));
                NDList out =
                        block.forwardRangeReleasing(new ParameterStore(step, false), new NDList(x), 0, 4, inference);
                assertThat(out.singletonOrThrow().toFloatArray()).containsExactly(expected.toFloatArray());
                assertThat(x.isReleased()).as("the caller's input stays open").isFalse();
                // DJL keeps every intermediate (here over ten) until the manager closes; this keeps the output
                assertThat(step.getManagedArrays())
                        .hasSize(2)
                        .anySatisfy(a -> assertThat(a).isSameAs(x))
                        .anySatisfy(a -> assertThat(a).isSameAs(out.singletonOrThrow()));
                assertThat(keptByPlainForward).isGreaterThan(5);
            }
        }
    }
}
