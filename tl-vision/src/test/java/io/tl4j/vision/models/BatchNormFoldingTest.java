package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.metrics.EpochRecord;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.persist.ModelDescriptor;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.StateDict;
import io.tl4j.vision.Vision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * BatchNorm folded into the convolution before it ({@link ConvBatchNorm}): frozen inference gives
 * the unfolded network's outputs within 1e-5, layers that train never run folded, and training and
 * saved weights are those of the unfolded network.
 */
class BatchNormFoldingTest {

    private static final Shape INPUT = new Shape(4, 3, 20, 20);

    @AfterEach
    void foldingBackOn() {
        System.clearProperty(ConvBatchNorm.FOLD_PROPERTY);
    }

    @ParameterizedTest
    @EnumSource(BlockType.class)
    void frozenInferenceFoldedEqualsUnfoldedWithin1e5(BlockType type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock net = network(type, manager);
            net.freezeParameters(true);
            NDArray x = FormulaWeights.input(manager, INPUT);
            float[] folded = infer(net, x, manager);
            float[] unfolded = withoutFolding(() -> infer(net, x, manager));
            assertThat(maxDifference(folded, unfolded)).isLessThanOrEqualTo(1e-5);
            assertThat(folded).as("the folded network computes differently").isNotEqualTo(unfolded);
        }
    }

    @Test
    void layersWithTrainableParametersNeverRunFolded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock net = network(BlockType.BOTTLENECK, manager);
            NDArray x = FormulaWeights.input(manager, INPUT);
            float[] inference = infer(net, x, manager);
            assertThat(inference).isEqualTo(withoutFolding(() -> infer(net, x, manager)));
        }
    }

    @Test
    void foldFollowsWeightsThatChangedWhileTheLayerTrained() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock net = network(BlockType.BASIC, manager);
            NDArray x = FormulaWeights.input(manager, INPUT);
            net.freezeParameters(true);
            float[] before = infer(net, x, manager);
            net.getParameters().values().stream()
                    .filter(p ->
                            p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR)
                    .forEach(p -> p.freeze(false));
            trainOneStep(net, x, manager);
            net.freezeParameters(true);
            float[] after = infer(net, x, manager);
            assertThat(maxDifference(after, before)).isGreaterThan(1e-3);
            assertThat(maxDifference(after, withoutFolding(() -> infer(net, x, manager))))
                    .isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void inferenceLeavesTheUnfoldedTorchvisionWeightsAsTheyWere() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock net = network(BlockType.BOTTLENECK, manager);
            net.freezeParameters(true);
            Map<String, float[]> before = values(net);
            infer(net, FormulaWeights.input(manager, INPUT), manager);
            Map<String, float[]> after = values(net);
            assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
            assertThat(after.keySet()).contains("layer1.0.conv1.weight", "layer1.0.bn1.running_var");
            before.forEach((name, v) -> assertThat(after.get(name)).as(name).isEqualTo(v));
        }
    }

    @Test
    void trainingWhoseFrozenLayersHaveNoBlockIsBitIdenticalWithAndWithoutFolding(@TempDir Path dir) {
        Run folded = train(dir.resolve("folded"), "layer1", OptimizerSpec.adam(0.01f));
        Run unfolded = withoutFolding(() -> train(dir.resolve("unfolded"), "layer1", OptimizerSpec.adam(0.01f)));
        assertThat(folded.losses()).isEqualTo(unfolded.losses());
        assertThat(folded.weights().keySet())
                .containsExactlyElementsOf(unfolded.weights().keySet());
        folded.weights()
                .forEach((name, v) ->
                        assertThat(v).as(name).isEqualTo(unfolded.weights().get(name)));
    }

    @Test
    void trainingOnAFoldedFrozenPrefixGivesTheUnfoldedRunsLossesAndWeights(@TempDir Path dir) {
        Run folded = train(dir.resolve("folded"), "layer2", OptimizerSpec.sgd(0.01f, 0.9f));
        Run unfolded = withoutFolding(() -> train(dir.resolve("unfolded"), "layer2", OptimizerSpec.sgd(0.01f, 0.9f)));
        assertThat(folded.losses()).hasSameSizeAs(unfolded.losses());
        for (int i = 0; i < folded.losses().size(); i++) {
            assertThat(folded.losses().get(i)).isCloseTo(unfolded.losses().get(i), Offset.offset(1e-6));
        }
        assertThat(folded.weights().keySet())
                .containsExactlyElementsOf(unfolded.weights().keySet());
        folded.weights()
                .forEach((name, v) -> assertThat(
                                maxDifference(v, unfolded.weights().get(name)))
                        .as(name)
                        .isLessThanOrEqualTo(1e-6));
        assertThat(folded.savedKeys())
                .contains(
                        "backbone.layer1.0.conv1.weight",
                        "backbone.layer1.0.bn1.weight",
                        "backbone.layer1.0.bn1.running_mean",
                        "backbone.layer2.0.downsample.1.running_var")
                .hasSameElementsAs(unfolded.savedKeys());
    }

    /** Losses per epoch, trained backbone weights and the saved weight file's keys of one run. */
    private record Run(List<Double> losses, Map<String, float[]> weights, List<String> savedKeys) {}

    private static Run train(Path dir, String firstTrained, OptimizerSpec optimizer) {
        try (PretrainedModel tiny =
                        Vision.custom("tiny", WeightSourcesTest.TINY).weights(WeightSourcesTest.HF_DIR);
                Backbone<float[]> backbone = tiny.backbone(TensorPipeline.of(WeightSourcesTest.SAMPLE));
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .freezeUntil(firstTrained)
                        .optimizer(optimizer)
                        .epochs(3)
                        .batchSize(8)
                        .progressBar(false)
                        .seed(3)
                        .fit(data(16));
                Backbone<float[]> trained = model.backbone();
                NDManager manager = NDManager.newBaseManager()) {
            model.probabilities(data(4).inputs());
            model.save(dir);
            List<String> saved = new ArrayList<>(SafeTensors.read(dir.resolve(ModelDescriptor.WEIGHTS), manager)
                    .keySet());
            Map<String, float[]> weights = new LinkedHashMap<>();
            trained.weights().forEach((name, array) -> weights.put(name, array.toFloatArray()));
            List<Double> losses = model.history().epochs().stream()
                    .map(EpochRecord::trainLoss)
                    .toList();
            return new Run(losses, weights, saved);
        }
    }

    private static LayeredBlock network(BlockType type, NDManager manager) {
        ResNet resnet = ResNet.builder()
                .setBlockType(type)
                .setBlocksPerStage(1, 2)
                .optBaseWidth(8)
                .optSmallImageStem(true)
                .build();
        LayeredBlock net = resnet.newBlock(manager);
        FormulaWeights.initializeWithZeros(net, manager, INPUT);
        FormulaWeights.load(net, manager);
        return net;
    }

    private static float[] infer(LayeredBlock net, NDArray x, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            return net.forward(new ParameterStore(step, false), new NDList(x), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    private static void trainOneStep(LayeredBlock net, NDArray x, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = net.forward(new ParameterStore(step, false), new NDList(x), true)
                        .singletonOrThrow();
                collector.backward(out.square().sum());
            }
            for (Parameter p : net.getParameters().values()) {
                if (p.requiresGradient()) {
                    NDArray array = p.getArray();
                    array.subi(array.getGradient().mul(0.05f));
                }
            }
        }
    }

    private static Map<String, float[]> values(LayeredBlock net) {
        Map<String, float[]> values = new LinkedHashMap<>();
        StateDict.export(net).forEach((name, array) -> values.put(name, array.toFloatArray()));
        return values;
    }

    private static <T> T withoutFolding(Supplier<T> work) {
        System.setProperty(ConvBatchNorm.FOLD_PROPERTY, "false");
        try {
            return work.get();
        } finally {
            System.clearProperty(ConvBatchNorm.FOLD_PROPERTY);
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static LabeledData<float[]> data(int n) {
        Random random = new Random(7);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            float[] x = new float[(int) WeightSourcesTest.SAMPLE.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) random.nextGaussian() + (labels[i] == 0 ? 0.5f : -0.5f);
            }
            inputs.add(x);
        }
        return LabeledData.of(inputs, labels, List.of("light", "dark"));
    }
}
