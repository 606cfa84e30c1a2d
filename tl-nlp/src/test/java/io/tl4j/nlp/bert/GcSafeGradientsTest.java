package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.weights.ParameterNames;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cause of the seed-1 NaN, pinned: a BERT's gradients are the same whether or not the garbage
 * collector runs between its forward and backward pass. Before {@code Scalars}, the attention's
 * {@code q / sqrt(d)} left the graph reading a JVM buffer that a collection freed, and backward
 * read whatever the allocator put there next. The tiny BERT uses GELU-tanh, so that path is covered
 * too.
 */
class GcSafeGradientsTest {

    @Test
    void gradientsDoNotDependOnWhenTheCollectorRuns(@TempDir Path dir) throws InterruptedException {
        Path model = TinyBert.write(dir.resolve("tiny"), null);
        try (BertEncoder bert = Bert.fromHuggingFace(model, "test");
                Backbone<String> backbone = bert.backbone(Pooling.MEAN, 24);
                NDManager manager = NDManager.newBaseManager()) {
            Block block = backbone.instantiate(manager, 1);
            Map<String, float[]> calm = gradients(block, backbone, manager, false);
            Map<String, float[]> collected = gradients(block, backbone, manager, true);

            assertThat(collected).containsOnlyKeys(calm.keySet());
            assertThat(calm.get("encoder.layer.0.attention.self.query.weight"))
                    .as("query gradient")
                    .isNotEqualTo(new float[calm.get("encoder.layer.0.attention.self.query.weight").length]);
            calm.forEach(
                    (name, gradient) -> assertThat(collected.get(name)).as(name).containsExactly(gradient));
        }
    }

    private static Map<String, float[]> gradients(
            Block block, Backbone<String> backbone, NDManager manager, boolean collectBetween)
            throws InterruptedException {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager sm = manager.newSubManager()) {
            NDList x = backbone.pipeline().batch(sm, TinyBert.texts(), false, null);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out =
                        block.forward(new ParameterStore(sm, false), x, false).head();
                NDArray loss = out.square().sum();
                if (collectBetween) {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(30);
                    }
                }
                collector.backward(loss);
            }
            for (Map.Entry<String, Parameter> p : ParameterNames.of(block).entrySet()) {
                NDArray gradient = p.getValue().getArray().getGradient();
                gradients.put(p.getKey(), gradient.toFloatArray());
                gradient.subi(gradient);
            }
        }
        return gradients;
    }
}
