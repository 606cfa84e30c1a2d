package io.tl4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightMismatchExceptionTest {

    @Test
    void longListsShowTenNamesAndCountTheRestAndTheFileIsNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock block = new SequentialBlock();
            for (int i = 0; i < 13; i++) {
                block.add(Linear.builder().setUnits(2).build());
            }
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            Map<String, NDArray> all = StateDict.export(block);
            List<String> names = new ArrayList<>(all.keySet());
            assertThat(names).hasSize(26);
            Map<String, NDArray> one = new LinkedHashMap<>();
            one.put(names.get(0), all.get(names.get(0)));

            WeightMismatchException e =
                    catchThrowableOfType(WeightMismatchException.class, () -> StateDict.load(block, one));
            assertThat(e.missing()).hasSize(25).isEqualTo(names.subList(1, 26));
            assertThat(e.file()).isEmpty();
            assertThat(e)
                    .hasMessageStartingWith("state dict does not match the block")
                    .hasMessageContaining("missing (no tensor for parameter): "
                            + String.join(", ", names.subList(1, 11)) + " ... and 15 more")
                    .hasMessageNotContaining(names.get(11));

            Path file = Path.of("checkpoints", "model.safetensors");
            WeightMismatchException named = e.inFile(file);
            assertThat(named.file()).contains(file);
            assertThat(named.missing()).isEqualTo(e.missing());
            assertThat(named.getStackTrace()).isEqualTo(e.getStackTrace());
            assertThat(named)
                    .hasMessageStartingWith("state dict read from " + file + " does not match the block")
                    .hasMessageContaining(names.get(10) + " ... and 15 more");
        }
    }

    @Test
    void shortListsAreShownWhole() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Linear.builder().setUnits(2).build();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            Map<String, NDArray> tensors = new LinkedHashMap<>(StateDict.export(block));
            for (int i = 0; i < 10; i++) {
                tensors.put("extra." + i, manager.zeros(new Shape(1)));
            }
            WeightMismatchException e =
                    catchThrowableOfType(WeightMismatchException.class, () -> StateDict.load(block, tensors));
            assertThat(e).hasMessageEndingWith("extra.8, extra.9").hasMessageNotContaining("more");
        }
    }
}
