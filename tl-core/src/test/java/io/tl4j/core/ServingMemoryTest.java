package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.data.LabeledData;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a serving process holds: a loaded model keeps its parameters and not a second copy of the
 * weights file, and predictions on ONNX Runtime hand it the batches' memory without a Java or direct
 * buffer per batch.
 */
class ServingMemoryTest {

    private static final Fixtures.Task TASK = new Fixtures.Task(Fixtures.WORLD.task("tiny", 3, 131));

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    private static TransferModel<float[]> trained(Backbone<float[]> backbone) {
        return TransferLearner.from(backbone)
                .freezeAll()
                .epochs(1)
                .batchSize(8)
                .seed(3)
                .progressBar(false)
                .fit(TASK.sample(8, 31));
    }

    @Test
    void aLoadedModelHoldsItsParametersAndNotTheFilesTensorsBesideThem(@TempDir Path dir) {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(48, 24);
                TransferModel<float[]> model = trained(backbone)) {
            model.save(dir);
        }
        int before = Fixtures.liveArrays();
        try (TransferModel<float[]> loaded = TransferModel.load(dir)) {
            int parameters = loaded.network().root.getParameters().size();
            assertThat(Fixtures.liveArrays() - before)
                    .as("arrays the loaded model keeps alive, against its %d parameters", parameters)
                    .isEqualTo(parameters);
        }
    }

    @Test
    void predictionsOnOnnxRuntimeAllocateNoDirectBufferPerBatch() {
        LabeledData<float[]> inputs = TASK.sample(700, 33);
        List<float[]> batch = inputs.inputs();
        long inputBytes = (long) batch.size() * Fixtures.INPUT * Float.BYTES;
        try (Backbone<float[]> backbone = OnnxMlp.backbone(48, 24);
                TransferModel<float[]> model = trained(backbone)) {
            assertThat(model.optimizeForInference()).isTrue();
            model.probabilities(batch);
            long before = directBytes();
            for (int call = 0; call < 10; call++) {
                model.probabilities(batch);
            }
            assertThat(directBytes() - before)
                    .as("direct memory left by 10 calls on %d bytes of inputs each", inputBytes)
                    .isLessThan(inputBytes);
        }
    }
}
