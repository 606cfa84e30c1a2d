package io.tl4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
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

    /** An MLP that asks for slices of three examples and records the batch sizes it saw. */
    private static final class SlicedMlp extends AbstractBlock implements BatchSlicing {
        private final Block mlp;
        private final List<Long> seen = new ArrayList<>();

        SlicedMlp() {
            mlp = addChildBlock(
                    "mlp",
                    new SequentialBlock()
                            .add(Linear.builder().setUnits(32).build())
                            .add(Activation::relu)
                            .add(Linear.builder().setUnits(8).build()));
        }

        @Override
        public int examplesPerSlice(NDList inputs) {
            return 3;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            seen.add(inputs.head().getShape().get(0));
            return mlp.forward(ps, inputs, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return mlp.getOutputShapes(inputs);
        }

        @Override
        public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            mlp.initialize(manager, dataType, inputShapes);
        }
    }

    @Test
    void aSlicingLayerRunsItsInferenceASliceAtATimeWithTheSameOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SlicedMlp sliced = new SlicedMlp();
            LayeredBlock block = new LayeredBlock()
                    .add("sliced", sliced)
                    .add("norm", BatchNorm.builder().build());
            block.initialize(manager, DataType.FLOAT32, new Shape(7, 16));
            float[] input = manager.randomNormal(new Shape(7, 16)).toFloatArray();
            boolean[] inference = new boolean[block.size()];
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(input, new Shape(7, 16));
                float[] whole = block.forwardRange(new ParameterStore(step, false), new NDList(x), 0, 2, inference)
                        .singletonOrThrow()
                        .toFloatArray();
                assertThat(sliced.seen).containsExactly(7L);
                NDList out =
                        block.forwardRangeReleasing(new ParameterStore(step, false), new NDList(x), 0, 2, inference);
                assertThat(sliced.seen).containsExactly(7L, 3L, 3L, 1L);
                assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(7, 8));
                assertThat(out.singletonOrThrow().toFloatArray()).containsExactly(whole, within(1e-6f));
            }
        }
    }

    @Test
    void aSlicingLayerThatTrainsSeesTheWholeBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SlicedMlp sliced = new SlicedMlp();
            LayeredBlock block = new LayeredBlock().add("sliced", sliced);
            block.initialize(manager, DataType.FLOAT32, new Shape(7, 16));
            NDArray x = manager.randomNormal(new Shape(7, 16));
            block.forwardRangeReleasing(new ParameterStore(manager, false), new NDList(x), 0, 1, new boolean[] {true});
            assertThat(sliced.seen).containsExactly(7L);
        }
    }
}
