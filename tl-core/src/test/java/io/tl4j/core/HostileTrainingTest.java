package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.data.NonFiniteValueException;
import io.tl4j.core.persist.ConfigJson;
import io.tl4j.core.train.OptimizerSpec;
import io.tl4j.core.train.TrainingDivergedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile data and training settings: each is refused with an exception that names the example,
 * class, epoch, step or setting at fault, instead of training quietly to a wrong answer.
 */
class HostileTrainingTest {

    static Backbone<float[]> backbone;

    @BeforeAll
    static void init() {
        backbone = Fixtures.randomMlp(16, 8);
    }

    @AfterAll
    static void close() {
        backbone.close();
    }

    private static TransferLearner<float[]> learner() {
        return TransferLearner.from(backbone)
                .unfreezeAll()
                .epochs(2)
                .batchSize(8)
                .progressBar(false);
    }

    /** A clean 3-class sample with one value of example {@code bad} replaced. */
    private static LabeledData<float[]> poisoned(int bad, float value) {
        LabeledData<float[]> data = Fixtures.tiny(6, 1);
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            float[] x = data.input(i).clone();
            if (i == bad) {
                x[5] = value;
            }
            inputs.add(x);
        }
        return LabeledData.of(inputs, data.labels(), data.classNames());
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void nonFiniteTrainingInputIsNamedWithItsIndexAndPipeline(float value) {
        assertThatThrownBy(() -> learner().fit(poisoned(7, value)))
                .isInstanceOf(NonFiniteValueException.class)
                .hasMessageContaining("Training example 7")
                .hasMessageContaining("tl4j.tensor")
                .hasMessageContaining(value + " at position 5")
                .hasMessageContaining("DataCleaner")
                .satisfies(
                        e -> assertThat(((NonFiniteValueException) e).example()).isEqualTo(7));
    }

    @Test
    void inputThatOverflowsInPreprocessingIsRefused() {
        Backbone<float[]> scaled = Backbone.<float[]>builder()
                .setArchitecture(backbone.architecture())
                .setPipeline(TensorPipeline.of(new ai.djl.ndarray.types.Shape(Fixtures.INPUT))
                        .normalize(0f, 1e-30f))
                .build();
        try (scaled) {
            assertThatThrownBy(() -> TransferLearner.from(scaled)
                            .unfreezeAll()
                            .epochs(1)
                            .progressBar(false)
                            .fit(poisoned(3, 1e20f)))
                    .isInstanceOf(NonFiniteValueException.class)
                    .hasMessageContaining("Training example 3")
                    .hasMessageContaining("Infinity");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void explodingLossStopsTrainingNamingEpochStepAndLearningRate(String optimizer) {
        OptimizerSpec spec = optimizer.equals("sgd") ? OptimizerSpec.sgd(1e6f, 0f) : OptimizerSpec.adam(1e6f);
        assertThatThrownBy(() -> learner().optimizer(spec).epochs(10).fit(Fixtures.tiny(10, 1)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("at epoch ")
                .hasMessageContaining(", step ")
                .hasMessageContaining("learning rate 1.00e+06")
                .hasMessageContaining("Lower the learning rate (try 1.00e+05)");
    }

    @Test
    void divergenceGuardDoesNotStopOrdinaryTraining() {
        try (TransferModel<float[]> model = learner().epochs(5).fit(Fixtures.tiny(10, 1))) {
            assertThat(model.history().size()).isEqualTo(5);
        }
    }

    @Test
    void divergenceFactorMustBeAboveOneOrOff() {
        assertThatThrownBy(() -> learner().divergenceFactor(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.5");
    }

    @Test
    void oneClassDataIsRefused() {
        LabeledData<float[]> data = Fixtures.tiny(6, 1);
        LabeledData<float[]> one = LabeledData.of(data.inputs(), new int[data.size()], List.of("only"));
        assertThatThrownBy(() -> learner().fit(one))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one class only, [only]")
                .hasMessageContaining("at least two classes");
    }

    @Test
    void aDeclaredClassWithoutExamplesIsNamed() {
        LabeledData<float[]> data = Fixtures.tiny(6, 1);
        LabeledData<float[]> declared = LabeledData.of(
                data.inputs(),
                data.labels(),
                List.of(
                        data.classNames().get(0),
                        data.classNames().get(1),
                        data.classNames().get(2),
                        "ghost"));
        assertThatThrownBy(() -> learner().fit(declared))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no examples of [ghost]")
                .hasMessageContaining("ghost=0");
    }

    @Test
    void oneRowIsRefused() {
        LabeledData<float[]> data = Fixtures.tiny(6, 1);
        LabeledData<float[]> row = data.subset(new int[] {0});
        assertThatThrownBy(() -> learner().fit(row))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 example(s)")
                .hasMessageContaining("at least two classes");
    }

    @Test
    void emptyDataIsRefused() {
        LabeledData<float[]> empty = LabeledData.of(List.of(), new int[0], List.of("a", "b"));
        assertThatThrownBy(() -> learner().fit(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void aValidationSplitNeedsTwoExamplesOfEveryClass() {
        LabeledData<float[]> data = Fixtures.tiny(6, 1);
        int[] keep = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        LabeledData<float[]> thin = data.subset(keep);
        String single = thin.classNames().get(thin.label(12));
        assertThat(thin.classCounts()).contains(1);
        assertThatThrownBy(() -> learner().validationSplit(0.2).fit(thin))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least two examples of every class")
                .hasMessageContaining(single + " (1)");
    }

    @Test
    void oneExampleWithAValidationSplitIsRefusedNotANullPointer() {
        LabeledData<float[]> row = Fixtures.tiny(6, 1).subset(new int[] {0});
        assertThatThrownBy(() -> learner().validationSplit(0.2).fit(row))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(1)");
    }

    @Test
    void validationDataMissingAClassIsNamed() {
        LabeledData<float[]> data = Fixtures.tiny(6, 1);
        int[] firstTwo = java.util.stream.IntStream.range(0, data.size())
                .filter(i -> data.label(i) < 2)
                .toArray();
        LabeledData<float[]> partial = data.subset(firstTwo);
        assertThatThrownBy(() -> learner().validationData(partial).fit(data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("validation data has no examples of ["
                        + data.classNames().get(2) + "]");
    }

    @Test
    void batchNormOnOneExampleExplainsTheBatchSize() {
        assertThatThrownBy(() -> learner().batchSize(1).fit(Fixtures.tiny(2, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("epoch 1, step 1")
                .hasMessageContaining("BatchNorm needs at least two examples per batch")
                .hasMessageContaining("raise batchSize (now 1)");
    }

    @Test
    void resumingWithOtherDataIsRefusedNamingTheData(@TempDir Path dir) {
        try (TransferModel<float[]> first = learner().checkpoints(dir).fit(Fixtures.tiny(6, 1))) {
            assertThat(first.history().size()).isEqualTo(2);
        }
        assertThatThrownBy(() -> learner().resume(dir).fit(Fixtures.tiny(6, 2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to resume")
                .hasMessageContaining("data: ");
    }

    @Test
    void resumingWithAChangedSettingNamesTheSetting(@TempDir Path dir) {
        try (TransferModel<float[]> first = learner().checkpoints(dir).fit(Fixtures.tiny(6, 1))) {
            assertThat(first.history().size()).isEqualTo(2);
        }
        assertThatThrownBy(() -> learner().classWeights(true).resume(dir).fit(Fixtures.tiny(6, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("classWeights: false -> true");
    }

    @Test
    void resumingFromOtherBackboneWeightsIsRefused(@TempDir Path dir) {
        try (TransferModel<float[]> first = learner().checkpoints(dir).fit(Fixtures.tiny(6, 1));
                Backbone<float[]> trained = first.backbone()) {
            assertThatThrownBy(() -> TransferLearner.from(trained)
                            .unfreezeAll()
                            .epochs(2)
                            .batchSize(8)
                            .progressBar(false)
                            .resume(dir)
                            .fit(Fixtures.tiny(6, 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("backbone: none -> ");
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY})
    void nonFiniteInputAtPredictionIsNamedNotAnsweredAsClassZero(float value) {
        LabeledData<float[]> test = poisoned(4, value);
        try (TransferModel<float[]> model = learner().fit(Fixtures.tiny(6, 1))) {
            assertThatThrownBy(() -> model.predict(test.inputs()))
                    .isInstanceOf(NonFiniteValueException.class)
                    .hasMessageContaining("Input 4 holds " + value)
                    .hasMessageContaining("tl4j.tensor");
            assertThatThrownBy(() -> model.evaluate(test))
                    .isInstanceOf(NonFiniteValueException.class)
                    .hasMessageContaining("Input 4");
        }
    }

    @Test
    void nonFiniteScoresNeverBecomeAClass() {
        List<float[]> inputs = new ArrayList<>(Fixtures.tiny(6, 1).inputs());
        float[] huge = new float[Fixtures.INPUT];
        Arrays.fill(huge, 3e38f); // finite, but the first layer's sums overflow float32
        inputs.set(2, huge);
        try (TransferModel<float[]> model = learner().fit(Fixtures.tiny(6, 1))) {
            assertThatThrownBy(() -> model.predict(inputs))
                    .isInstanceOf(NonFiniteValueException.class)
                    .hasMessageContaining("class scores for input 2")
                    .satisfies(e ->
                            assertThat(((NonFiniteValueException) e).example()).isEqualTo(2));
        }
    }

    @Test
    void nullInputsAreNamed() {
        try (TransferModel<float[]> model = learner().fit(Fixtures.tiny(6, 1))) {
            assertThatThrownBy(() -> model.classify(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("classify(null)")
                    .hasMessageContaining("tl4j.tensor");
            List<float[]> inputs = new ArrayList<>(Fixtures.tiny(6, 1).inputs());
            inputs.set(3, null);
            assertThatThrownBy(() -> model.predict(inputs))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Input 3 is null");
        }
    }

    @Test
    void nanWeightsStopTrainingAtTheFirstStep() {
        java.util.Map<String, ai.djl.ndarray.NDArray> weights = new java.util.LinkedHashMap<>();
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
                TransferModel<float[]> first = learner().epochs(1).fit(Fixtures.tiny(6, 1));
                Backbone<float[]> trained = first.backbone()) {
            trained.weights().forEach((name, w) -> weights.put(name, manager.full(w.getShape(), Float.NaN)));
            Backbone<float[]> nan = Backbone.<float[]>builder()
                    .setArchitecture(trained.architecture())
                    .setPipeline(trained.pipeline())
                    .optWeights(weights)
                    .build();
            try (nan) {
                assertThatThrownBy(() -> TransferLearner.from(nan)
                                .unfreezeAll()
                                .epochs(1)
                                .progressBar(false)
                                .fit(Fixtures.tiny(6, 1)))
                        .isInstanceOf(TrainingDivergedException.class)
                        .hasMessageContaining("epoch 1, step 1")
                        .hasMessageContaining("loss is NaN");
            }
        }
    }

    @Test
    void savedHeadAndPipelineConfigsNameTheBadKey() {
        assertThatThrownBy(() -> Head.fromConfig(new Head.Config("mpl", List.of(8), 0f, Head.Nonlinearity.RELU)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'kind' = 'mpl'")
                .hasMessageContaining("[linear, mlp, custom]");
        assertThatThrownBy(
                        () -> Head.fromConfig(new Head.Config("mlp", List.of(999999999), 0f, Head.Nonlinearity.RELU)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hidden' = '999999999'")
                .hasMessageContaining("from 1 to 65536");
        assertThatThrownBy(() -> ConfigJson.read(
                        JsonParser.parseString(
                                        "{\"kind\": \"linear\", \"hidden\": [], \"dropout\": 0, \"activation\": \"SWISH\"}")
                                .getAsJsonObject(),
                        Head.Config.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'activation' is \"SWISH\"");
        assertThatThrownBy(() ->
                        Architectures.fromConfig(Architectures.MLP, new Architectures.Config(List.of(16, 999999999))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wider than 65536");
        assertThatThrownBy(() -> TensorPipeline.fromConfig(new TensorPipeline.Config(null, 0f, 1f, 0f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no 'shape'");
        assertThatThrownBy(() -> ConfigJson.read(
                        JsonParser.parseString("{\"shape\": [64], \"mean\": 0, \"std\": \"wide\", \"noise\": 0}")
                                .getAsJsonObject(),
                        TensorPipeline.Config.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'std' is \"wide\"");
    }
}
