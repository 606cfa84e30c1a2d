package io.tl4j.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.StateDict;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch-named layers: parameter names and shapes as in a {@code state_dict} before anything is
 * allocated, output shapes, and outputs against a computation by hand.
 */
class TorchLayersTest {

    /** A module with two children, as Hugging Face nests {@code dense} and {@code LayerNorm}. */
    private static final class DenseAndNorm extends TorchModule {
        private final TorchLinear dense = addChildBlock("dense", new TorchLinear(3, 2));
        private final TorchLayerNorm norm = addChildBlock("LayerNorm", new TorchLayerNorm(2, 1e-5f));

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(norm.apply(ps, dense.apply(ps, inputs.singletonOrThrow(), training), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return dense.getOutputShapes(inputs);
        }
    }

    private static Map<String, Shape> shapes(TorchModule module) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        ParameterNames.of(module).forEach((name, p) -> shapes.put(name, p.getShape()));
        return shapes;
    }

    @Test
    void parametersHavePyTorchNamesAndShapesBeforeInitialization() {
        assertThat(shapes(new DenseAndNorm()))
                .containsExactly(
                        Map.entry("dense.weight", new Shape(2, 3)), Map.entry("dense.bias", new Shape(2)),
                        Map.entry("LayerNorm.weight", new Shape(2)), Map.entry("LayerNorm.bias", new Shape(2)));
        assertThat(shapes(new TorchEmbedding(5, 4, Initializer.ZEROS)))
                .containsExactly(Map.entry("weight", new Shape(5, 4)));
        assertThat(new TorchLinear(3, 7).getOutputShapes(new Shape[] {new Shape(2, 5, 3)}))
                .containsExactly(new Shape(2, 5, 7));
        assertThat(new TorchEmbedding(5, 4, Initializer.ZEROS).getOutputShapes(new Shape[] {new Shape(2, 6)}))
                .containsExactly(new Shape(2, 6, 4));
        assertThat(new TorchLayerNorm(4, 1e-5f).getOutputShapes(new Shape[] {new Shape(2, 4)}))
                .containsExactly(new Shape(2, 4));
    }

    @Test
    void linearIsXTimesWeightTransposedPlusBias() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchLinear linear = new TorchLinear(3, 2);
            linear.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            StateDict.load(
                    linear,
                    Map.of(
                            "weight", manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3)),
                            "bias", manager.create(new float[] {0.5f, -1})));
            NDArray x = manager.create(new float[] {1, 1, 1, 0, 1, 2}, new Shape(2, 3));
            NDArray y = linear.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            // (1+2+3+0.5, 4+5+6-1), (0+2+6+0.5, 0+5+12-1)
            assertThat(y.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(y.toFloatArray()).containsExactly(6.5f, 14f, 8.5f, 16f);
        }
    }

    @Test
    void linearStartsAsPyTorchDoesUnlessToldOtherwise() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchLinear pytorch = new TorchLinear(16, 8);
            pytorch.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            float bound = (float) (1 / Math.sqrt(16));
            for (Parameter p : ParameterNames.of(pytorch).values()) {
                assertThat(p.getArray().abs().max().getFloat()).isLessThanOrEqualTo(bound);
                assertThat(p.getArray().abs().max().getFloat()).isGreaterThan(0f);
            }
            TorchLinear zeros = new TorchLinear(16, 8, Initializer.ZEROS, Initializer.ONES);
            zeros.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            assertThat(ParameterNames.of(zeros)
                            .get("weight")
                            .getArray()
                            .abs()
                            .sum()
                            .getFloat())
                    .isZero();
            assertThat(ParameterNames.of(zeros).get("bias").getArray().toFloatArray())
                    .containsOnly(1f);
        }
    }

    @Test
    void layerNormNormalizesTheLastAxisThenScalesAndShifts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchLayerNorm norm = new TorchLayerNorm(4, 1e-5f);
            norm.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
            assertThat(ParameterNames.of(norm).get("weight").getArray().toFloatArray())
                    .containsOnly(1f);
            assertThat(ParameterNames.of(norm).get("bias").getArray().toFloatArray())
                    .containsOnly(0f);
            StateDict.load(
                    norm,
                    Map.of(
                            "weight", manager.create(new float[] {1, 1, 1, 2}),
                            "bias", manager.create(new float[] {0, 0, 0, 1})));
            NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 4));
            float[] y = norm.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow()
                    .toFloatArray();
            // mean 2.5, variance 1.25
            double sd = Math.sqrt(1.25 + 1e-5);
            float[] expected = {(float) (-1.5 / sd), (float) (-0.5 / sd), (float) (0.5 / sd), (float) (2 * 1.5 / sd + 1)
            };
            for (int i = 0; i < 4; i++) {
                assertThat(y[i]).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }

    @Test
    void embeddingLooksUpRowsByIdsOfAnyIntegerType() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchEmbedding embedding = new TorchEmbedding(3, 2, Initializer.ZEROS);
            embedding.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            StateDict.load(
                    embedding, Map.of("weight", manager.create(new float[] {0, 1, 10, 11, 20, 21}, new Shape(3, 2))));
            NDArray ids = manager.create(new int[] {2, 0}, new Shape(1, 2));
            NDArray y = embedding
                    .forward(new ParameterStore(manager, false), new NDList(ids), false)
                    .singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(1, 2, 2));
            assertThat(y.toFloatArray()).containsExactly(20f, 21f, 0f, 1f);
        }
    }

    @Test
    void childrenAreInitializedWithoutNeedingTheirOwnInputShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DenseAndNorm module = new DenseAndNorm();
            module.initialize(manager, DataType.FLOAT32, new Shape(4, 3));
            NDArray y = module.forward(
                            new ParameterStore(manager, false), new NDList(manager.ones(new Shape(4, 3))), false)
                    .singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(4, 2));
            assertThat(ParameterNames.of(module).values()).allMatch(Parameter::isInitialized);
        }
    }
}
