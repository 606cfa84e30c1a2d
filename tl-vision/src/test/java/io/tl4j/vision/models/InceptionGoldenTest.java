package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Provenance;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.weights.ParameterNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inception-v3 against torchvision 0.14.1 (fixtures by {@code
 * scripts/make_inception_golden_fixtures.py}): the same state-dict keys and shapes with and without
 * the auxiliary classifier, the same eval-mode logits for the same formula weights and a 75x75
 * formula input (unfolded and with every BatchNorm folded as a frozen network runs) with {@code
 * transform_input} on and off, and the same output of early layers, which the logits alone hardly
 * check.
 */
class InceptionGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/inception");

    /** Outputs agree within this fraction of the case's largest magnitude. */
    private static final double RELATIVE_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void stateDictKeysAndShapesEqualTorchvisions(boolean aux) throws IOException {
        Map<String, Shape> expected = new LinkedHashMap<>();
        String file = aux ? "keys_inception_v3.txt" : "keys_inception_v3_noaux.txt";
        for (String line : Files.readAllLines(GOLDEN.resolve(file))) {
            String[] parts = line.split(" ");
            if (!parts[0].endsWith(".num_batches_tracked")) {
                expected.put(
                        parts[0],
                        new Shape(Arrays.stream(parts[1].split(","))
                                .mapToLong(Long::parseLong)
                                .toArray()));
            }
        }
        assertThat(expected.keySet().stream().anyMatch(k -> k.startsWith("AuxLogits.")))
                .isEqualTo(aux);
        try (NDManager manager = NDManager.newBaseManager()) {
            var block = InceptionV3.of(1000, aux).newBlock(manager);
            block.setInitializer((m, shape, type) -> m.zeros(new Shape(), type), p -> true);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 75, 75));
            Map<String, Shape> actual = new LinkedHashMap<>();
            ParameterNames.of(block).forEach((key, parameter) -> actual.put(key, parameter.getShape()));
            assertThat(actual).containsExactlyEntriesOf(expected);
        }
    }

    static List<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (var files = Files.list(GOLDEN)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("golden_"))
                    .sorted()
                    .toList()) {
                JsonObject golden =
                        JsonParser.parseString(Files.readString(file)).getAsJsonObject();
                assertThat(golden.get("torchvision").getAsString()).startsWith("0.14.1");
                for (boolean frozen : new boolean[] {false, true}) {
                    cases.add(Arguments.of(file.getFileName().toString(), golden, frozen));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, frozen {2}")
    @MethodSource("cases")
    void outputsEqualTorchvisionsInEvalMode(String file, JsonObject golden, boolean frozen) {
        Shape inputShape = shape(golden.getAsJsonArray("input"));
        String last = golden.get("last").getAsString();
        double[] expected = flatten(golden.getAsJsonArray("output"));
        boolean transform = golden.get("transform_input").getAsBoolean();
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock block =
                    InceptionV3.of(1000, true).withTransformInput(transform).newBlock(manager);
            float[] actual = FormulaWeights.outputThrough(block, manager, inputShape, last, frozen);
            FormulaWeights.assertRelativelyClose(actual, expected, RELATIVE_TOLERANCE, file + " up to " + last);
        }
    }

    @Test
    void transformInputChangesTheEarlyLayersBeyondTheTolerance() throws IOException {
        JsonObject golden = JsonParser.parseString(
                        Files.readString(GOLDEN.resolve("golden_inception_v3_maxpool2_transform_input.json")))
                .getAsJsonObject();
        double[] expected = flatten(golden.getAsJsonArray("output"));
        Shape inputShape = shape(golden.getAsJsonArray("input"));
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock block =
                    InceptionV3.of(1000, false).withTransformInput(false).newBlock(manager);
            float[] untransformed = FormulaWeights.outputThrough(block, manager, inputShape, "maxpool2", false);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - untransformed[i]));
            }
            assertThat(worst).isGreaterThan(0.01);
        }
    }

    @Test
    void refusesImagesSmallerThan75PixelsNamingTheMinimum() {
        try (NDManager manager = NDManager.newBaseManager()) {
            var block = InceptionV3.of(10, false).newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, new Shape(1, 3, 32, 32));
            NDList small = new NDList(manager.zeros(new Shape(1, 3, 74, 80)));
            assertThatThrownBy(() -> block.forward(new ParameterStore(manager, false), small, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 75x75")
                    .hasMessageContaining("74x80");
        }
    }

    @Test
    void torchvisionCheckpointKeysLoadStrictlyAndTheAuxiliaryClassifierSurvivesANewHead() {
        ImageArchitecture imagenet = Torchvision.architecture("inception_v3", 1000);
        try (NDManager manager = NDManager.newBaseManager()) {
            var block = imagenet.newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, new Shape(1, 3, 75, 75));
            try (PretrainedModel model = PretrainedModel.of(
                    imagenet, FormulaWeights.forBlock(block, manager), new Provenance("formula", "", "none", "test"))) {
                assertThat(model.weights()).containsKeys("AuxLogits.fc.weight", "fc.weight");
            }
        }
        InceptionV3 backbone = (InceptionV3) imagenet.withNumClasses(0);
        assertThat(backbone.auxClasses()).isEqualTo(1000);
        assertThat(((InceptionV3) Torchvision.architecture("inception_v3", 0)).config())
                .isEqualTo(InceptionV3.of(0, false).config());
        assertThatThrownBy(() -> InceptionV3.of(0, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auxiliary");
        InceptionV3 plain = InceptionV3.of(5, false).withTransformInput(false);
        assertThat(InceptionV3.fromConfig(plain.config()).config()).isEqualTo(plain.config());
    }

    private static double[] flatten(JsonArray values) {
        double[] flat = new double[values.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = values.get(i).getAsDouble();
        }
        return flat;
    }

    private static Shape shape(JsonArray dims) {
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).getAsLong();
        }
        return new Shape(d);
    }
}
