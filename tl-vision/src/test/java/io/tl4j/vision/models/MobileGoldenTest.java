package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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

/**
 * MobileNetV3, EfficientNet and ConvNeXt against torchvision 0.14.1 (fixtures by {@code
 * scripts/make_mobile_golden_fixtures.py}): the same state-dict keys and shapes for every variant,
 * the same eval-mode logits for the same formula weights and inputs (unfolded, and with every
 * BatchNorm folded as a frozen network runs), and the same output of the first layers, which the
 * logits alone hardly check (with formula weights the input's influence fades with depth).
 */
class MobileGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/mobile");

    /** Outputs agree within this fraction of the case's largest magnitude. */
    private static final double RELATIVE_TOLERANCE = 1e-4;

    static List<String> names() {
        return List.of(
                "mobilenet_v3_large",
                "mobilenet_v3_small",
                "efficientnet_b0",
                "efficientnet_b1",
                "efficientnet_b2",
                "efficientnet_b3",
                "convnext_tiny");
    }

    static ImageArchitecture architecture(String name) {
        return Torchvision.architecture(name, 1000);
    }

    @ParameterizedTest
    @MethodSource("names")
    void stateDictKeysAndShapesEqualTorchvisions(String name) throws IOException {
        Map<String, Shape> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GOLDEN.resolve("keys_" + name + ".txt"))) {
            String[] parts = line.split(" ");
            if (!parts[0].endsWith(".num_batches_tracked")) {
                expected.put(
                        parts[0],
                        new Shape(Arrays.stream(parts[1].split(","))
                                .mapToLong(Long::parseLong)
                                .toArray()));
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            var block = architecture(name).newBlock(manager);
            block.setInitializer((m, shape, type) -> m.zeros(new Shape(), type), p -> true);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, Shape> actual = new LinkedHashMap<>();
            ParameterNames.of(block).forEach((key, parameter) -> actual.put(key, parameter.getShape()));
            assertThat(actual).containsExactlyEntriesOf(expected);
        }
    }

    static List<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String name : names()) {
            Path file = GOLDEN.resolve("golden_" + name + ".json");
            if (!Files.exists(file)) {
                continue;
            }
            JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            assertThat(root.get("torchvision").getAsString()).startsWith("0.14.1");
            for (String kind : List.of("cases", "prefixes")) {
                for (var c : root.getAsJsonArray(kind)) {
                    JsonObject golden = c.getAsJsonObject();
                    for (boolean frozen : new boolean[] {false, true}) {
                        String last = golden.has("last") ? golden.get("last").getAsString() : "classifier";
                        cases.add(Arguments.of(name, last, golden, frozen));
                    }
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} up to {1}, frozen {3}")
    @MethodSource("cases")
    void outputsEqualTorchvisionsInEvalMode(String name, String last, JsonObject golden, boolean frozen) {
        Shape inputShape = shape(golden.getAsJsonArray("input"));
        double[] expected =
                flatten(golden.has("logits") ? golden.getAsJsonArray("logits") : golden.getAsJsonArray("output"));
        try (NDManager manager = NDManager.newBaseManager()) {
            LayeredBlock block = (LayeredBlock) architecture(name).newBlock(manager);
            float[] actual = FormulaWeights.outputThrough(block, manager, inputShape, last, frozen);
            FormulaWeights.assertRelativelyClose(
                    actual, expected, RELATIVE_TOLERANCE, name + " " + inputShape + " up to " + last);
        }
    }

    @Test
    void everyArchitectureHasLogitsAndPrefixFixtures() throws IOException {
        assertThat(cases())
                .extracting(a -> (String) a.get()[0])
                .contains(
                        "mobilenet_v3_large",
                        "mobilenet_v3_small",
                        "efficientnet_b0",
                        "efficientnet_b1",
                        "convnext_tiny");
    }

    private static double[] flatten(JsonArray values) {
        List<Double> flat = new ArrayList<>();
        for (var v : values) {
            if (v.isJsonArray()) {
                for (double d : flatten(v.getAsJsonArray())) {
                    flat.add(d);
                }
            } else {
                flat.add(v.getAsDouble());
            }
        }
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Shape shape(JsonArray dims) {
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).getAsLong();
        }
        return new Shape(d);
    }
}
