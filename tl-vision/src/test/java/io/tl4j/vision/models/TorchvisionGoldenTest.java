package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.weights.ParameterNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java networks against torchvision 0.14.1 (fixtures by {@code scripts/make_golden_fixtures.py}):
 * the same state-dict keys and shapes for every variant, and the same eval-mode logits for the same
 * formula weights and inputs.
 */
class TorchvisionGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    /** Logits agree within this fraction of the case's largest logit magnitude. */
    private static final double RELATIVE_TOLERANCE = 1e-4;

    /** The names this fixture covers; the newer architectures have their own golden tests. */
    static List<String> torchvisionNames() {
        return Torchvision.NAMES.stream()
                .filter(name -> name.startsWith("resnet") || name.startsWith("vgg"))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("torchvisionNames")
    void stateDictKeysAndShapesEqualTorchvisions(String name) throws IOException {
        Map<String, Shape> expected = torchvisionKeys().get(name);
        List<String> counters = expected.keySet().stream()
                .filter(k -> k.endsWith(".num_batches_tracked"))
                .collect(Collectors.toList());
        counters.forEach(expected::remove);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Torchvision.architecture(name, 1000).newBlock(manager);
            // shapes only: every parameter gets a scalar placeholder, its declared shape is checked
            block.setInitializer((m, shape, type) -> m.zeros(new Shape(), type), p -> true);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, Shape> actual = new LinkedHashMap<>();
            ParameterNames.of(block).forEach((key, parameter) -> actual.put(key, parameter.getShape()));
            assertThat(actual).containsExactlyEntriesOf(expected);
            // the counters dropped are exactly one per BatchNorm, which the loader skips
            assertThat(counters)
                    .allSatisfy(
                            c -> assertThat(actual).containsKey(c.replace(".num_batches_tracked", ".running_mean")));
        }
    }

    static List<JsonObject> cases() throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(GOLDEN.resolve("logits.json")))
                .getAsJsonObject();
        List<JsonObject> cases = new ArrayList<>();
        root.getAsJsonArray("cases").forEach(c -> cases.add(c.getAsJsonObject()));
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void logitsEqualTorchvisionsInEvalMode(JsonObject golden) {
        String name = golden.get("model").getAsString();
        Shape inputShape = shape(golden.getAsJsonArray("input"));
        JsonArray expectedRows = golden.getAsJsonArray("logits");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = Torchvision.architecture(name, 1000).newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, inputShape);
            FormulaWeights.load(block, manager);
            float[] logits = block.forward(
                            new ParameterStore(manager, false),
                            new NDList(FormulaWeights.input(manager, inputShape)),
                            false)
                    .singletonOrThrow()
                    .toFloatArray();
            assertThat(logits).hasSize((int) inputShape.get(0) * 1000);
            double largest = 0;
            double worst = 0;
            for (int row = 0; row < expectedRows.size(); row++) {
                JsonArray expected = expectedRows.get(row).getAsJsonArray();
                for (int k = 0; k < expected.size(); k++) {
                    largest = Math.max(largest, Math.abs(expected.get(k).getAsDouble()));
                    worst = Math.max(worst, Math.abs(expected.get(k).getAsDouble() - logits[row * 1000 + k]));
                }
            }
            assertThat(largest).isGreaterThan(0.5); // the case exercises the network, not zeros
            assertThat(worst / largest)
                    .as("%s %s: largest |difference| / largest |logit|", name, inputShape)
                    .isLessThan(RELATIVE_TOLERANCE);
        }
    }

    @Test
    void fixturesComeFromTorchvision0141() throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(GOLDEN.resolve("logits.json")))
                .getAsJsonObject();
        assertThat(root.get("torchvision").getAsString()).startsWith("0.14.1");
        assertThat(cases())
                .extracting(c -> c.get("model").getAsString())
                .contains("resnet18", "resnet50", "vgg16_bn", "vgg11");
    }

    private static Shape shape(JsonArray dims) {
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).getAsLong();
        }
        return new Shape(d);
    }

    static Map<String, Map<String, Shape>> torchvisionKeys() throws IOException {
        Map<String, Map<String, Shape>> models = new TreeMap<>();
        Map<String, Shape> current = null;
        for (String line : Files.readAllLines(GOLDEN.resolve("torchvision_keys.txt"))) {
            if (line.startsWith("## ")) {
                current = new LinkedHashMap<>();
                models.put(line.substring(3), current);
            } else if (!line.isBlank()) {
                String[] parts = line.split(" ");
                long[] dims = parts.length < 2 || parts[1].isEmpty()
                        ? new long[0]
                        : java.util.Arrays.stream(parts[1].split(","))
                                .mapToLong(Long::parseLong)
                                .toArray();
                current.put(parts[0], new Shape(dims));
            }
        }
        return models;
    }
}
