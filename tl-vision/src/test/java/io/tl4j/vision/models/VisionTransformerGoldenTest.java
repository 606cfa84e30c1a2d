package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.weights.ParameterNames;
import io.tl4j.core.weights.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link VisionTransformer} against torchvision 0.14.1's {@code VisionTransformer} (fixtures by
 * {@code scripts/make_vit_golden_fixtures.py}): the same state-dict keys and shapes for vit_b_16,
 * vit_b_32, vit_l_16 and the small configurations; the same eval-mode logits for formula weights at
 * the trained image size and, with the position embeddings interpolated as torchvision's {@code
 * interpolate_embeddings} does, at other sizes; PyTorch's bicubic resize matrices.
 */
class VisionTransformerGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/vit");

    /** Logits agree within this fraction of the case's largest logit magnitude. */
    private static final double RELATIVE_TOLERANCE = 1e-4;

    private static JsonObject logitsFixture() throws IOException {
        return JsonParser.parseString(Files.readString(GOLDEN.resolve("vit_logits.json")))
                .getAsJsonObject();
    }

    static Map<String, Map<String, Shape>> keys() throws IOException {
        return keys(GOLDEN.resolve("vit_keys.txt"));
    }

    /** The fixture's multiplier of {@code encoder.pos_embedding}. */
    static float posScale() throws IOException {
        return logitsFixture().get("pos_scale").getAsFloat();
    }

    static Map<String, Map<String, Shape>> keys(Path file) throws IOException {
        Map<String, Map<String, Shape>> models = new TreeMap<>();
        Map<String, Shape> current = null;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("## ")) {
                current = new LinkedHashMap<>();
                models.put(line.substring(3), current);
            } else if (!line.isBlank()) {
                String[] parts = line.split(" ");
                current.put(
                        parts[0],
                        new Shape(java.util.Arrays.stream(parts[1].split(","))
                                .mapToLong(Long::parseLong)
                                .toArray()));
            }
        }
        return models;
    }

    static VisionTransformer small(JsonObject config) {
        return VisionTransformer.of(new VisionTransformer.Config(
                config.get("image_size").getAsInt(),
                config.get("patch_size").getAsInt(),
                config.get("num_layers").getAsInt(),
                config.get("num_heads").getAsInt(),
                config.get("hidden_dim").getAsInt(),
                config.get("mlp_dim").getAsInt(),
                VisionTransformer.TORCHVISION_EPS,
                config.get("num_classes").getAsInt()));
    }

    private static Map<String, Shape> javaKeys(ImageArchitecture architecture, int side) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = architecture.newBlock(manager);
            // shapes only: every parameter gets a scalar placeholder, its declared shape is checked
            block.setInitializer((m, shape, type) -> m.zeros(new Shape(), type), p -> true);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, side, side));
            Map<String, Shape> actual = new LinkedHashMap<>();
            ParameterNames.of(block).forEach((key, parameter) -> actual.put(key, parameter.getShape()));
            return actual;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vit_b_16", "vit_b_32", "vit_l_16"})
    void torchvisionModelsHaveTorchvisionsKeysAndShapes(String name) throws IOException {
        Map<String, Shape> expected = keys().get(name);
        assertThat(expected).containsKeys("class_token", "encoder.pos_embedding", "heads.head.weight");
        // torchvision lists class_token first (a parameter of the root); here it follows conv_proj
        assertThat(javaKeys(Torchvision.architecture(name, 1000), 224)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(javaKeys(VisionTransformer.torchvision(name, 0), 224))
                .containsExactlyInAnyOrderEntriesOf(withoutHead(expected));
    }

    private static Map<String, Shape> withoutHead(Map<String, Shape> keys) {
        Map<String, Shape> copy = new LinkedHashMap<>(keys);
        copy.keySet().removeIf(k -> k.startsWith("heads."));
        return copy;
    }

    static List<JsonObject> cases() throws IOException {
        List<JsonObject> cases = new ArrayList<>();
        logitsFixture().getAsJsonArray("cases").forEach(c -> cases.add(c.getAsJsonObject()));
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void logitsEqualTorchvisionsInEvalMode(JsonObject golden) throws IOException {
        VisionTransformer architecture = small(golden.getAsJsonObject("config"));
        String name = golden.get("name").getAsString();
        assertThat(javaKeys(architecture, 32)).containsExactlyInAnyOrderEntriesOf(keys().get(name));
        int trained = architecture.config().imageSize();
        Shape inputShape = shape(golden.getAsJsonArray("input"));
        int classes = architecture.numClasses();
        JsonArray expectedRows = golden.getAsJsonArray("logits");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = architecture.newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, new Shape(1, 3, trained, trained));
            Map<String, NDArray> weights = FormulaWeights.forBlock(block, manager);
            float scale = logitsFixture().get("pos_scale").getAsFloat();
            weights.put(
                    "encoder.pos_embedding",
                    weights.get("encoder.pos_embedding").mul(scale));
            StateDict.load(block, weights);
            float[] logits = block.forward(
                            new ParameterStore(manager, false),
                            new NDList(FormulaWeights.input(manager, inputShape)),
                            false)
                    .singletonOrThrow()
                    .toFloatArray();
            assertThat(logits).hasSize((int) inputShape.get(0) * classes);
            double largest = 0;
            double worst = 0;
            for (int row = 0; row < expectedRows.size(); row++) {
                JsonArray expected = expectedRows.get(row).getAsJsonArray();
                for (int k = 0; k < expected.size(); k++) {
                    largest = Math.max(largest, Math.abs(expected.get(k).getAsDouble()));
                    worst = Math.max(worst, Math.abs(expected.get(k).getAsDouble() - logits[row * classes + k]));
                }
            }
            assertThat(largest).isGreaterThan(0.5);
            assertThat(worst / largest)
                    .as(
                            "%s at %s (trained at %d px): largest |difference| / largest |logit|",
                            name, inputShape, trained)
                    .isLessThan(RELATIVE_TOLERANCE);
        }
    }

    @Test
    void bicubicResizeMatricesArePyTorchs() throws IOException {
        JsonArray all = logitsFixture().getAsJsonArray("bicubic");
        assertThat(all).hasSizeGreaterThanOrEqualTo(4);
        for (JsonElement element : all) {
            JsonObject c = element.getAsJsonObject();
            int in = c.get("in").getAsInt();
            int out = c.get("out").getAsInt();
            float[] actual =
                    BicubicResize.matrix(in, out, c.get("align_corners").getAsBoolean());
            JsonArray rows = c.getAsJsonArray("matrix");
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    assertThat(actual[i * in + j])
                            .as("%s row %d column %d", c, i, j)
                            .isCloseTo(rows.get(i).getAsJsonArray().get(j).getAsFloat(), offset(1e-5f));
                }
            }
        }
    }

    @Test
    void imagesThatAreNotWholePatchesOrNotSquareAreRefusedNamingTheMinimum() {
        VisionTransformer vit = VisionTransformer.of(
                new VisionTransformer.Config(32, 8, 1, 2, 16, 32, VisionTransformer.TORCHVISION_EPS, 0));
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = vit.newBlock(manager);
            FormulaWeights.initializeWithZeros(block, manager, new Shape(1, 3, 32, 32));
            ParameterStore ps = new ParameterStore(manager, false);
            for (Shape bad : new Shape[] {new Shape(1, 3, 36, 36), new Shape(1, 3, 4, 4), new Shape(1, 3, 32, 40)}) {
                assertThatThrownBy(() -> block.forward(ps, new NDList(manager.zeros(bad)), false))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("8 px patches")
                        .hasMessageContaining("multiple of 8 px (at least 8)")
                        .hasMessageContaining(bad.get(2) + "x" + bad.get(3));
            }
            assertThatThrownBy(() -> block.forward(ps, new NDList(manager.zeros(new Shape(1, 1, 32, 32))), false))
                    .hasMessageContaining("(batch, 3, height, width)");
            assertThat(block.forward(ps, new NDList(manager.zeros(new Shape(2, 3, 8, 8))), false)
                            .singletonOrThrow()
                            .getShape())
                    .as("one patch is the smallest image")
                    .isEqualTo(new Shape(2, 16));
        }
    }

    @Test
    void fixturesComeFromTorchvision0141() throws IOException {
        assertThat(logitsFixture().get("torchvision").getAsString()).startsWith("0.14.1");
        assertThat(cases()).anyMatch(c -> !c.get("interpolated_to").isJsonNull());
    }

    private static Shape shape(JsonArray dims) {
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).getAsLong();
        }
        return new Shape(d);
    }
}
