package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.LoraAdapter;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.lora.Lora;
import io.tl4j.core.lora.LoraConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA on the tiny BERT (hidden 16, two layers): the query and value layers of every attention
 * layer by default, the base's features at the start, only the updates and the head trained, merged
 * inference within 1e-5 of unmerged, adapters saved alone, refused on another base, and two adapters
 * served over one loaded base, with copies of it and sharing its arrays ({@link
 * LoraAdapter#loadShared}).
 */
class BertLoraTest {

    private static final List<String> TEXTS = TinyBert.texts();

    @TempDir
    static Path dir;

    private static BertEncoder tiny;
    private static Backbone<String> base;

    @BeforeAll
    static void load() {
        tiny = Bert.fromHuggingFace(TinyBert.write(dir.resolve("tiny"), null), "test");
        base = tiny.backbone(Pooling.MEAN, 24);
    }

    @AfterAll
    static void free() {
        base.close();
        tiny.close();
    }

    private static TransferModel<String> fit(Backbone<String> backbone, LabeledData<String> data) {
        return TransferLearner.from(backbone)
                .epochs(4)
                .batchSize(2)
                .learningRate(3e-2f)
                .progressBar(false)
                .fit(data);
    }

    private static LabeledData<String> evenOdd() {
        return LabeledData.of(TEXTS, new int[] {0, 1, 0, 1, 0}, List.of("even", "odd"));
    }

    private static LabeledData<String> threeWay() {
        return LabeledData.of(TEXTS, new int[] {2, 0, 1, 2, 1}, List.of("a", "b", "c"));
    }

    @Test
    void theDefaultTargetsAreEveryAttentionLayersQueryAndValueWith2RdValuesEach() {
        try (Backbone<String> lora = Lora.adapt(base, LoraConfig.rank(4));
                NDManager manager = NDManager.newBaseManager()) {
            Block block = lora.instantiate(manager, 0);
            assertThat(Lora.updates(block))
                    .containsOnlyKeys(
                            "encoder.layer.0.attention.self.query",
                            "encoder.layer.0.attention.self.value",
                            "encoder.layer.1.attention.self.query",
                            "encoder.layer.1.attention.self.value");
            int d = 16;
            int r = 4;
            assertThat(Lora.parameterCount(block)).isEqualTo(4L * 2 * r * d);
            assertThat(lora.layers()).isEqualTo(base.layers());
        }
    }

    @Test
    void atTheStartTheAdaptedBackboneComputesTheBasesFeaturesExactly() {
        try (Backbone<String> lora = Lora.adapt(base, LoraConfig.rank(4).alpha(8));
                NDManager manager = NDManager.newBaseManager()) {
            float[] expected = features(base, manager);
            assertThat(features(lora, manager)).containsExactly(expected);
        }
    }

    private static float[] features(Backbone<String> backbone, NDManager manager) {
        Block block = backbone.instantiate(manager, 0);
        return block.forward(
                        new ParameterStore(manager, false),
                        backbone.pipeline().batch(manager, TEXTS, false, new Random(0)),
                        false)
                .singletonOrThrow()
                .toFloatArray();
    }

    @Test
    void targetsThatMatchNoLinearLayerAreRefusedListingThoseThatExist() {
        assertThatThrownBy(() -> Lora.adapt(base, LoraConfig.rank(4).targets("query", "q_proj")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LoRA target 'q_proj' matches no linear layer")
                .hasMessageContaining("encoder.layer.1.attention.self.key")
                .hasMessageContaining("encoder.layer.0.intermediate.dense")
                .hasMessageContaining("last names: [query, key, value, dense]");
    }

    @Test
    void aFitTrainsOnlyTheUpdatesAndTheHead() {
        try (Backbone<String> lora = Lora.adapt(base, LoraConfig.rank(4).alpha(8));
                TransferModel<String> model = fit(lora, evenOdd());
                Backbone<String> trained = model.backbone()) {
            Map<String, NDArray> before = lora.weights();
            Map<String, NDArray> after = trained.weights();
            assertThat(after.keySet()).isEqualTo(before.keySet());
            int changedUpdates = 0;
            for (String name : before.keySet()) {
                boolean same = before.get(name).contentEquals(after.get(name));
                if (Lora.isLoraParameter(name)) {
                    changedUpdates += same ? 0 : 1;
                } else {
                    assertThat(same).as("frozen base weight %s", name).isTrue();
                }
            }
            assertThat(changedUpdates).as("lora_A and lora_B of four layers").isEqualTo(8);
            assertThat(model.evaluate(evenOdd()).accuracy()).isGreaterThan(0.5);
        }
    }

    @Test
    void mergedInferenceEqualsUnmergedWithin1e5AndUnmergingRestoresIt() {
        try (Backbone<String> lora = Lora.adapt(base, LoraConfig.rank(4).alpha(8));
                TransferModel<String> model = fit(lora, evenOdd())) {
            float[][] unmerged = model.logits(TEXTS);

            assertThat(LoraAdapter.merge(model)).isEqualTo(4);
            assertClose(model.logits(TEXTS), unmerged, 1e-5f);
            assertThatThrownBy(() -> LoraAdapter.save(model, dir.resolve("merged")))
                    .hasMessageContaining("unmerge them before saving");

            assertThat(LoraAdapter.unmerge(model)).isEqualTo(4);
            assertClose(model.logits(TEXTS), unmerged, 0f);
        }
    }

    @Test
    void anAdapterIsSavedAloneInKilobytesAndLoadsBackOntoItsBase() throws Exception {
        Path saved = dir.resolve("adapter");
        try (Backbone<String> lora = Lora.adapt(base, LoraConfig.rank(4).alpha(8));
                TransferModel<String> model = fit(lora, evenOdd())) {
            LoraAdapter.save(model, saved);
            long bytes = Files.size(saved.resolve(LoraAdapter.WEIGHTS));
            // 4 updates x 2 x 4 x 16 floats + head 2 x 16 + 2, with the safetensors header
            assertThat(bytes).isLessThan(4 * (4 * 2 * 4 * 16 + 34) + 2048L);
            try (TransferModel<String> loaded = LoraAdapter.load(base, saved)) {
                assertThat(loaded.classNames()).containsExactly("even", "odd");
                assertClose(loaded.logits(TEXTS), model.logits(TEXTS), 0f);
            }
        }
    }

    @Test
    void anAdapterIsRefusedOnAnotherBaseNamingBothSha256() {
        Path saved = dir.resolve("refused");
        try (Backbone<String> lora = Lora.adapt(base, LoraConfig.rank(2));
                TransferModel<String> model = fit(lora, evenOdd())) {
            LoraAdapter.save(model, saved);
        }
        Path otherDir = TinyBert.write(
                dir.resolve("other"),
                tensors -> tensors.put(
                        "bert.encoder.layer.0.attention.self.query.bias",
                        tensors.get("bert.encoder.layer.0.attention.self.query.bias")
                                .add(1f)));
        try (BertEncoder other = Bert.fromHuggingFace(otherDir, "test");
                Backbone<String> otherBase = other.backbone(Pooling.MEAN, 24)) {
            String trainedOn = io.tl4j.core.train.RunFingerprint.ofWeights(base.weights());
            String offered = io.tl4j.core.train.RunFingerprint.ofWeights(otherBase.weights());
            assertThat(offered).isNotEqualTo(trainedOn);
            assertThatThrownBy(() -> LoraAdapter.load(otherBase, saved))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(trainedOn)
                    .hasMessageContaining(offered);
        }
    }

    @Test
    void twoAdaptersServeTwoTasksOverOneLoadedBase() {
        Path first = dir.resolve("even-odd");
        Path second = dir.resolve("three-way");
        float[][] firstLogits;
        float[][] secondLogits;
        try (Backbone<String> lora = Lora.adapt(base, LoraConfig.rank(4).alpha(8));
                TransferModel<String> a = fit(lora, evenOdd());
                TransferModel<String> b = fit(lora, threeWay())) {
            LoraAdapter.save(a, first);
            LoraAdapter.save(b, second);
            firstLogits = a.logits(TEXTS);
            secondLogits = b.logits(TEXTS);
        }
        try (TransferModel<String> a = LoraAdapter.load(base, first);
                TransferModel<String> b = LoraAdapter.load(base, second)) {
            assertThat(a.classNames()).containsExactly("even", "odd");
            assertThat(b.classNames()).containsExactly("a", "b", "c");
            assertClose(b.logits(TEXTS), secondLogits, 0f);
            assertClose(a.logits(TEXTS), firstLogits, 0f);
        }
        try (TransferModel<String> a = LoraAdapter.loadShared(base, first);
                TransferModel<String> b = LoraAdapter.loadShared(base, second)) {
            assertClose(b.logits(TEXTS), secondLogits, 1e-6f);
            assertClose(a.logits(TEXTS), firstLogits, 1e-6f);
            assertThatThrownBy(() -> LoraAdapter.merge(a)).hasMessageContaining("shared with other tasks");
        }
    }

    private static void assertClose(float[][] actual, float[][] expected, float tolerance) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("input %d", i).containsExactly(expected[i], Offset.offset(tolerance));
        }
    }
}
