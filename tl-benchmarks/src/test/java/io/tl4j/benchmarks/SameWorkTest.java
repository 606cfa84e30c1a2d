package io.tl4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.tl4j.benchmarks.nets.ReferenceNets;
import io.tl4j.core.Backbone;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.nn.LayeredBlock;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two sides of each benchmark pair do the same work: on a small ResNet-18 (16² images, one
 * batch) tl4j's {@code fit} with tl-vision's network and the raw-DJL loop with the plain-DJL network
 * start from the same weights and compute the same loss for the first step, in every training
 * regime benchmarked; served through ONNX Runtime ({@code optimizeForInference()}), the model gives
 * the engine's probabilities.
 */
class SameWorkTest {

    private static final Shape IMAGE = new Shape(3, 16, 16);
    private static final int N = 10;

    private static NDManager manager;
    private static Backbone<float[]> backbone;
    private static byte[] djlWeights;
    private static List<float[]> images;
    private static LabeledData<float[]> data;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        Workloads.PretrainedPair weights = Workloads.pretrained(
                Tl4jSide.vision("resnet18"), ReferenceNets::resnet18, new Shape(1, 3, 16, 16), 7, manager);
        backbone = Tl4jSide.backbone(Tl4jSide.vision("resnet18"), IMAGE, weights.tl4j());
        djlWeights = weights.djl();
        images = Workloads.samples(N, IMAGE, 1);
        data = Workloads.labelled(images);
    }

    @AfterAll
    static void tearDown() {
        backbone.close();
        manager.close();
    }

    private static double tl4jLoss(Function<TransferLearner<float[]>, TransferLearner<float[]>> freezing) {
        try (TransferModel<float[]> model =
                freezing.apply(Tl4jSide.learner(backbone, N, 1)).fit(data)) {
            return model.history().last().trainLoss();
        }
    }

    private static RawDjlTraining raw(int frozenStages) {
        return new RawDjlTraining(
                ReferenceNets::resnet18,
                djlWeights,
                IMAGE,
                frozenStages,
                Tl4jSide.LEARNING_RATE,
                Device.cpu(),
                Tl4jSide.SEED);
    }

    @Test
    void fullFineTuningComputesTheSameLossesOverTwoSteps() {
        double first;
        double second;
        try (TransferModel<float[]> model =
                Tl4jSide.learner(backbone, N, 2).unfreezeAll().fit(data)) {
            first = model.history().epochs().get(0).trainLoss();
            second = model.history().epochs().get(1).trainLoss();
        }
        try (RawDjlTraining run = raw(0)) {
            assertThat(run.epoch(images, data.labels(), N, 1)).isCloseTo(first, within(1e-4));
            // the second step's loss depends on every weight the first step updated, backbone included
            assertThat(run.epoch(images, data.labels(), N, 2)).isCloseTo(second, within(1e-3));
        }
        assertThat(Math.abs(second - first)).isGreaterThan(1e-3);
    }

    @Test
    void partialFreezingComputesTheSameLoss() {
        double tl4j = tl4jLoss(l -> l.freezeUntil("layer4"));
        try (RawDjlTraining run = raw(ResNet18Training.LAYER4)) {
            assertThat(run.epoch(images, data.labels(), N, 1)).isCloseTo(tl4j, within(1e-4));
        }
    }

    @Test
    void cachedAndNaiveFeatureExtractionComputeTheSameLoss() {
        double cached = tl4jLoss(TransferLearner::freezeAll);
        double naive = tl4jLoss(l -> l.freezeAll().featureCache(false));
        int all = ReferenceNets.resnet18().size();
        try (RawDjlTraining run = raw(all)) {
            assertThat(run.epoch(images, data.labels(), N, 1)).isCloseTo(naive, within(1e-4));
        }
        try (RawDjlTraining run = raw(all)) {
            NDArray features = run.cacheFeatures(images);
            assertThat(features.getShape()).isEqualTo(new Shape(N, ReferenceNets.RESNET18_FEATURES));
            assertThat(run.epochOnFeatures(features, data.labels(), N, 1)).isCloseTo(cached, within(1e-4));
        }
        assertThat(cached).isCloseTo(naive, within(1e-4));
        assertThat(tl4jLoss(l -> l.freezeAll().featuresOnOnnxRuntime(true)))
                .as("cached_tl4jOnnx: the features computed on ONNX Runtime")
                .isCloseTo(cached, within(1e-4));
    }

    @Test
    void stagedInferenceEqualsThePlainForward() {
        try (Model model = Model.newInstance("staged")) {
            LayeredBlock net = ReferenceNets.resnet50();
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, 3, 64, 64));
            try (NDManager sm = model.getNDManager().newSubManager()) {
                ParameterStore ps = new ParameterStore(sm, false);
                NDArray x = sm.create(
                        Workloads.gather(Workloads.samples(2, new Shape(3, 64, 64), 5), new int[] {0, 1}),
                        new Shape(2, 3, 64, 64));
                float[] plain = net.forward(ps, new NDList(x), false).head().toFloatArray();
                NDList current = new NDList(x.duplicate());
                for (int i = 0; i < net.size(); i++) {
                    current = Inference.scoped(net.layer(i), ps, current);
                }
                assertThat(current.head().toFloatArray()).containsExactly(plain, within(1e-5f));
            }
        }
    }

    @Test
    void optimizeForInferenceServesTheEnginesProbabilities() {
        try (TransferModel<float[]> model = Tl4jSide.learner(backbone, N, 1).fit(data)) {
            float[][] engine = model.probabilities(images);
            assertThat(model.optimizeForInference()).isTrue();
            float[][] onnx = model.probabilities(images);
            Workloads.requireSameProbabilities("optimizeForInference()", engine, onnx);
            assertThat(onnx[0]).containsExactly(engine[0], within(1e-4f));
        }
    }
}
