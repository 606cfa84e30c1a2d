package io.tl4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictTest {

    @TempDir
    Path dir;

    private NDManager manager;

    @BeforeEach
    void engine() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Block newBlock() {
        Block block = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(BatchNorm.builder().build())
                .add(Linear.builder().setUnits(3).build());
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
        return block;
    }

    private NDArray forward(Block block, NDArray input, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), training)
                .singletonOrThrow();
    }

    /** Deep copies of every parameter's values, to compare before and after. */
    private static Map<String, float[]> values(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        StateDict.export(block).forEach((name, array) -> values.put(name, array.toFloatArray()));
        return values;
    }

    @Test
    void exportThenLoadThroughAFileGivesIdenticalOutputs() {
        Block source = newBlock();
        NDArray batch = manager.randomNormal(new Shape(16, 4)).mul(3).add(1);
        forward(source, batch, true); // moves the BatchNorm running statistics off 0 and 1
        Block target = newBlock();
        NDArray input = manager.randomNormal(new Shape(2, 4));
        assertThat(forward(target, input, false).toFloatArray())
                .isNotEqualTo(forward(source, input, false).toFloatArray());
        Path file = dir.resolve("model.safetensors");

        SafeTensors.write(file, StateDict.export(source));
        StateDict.load(target, SafeTensors.read(file, manager));

        assertThat(forward(target, input, false).toFloatArray())
                .containsExactly(forward(source, input, false).toFloatArray());
        assertThat(values(target)).containsOnlyKeys(values(source).keySet());
        values(source)
                .forEach((name, v) ->
                        assertThat(values(target).get(name)).as(name).containsExactly(v));
    }

    @Test
    void exportReturnsTheParametersOwnArrays() {
        Block block = newBlock();

        Map<String, NDArray> exported = StateDict.export(block);

        assertThat(exported.keySet())
                .containsExactly(
                        "0.weight",
                        "0.bias",
                        "1.gamma",
                        "1.beta",
                        "1.runningMean",
                        "1.runningVar",
                        "2.weight",
                        "2.bias");
        Parameter weight = ParameterNames.of(block).get("2.weight");
        assertThat(exported.get("2.weight")).isSameAs(weight.getArray());
    }

    @Test
    void loadCopiesValuesAndKeepsGradientSettings() {
        Block source = newBlock();
        Block target = newBlock();
        Map<String, Parameter> parameters = ParameterNames.of(target);
        NDArray weightArray = parameters.get("0.weight").getArray();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        StateDict.export(source).forEach((name, array) -> tensors.put(name, array.duplicate()));

        StateDict.load(target, tensors);
        float[] loaded = parameters.get("0.weight").getArray().toFloatArray();
        tensors.get("0.weight").muli(0);

        assertThat(parameters.get("0.weight").getArray()).isSameAs(weightArray);
        assertThat(parameters.get("0.weight").getArray().toFloatArray()).containsExactly(loaded);
        assertThat(loaded)
                .containsExactly(StateDict.export(source).get("0.weight").toFloatArray());
        assertThat(parameters.get("0.weight").requiresGradient()).isTrue();
        assertThat(weightArray.hasGradient()).isTrue();
        assertThat(parameters.get("1.runningMean").requiresGradient()).isFalse();
    }

    @Test
    void strictLoadListsEveryProblemAndChangesNothing() {
        Block target = newBlock();
        Map<String, float[]> before = values(target);
        Map<String, NDArray> tensors = new LinkedHashMap<>(StateDict.export(newBlock()));
        tensors.remove("2.bias");
        tensors.put("3.weight", manager.zeros(new Shape(3, 3)));
        tensors.put("0.weight", manager.zeros(new Shape(4, 8)));
        tensors.put("1.gamma", manager.ones(new Shape(8), DataType.FLOAT64));

        WeightMismatchException e =
                catchThrowableOfType(WeightMismatchException.class, () -> StateDict.load(target, tensors));

        assertThat(e.missing()).containsExactly("2.bias");
        assertThat(e.unexpected()).containsExactly("3.weight");
        assertThat(e.misshaped())
                .containsExactly(new WeightMismatchException.Mismatch(
                        "0.weight", new Shape(8, 4), DataType.FLOAT32, new Shape(4, 8), DataType.FLOAT32));
        assertThat(e.mistyped())
                .containsExactly(new WeightMismatchException.Mismatch(
                        "1.gamma", new Shape(8), DataType.FLOAT32, new Shape(8), DataType.FLOAT64));
        assertThat(e)
                .hasMessageContaining("2.bias")
                .hasMessageContaining("3.weight")
                .hasMessageContaining("0.weight expected (8, 4) found (4, 8)")
                .hasMessageContaining("1.gamma expected float32 found float64");
        Map<String, float[]> after = values(target);
        before.forEach((name, v) -> assertThat(after.get(name)).as(name).containsExactly(v));
    }

    @Test
    void loadRenamesFileNamesToParameterNames() {
        Block source = newBlock();
        Block target = newBlock();
        Map<String, NDArray> file = new LinkedHashMap<>();
        StateDict.export(source).forEach((name, array) -> file.put("model." + name, array));

        assertThatThrownBy(() -> StateDict.load(target, file))
                .isInstanceOf(WeightMismatchException.class)
                .hasMessageContaining("model.0.weight");
        StateDict.load(target, file, name -> name.substring("model.".length()));

        assertThat(StateDict.export(target).get("2.bias").toFloatArray())
                .containsExactly(StateDict.export(source).get("2.bias").toFloatArray());
    }

    @Test
    void renamingTwoTensorsToOneParameterIsRejected() {
        Block target = newBlock();
        Map<String, NDArray> tensors = new LinkedHashMap<>(StateDict.export(newBlock()));
        tensors.put("copy.0.bias", tensors.get("0.bias"));

        assertThatThrownBy(() -> StateDict.load(target, tensors, name -> name.replace("copy.", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.bias")
                .hasMessageContaining("copy.0.bias");
    }

    @Test
    void uninitializedParametersAreNamed() {
        Block block = new SequentialBlock().add(Linear.builder().setUnits(2).build());

        assertThatThrownBy(() -> StateDict.export(block))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0.weight");
        assertThatThrownBy(() -> StateDict.load(block, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0.weight")
                .hasMessageContaining("0.bias");
    }
}
