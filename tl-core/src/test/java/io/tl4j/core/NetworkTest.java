package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void parametersAreNamedByPartAndGroupedByBackboneLayerWithoutBatchNormStatistics() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                NDManager manager = NDManager.newBaseManager()) {
            Network net = Network.build(backbone, new int[] {6}, Head.mlp(4), 3, manager, 1);
            assertThat(net.layers).containsExactly("block1", "block2");
            assertThat(net.staged()).isTrue();
            assertThat(net.parameters().keySet())
                    .allMatch(k -> k.startsWith("backbone.block1.")
                            || k.startsWith("backbone.block2.")
                            || k.startsWith("adapter.")
                            || k.startsWith("head."));
            Map<String, List<Map.Entry<String, ai.djl.nn.Parameter>>> groups = net.trainableByGroup();
            assertThat(groups.keySet()).containsExactly("block1", "block2", "adapter", "head");
            assertThat(groups.values().stream().flatMap(List::stream).map(Map.Entry::getKey))
                    .noneMatch(k -> k.endsWith("runningMean") || k.endsWith("runningVar"));
        }
    }

    @Test
    void runningTheCachedPrefixThenTheRestEqualsRunningTheWholeNetworkInInference() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                NDManager manager = NDManager.newBaseManager()) {
            Network net = Network.build(backbone, new int[0], Head.linear(), 3, manager, 1);
            NDArray x = manager.randomNormal(new ai.djl.ndarray.types.Shape(5, Fixtures.INPUT));
            ParameterStore ps = new ParameterStore(manager, false);
            float[] whole =
                    net.forward(ps, new NDList(x), 0, net.inference()).head().toFloatArray();
            for (int prefix = 1; prefix <= 2; prefix++) {
                NDList features = net.forwardPrefix(ps, new NDList(x), prefix);
                assertThat(net.forward(ps, features, prefix, net.inference())
                                .head()
                                .toFloatArray())
                        .as("prefix %d", prefix)
                        .isEqualTo(whole);
            }
        }
    }

    @Test
    void aHeadThatDoesNotScoreEveryClassIsRefused() {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16, 8);
                NDManager manager = NDManager.newBaseManager()) {
            Head wrong =
                    Head.of(classes -> Linear.builder().setUnits(classes + 1).build());
            assertThatThrownBy(() -> Network.build(backbone, new int[0], wrong, 3, manager, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("The head must output (batch, 3) scores");
        }
    }
}
