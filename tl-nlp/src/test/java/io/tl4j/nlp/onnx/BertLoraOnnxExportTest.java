package io.tl4j.nlp.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import io.tl4j.core.Backbone;
import io.tl4j.core.LoraAdapter;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.lora.Lora;
import io.tl4j.core.lora.LoraConfig;
import io.tl4j.core.onnx.OnnxExportable;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.nlp.bert.TinyBert;
import io.tl4j.nlp.text.TextTokenizer;
import io.tl4j.nlp.weights.OnnxBertWeights;
import io.tl4j.nlp.weights.OnnxGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LoRA-trained tiny BERT classifier exports to ONNX as a plain BERT whose adapted layers carry
 * {@code weight + (alpha / rank) · B A}: ONNX Runtime gives tl4j's logits within 1e-4, merged or not
 * (the two files are byte for byte the same), an adapter loaded over a shared base exports the same
 * weights (only the graph's name, the architecture id with the targets spelled out, differs), and {@link TransferModel#optimizeForInference()} serves a LoRA model through ONNX Runtime.
 */
class BertLoraOnnxExportTest {

    private static final LoraConfig CONFIG = LoraConfig.rank(4).alpha(8);

    @TempDir
    static Path fixture;

    private static BertEncoder tiny;
    private static Backbone<String> base;
    private static Backbone<String> lora;
    private static TransferModel<String> model;

    @BeforeAll
    static void fitLora() {
        tiny = Bert.fromHuggingFace(TinyBert.write(fixture.resolve("tiny"), null), "test");
        base = tiny.backbone(Pooling.MEAN, 24);
        lora = Lora.adapt(base, CONFIG);
        List<String> texts = BertOnnxExportTest.texts();
        model = TransferLearner.from(lora)
                .epochs(4)
                .batchSize(2)
                .learningRate(3e-2f)
                .progressBar(false)
                .fit(LabeledData.of(texts, new int[] {0, 1, 0, 1, 0}, List.of("even", "odd")));
    }

    @AfterAll
    static void close() {
        model.close();
        lora.close();
        base.close();
        tiny.close();
    }

    @Test
    void onnxRuntimeGivesTheLoraModelsLogitsMergedOrNot(@TempDir Path dir) throws Exception {
        List<String> texts = BertOnnxExportTest.texts();
        float[][] expected = model.logits(texts);
        Path unmerged = dir.resolve("unmerged.onnx");
        model.exportOnnx(unmerged);
        Path merged = dir.resolve("merged.onnx");
        assertThat(LoraAdapter.merge(model)).isEqualTo(4);
        try {
            model.exportOnnx(merged);
        } finally {
            LoraAdapter.unmerge(model);
        }
        assertThat(Files.readAllBytes(merged))
                .as("merging changes the layers' weights, not what the export computes")
                .isEqualTo(Files.readAllBytes(unmerged));
        long pad = tiny.tokenizer().id(TextTokenizer.PAD);
        try (OnnxRuntimeLogits ort = new OnnxRuntimeLogits(unmerged)) {
            assertSame(ort.logits(tiny.tokenize(texts), pad, 3), expected);
            List<String> two = texts.subList(0, 2);
            assertSame(ort.logits(tiny.tokenize(two), pad, 0), model.logits(two));
        }
    }

    @Test
    void theExportHoldsThePlainEncoderWithEachUpdateFoldedIntoItsLayer(@TempDir Path dir) {
        Path file = dir.resolve("model.onnx");
        model.exportOnnx(file);
        OnnxBertWeights reread = OnnxBertWeights.convert(OnnxGraph.read(file));
        Map<String, float[]> exported = reread.tensors().values();
        Set<String> names = new HashSet<>(base.weights().keySet());
        names.addAll(List.of("head.1.weight", "head.1.bias"));
        assertThat(exported.keySet()).as("no lora_A or lora_B").containsExactlyInAnyOrderElementsOf(names);

        try (Backbone<String> trained = model.backbone()) {
            Map<String, NDArray> weights = trained.weights();
            String query = "encoder.layer.1.attention.self.query";
            float[] folded = folded(weights, query, CONFIG.alpha() / CONFIG.rank());
            float[] original = base.weights().get(query + ".weight").toFloatArray();
            assertThat(exported.get(query + ".weight")).containsExactly(folded, Offset.offset(1e-6f));
            assertThat(maxDifference(folded, original))
                    .as("the trained update moves the weight, so leaving it out would show")
                    .isGreaterThan(1e-3f);
            String key = "encoder.layer.1.attention.self.key.weight";
            assertThat(exported.get(key))
                    .containsExactly(base.weights().get(key).toFloatArray());
        }
    }

    @Test
    void anAdapterLoadedOverASharedBaseExportsTheSameWeights(@TempDir Path dir) throws Exception {
        Path adapter = dir.resolve("adapter");
        LoraAdapter.save(model, adapter);
        Path own = dir.resolve("own.onnx");
        model.exportOnnx(own);
        try (TransferModel<String> shared = LoraAdapter.loadShared(base, adapter)) {
            Path file = dir.resolve("shared.onnx");
            shared.exportOnnx(file);
            Map<String, float[]> a =
                    OnnxBertWeights.convert(OnnxGraph.read(file)).tensors().values();
            Map<String, float[]> b =
                    OnnxBertWeights.convert(OnnxGraph.read(own)).tensors().values();
            assertThat(a.keySet()).isEqualTo(b.keySet());
            a.forEach((k, v) -> assertThat(v).as(k).containsExactly(b.get(k)));
        }
    }

    @Test
    void optimizeForInferenceServesTheLoraModelThroughOnnxRuntime(@TempDir Path dir) {
        Path adapter = dir.resolve("adapter");
        LoraAdapter.save(model, adapter);
        List<String> texts = BertOnnxExportTest.texts();
        try (TransferModel<String> loaded = LoraAdapter.load(base, adapter)) {
            float[][] engine = loaded.logits(texts);
            assertThat(loaded.optimizeForInference()).isTrue();
            assertSame(loaded.logits(texts), engine);
        }
    }

    @Test
    void weightsThatStillHoldUpdatesAreRefusedByTheArchitecture() {
        OnnxExportable exportable = (OnnxExportable) lora.architecture();
        assertThatThrownBy(() -> exportable.writeOnnx(new OnnxGraphBuilder("g"), lora.weights()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("still hold 8 LoRA update arrays")
                .hasMessageContaining("TransferModel.exportOnnx");
    }

    /** Computes {@code W + scale · B A} in Java from a trained backbone's weights. */
    private static float[] folded(Map<String, NDArray> weights, String layer, float scale) {
        NDArray w = weights.get(layer + ".weight");
        float[] out = w.toFloatArray();
        float[] a = weights.get(layer + ".lora_A").toFloatArray();
        float[] b = weights.get(layer + ".lora_B").toFloatArray();
        int rows = (int) w.getShape().get(0);
        int cols = (int) w.getShape().get(1);
        int rank = a.length / cols;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float sum = 0;
                for (int k = 0; k < rank; k++) {
                    sum += b[i * rank + k] * a[k * cols + j];
                }
                out[i * cols + j] += scale * sum;
            }
        }
        return out;
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void assertSame(float[][] onnx, float[][] tl4j) {
        assertThat(onnx.length).isEqualTo(tl4j.length);
        for (int i = 0; i < tl4j.length; i++) {
            assertThat(onnx[i]).as("text %d", i).containsExactly(tl4j[i], Offset.offset(1e-4f));
        }
    }
}
