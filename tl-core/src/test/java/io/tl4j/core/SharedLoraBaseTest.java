package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.lora.Lora;
import io.tl4j.core.lora.LoraConfig;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.train.RunFingerprint;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.StateDict;
import io.tl4j.core.weights.WeightMismatchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several LoRA adapters over one loaded base ({@link LoraAdapter#loadShared}): each task's
 * probabilities equal those of the same adapter loaded alone, every task reads the base backbone's
 * own weight arrays (the same objects), closing one task leaves the others and the base intact,
 * predictions from many threads across tasks equal sequential ones, and merging is refused; ONNX
 * export is refused naming the base architecture when that cannot export.
 */
class SharedLoraBaseTest {

    @TempDir
    static Path dir;

    private static Backbone<float[]> base;
    private static Path threeWay;
    private static Path twoWay;
    private static LabeledData<float[]> data;

    @BeforeAll
    static void trainTwoAdapters() {
        Architecture architecture = Architecture.of(
                "test.attention",
                () -> new LayeredBlock()
                        .add("attention.query", new TorchLinear(Fixtures.INPUT, 24))
                        .add("act", Activation.reluBlock())
                        .add("attention.value", new TorchLinear(24, 16))
                        .add("output.dense", new TorchLinear(16, 12)));
        try (Backbone<float[]> random = Backbone.<float[]>builder()
                        .setArchitecture(architecture)
                        .setPipeline(TensorPipeline.of(new Shape(Fixtures.INPUT)))
                        .build();
                NDManager manager = NDManager.newBaseManager()) {
            base = random.toBuilder()
                    .optWeightsFrom(random.instantiate(manager, 3))
                    .build();
        }
        data = Fixtures.tiny(12, 1);
        int[] parity = new int[data.size()];
        for (int i = 0; i < parity.length; i++) {
            parity[i] = data.label(i) % 2;
        }
        threeWay = train(data, "three-way");
        twoWay = train(LabeledData.of(data.inputs(), parity, List.of("even", "odd")), "two-way");
    }

    private static Path train(LabeledData<float[]> task, String name) {
        Path saved = dir.resolve(name);
        try (Backbone<float[]> lora = Lora.adapt(base, LoraConfig.rank(4).alpha(8));
                TransferModel<float[]> model = TransferLearner.from(lora)
                        .epochs(5)
                        .batchSize(8)
                        .learningRate(3e-2f)
                        .progressBar(false)
                        .fit(task)) {
            LoraAdapter.save(model, saved);
        }
        return saved;
    }

    @AfterAll
    static void free() {
        base.close();
    }

    @Test
    void aLoraModelOverABaseThatCannotExportIsRefusedNamingTheBaseAndStaysOnTheEngine() {
        try (TransferModel<float[]> model = LoraAdapter.load(base, twoWay)) {
            Path file = dir.resolve("refused.onnx");
            assertThatThrownBy(() -> model.exportOnnx(file))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("base architecture 'test.attention'")
                    .hasMessageContaining("OnnxExportable");
            assertThat(file).doesNotExist();
            float[][] before = model.probabilities(data.inputs());
            assertThat(model.optimizeForInference()).isFalse();
            assertThat(model.probabilities(data.inputs())).isDeepEqualTo(before);
        }
    }

    @Test
    void eachTaskOverTheSharedBaseGivesTheProbabilitiesOfItsAdapterLoadedAlone() {
        List<float[]> inputs = data.inputs();
        try (TransferModel<float[]> threeAlone = LoraAdapter.load(base, threeWay);
                TransferModel<float[]> twoAlone = LoraAdapter.load(base, twoWay);
                TransferModel<float[]> three = LoraAdapter.loadShared(base, threeWay);
                TransferModel<float[]> two = LoraAdapter.loadShared(base, twoWay)) {
            assertThat(three.classNames()).hasSize(3);
            assertThat(two.classNames()).containsExactly("even", "odd");
            assertClose(three.probabilities(inputs), threeAlone.probabilities(inputs), 1e-6f);
            assertClose(two.probabilities(inputs), twoAlone.probabilities(inputs), 1e-6f);
            assertThat(three.evaluate(data).accuracy()).isGreaterThan(0.5);
        }
    }

    @Test
    void everyTaskReadsTheBasesOwnWeightArraysAndOnlyItsUpdatesAreItsOwn() {
        try (TransferModel<float[]> three = LoraAdapter.loadShared(base, threeWay);
                TransferModel<float[]> two = LoraAdapter.loadShared(base, twoWay);
                TransferModel<float[]> alone = LoraAdapter.load(base, twoWay)) {
            Map<String, Parameter> first = backbone(three);
            Map<String, Parameter> second = backbone(two);
            Map<String, Parameter> copied = backbone(alone);
            assertThat(base.weights()).hasSize(6);
            base.weights().forEach((name, array) -> {
                assertThat(first.get(name).getArray()).as(name).isSameAs(array);
                assertThat(second.get(name).getArray()).as(name).isSameAs(array);
                assertThat(copied.get(name).getArray()).as(name).isNotSameAs(array);
            });
            assertThat(first.get("attention.query.lora_B").getArray())
                    .isNotSameAs(second.get("attention.query.lora_B").getArray());
            assertThat(first.get("attention.query.lora_B")
                            .getArray()
                            .contentEquals(second.get("attention.query.lora_B").getArray()))
                    .isFalse();
        }
    }

    private static Map<String, Parameter> backbone(TransferModel<?> model) {
        return ParameterNames.of(model.network().backbone);
    }

    @Test
    void closingOneTaskLeavesTheOtherTasksAndTheBaseIntact() {
        List<float[]> inputs = data.inputs();
        Map<String, float[]> before = Fixtures.values(base.weights());
        float[][] expected;
        try (TransferModel<float[]> alone = LoraAdapter.load(base, twoWay)) {
            expected = alone.probabilities(inputs);
        }
        try (TransferModel<float[]> two = LoraAdapter.loadShared(base, twoWay)) {
            TransferModel<float[]> three = LoraAdapter.loadShared(base, threeWay);
            three.probabilities(inputs);
            three.close();
            assertClose(two.probabilities(inputs), expected, 0f);
            try (TransferModel<float[]> again = LoraAdapter.loadShared(base, threeWay)) {
                assertThat(again.predict(inputs)).hasSize(inputs.size());
            }
            assertClose(two.probabilities(inputs), expected, 0f);
        }
        assertUnchanged(before);
    }

    @Test
    void predictionsFromEightThreadsAcrossTwoTasksEqualSequentialOnes() throws Exception {
        List<float[]> inputs = data.inputs();
        try (TransferModel<float[]> three = LoraAdapter.loadShared(base, threeWay);
                TransferModel<float[]> two = LoraAdapter.loadShared(base, twoWay)) {
            float[][] threeExpected = three.probabilities(inputs);
            float[][] twoExpected = two.probabilities(inputs);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<float[][]>> results = new ArrayList<>();
                for (int call = 0; call < 64; call++) {
                    TransferModel<float[]> model = call % 2 == 0 ? three : two;
                    results.add(pool.submit(() -> model.probabilities(inputs)));
                }
                for (int call = 0; call < results.size(); call++) {
                    assertClose(results.get(call).get(), call % 2 == 0 ? threeExpected : twoExpected, 0f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theBaseIsHashedOnceHoweverManyAdaptersLoadOntoIt() {
        String first = base.weightsSha256();
        assertThat(first).isEqualTo(RunFingerprint.ofWeights(base.weights()));
        try (TransferModel<float[]> three = LoraAdapter.loadShared(base, threeWay);
                TransferModel<float[]> two = LoraAdapter.loadShared(base, twoWay)) {
            assertThat(base.weightsSha256()).isSameAs(first);
        }
        try (Backbone<float[]> random = base.toBuilder().optWeights(Map.of()).build()) {
            assertThat(random.weightsSha256()).isEqualTo("none");
        }
    }

    @Test
    void mergingATaskThatSharesItsBaseIsRefusedAndChangesNothing() {
        Map<String, float[]> before = Fixtures.values(base.weights());
        try (TransferModel<float[]> two = LoraAdapter.loadShared(base, twoWay)) {
            assertThatThrownBy(() -> LoraAdapter.merge(two))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("shared with other tasks")
                    .hasMessageContaining("LoraAdapter.load");
        }
        assertUnchanged(before);
    }

    @Test
    void sharingIsStrictAboutNamesAndShapesAndChangesNothingWhenRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = base.instantiate(manager, 0);
            Map<String, NDArray> own = StateDict.export(block);
            Map<String, NDArray> offered = new LinkedHashMap<>(base.weights());
            offered.remove("output.dense.bias");
            offered.put("attention.value.weight", manager.zeros(new Shape(16, 23)));
            offered.put("attention.key.weight", manager.zeros(new Shape(2)));
            assertThatThrownBy(() -> StateDict.share(block, offered, name -> true))
                    .isInstanceOf(WeightMismatchException.class)
                    .hasMessageContaining("output.dense.bias")
                    .hasMessageContaining("attention.value.weight")
                    .hasMessageContaining("attention.key.weight");
            assertThat(StateDict.export(block)).containsExactlyEntriesOf(own);
        }
    }

    private static void assertUnchanged(Map<String, float[]> before) {
        Map<String, float[]> now = Fixtures.values(base.weights());
        assertThat(now.keySet()).isEqualTo(before.keySet());
        before.forEach((name, values) -> assertThat(now.get(name)).as(name).containsExactly(values));
    }

    private static void assertClose(float[][] actual, float[][] expected, float tolerance) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("input %d", i).containsExactly(expected[i], Offset.offset(tolerance));
        }
    }
}
