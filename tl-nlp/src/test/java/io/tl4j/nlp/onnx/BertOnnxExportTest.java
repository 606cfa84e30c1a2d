package io.tl4j.nlp.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.core.Linear;
import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.nlp.bert.TinyBert;
import io.tl4j.nlp.text.TextTokenizer;
import io.tl4j.nlp.weights.OnnxBertWeights;
import io.tl4j.nlp.weights.OnnxGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fine-tuned tiny BERT classifier exported to ONNX gives on ONNX Runtime the logits tl4j computes,
 * within 1e-4, for every pooling and head, with and without added layers, at batch sizes and padded
 * lengths of ONNX Runtime's choosing (the export traces nothing, so no size is fixed).
 */
class BertOnnxExportTest {

    @TempDir
    static Path fixture;

    private static BertEncoder tiny;

    @BeforeAll
    static void loadTinyBert() {
        tiny = Bert.fromHuggingFace(TinyBert.write(fixture.resolve("tiny"), null), "test");
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    static List<String> texts() {
        List<String> texts = new ArrayList<>();
        TinyBert.EXPECTED.getAsJsonArray("texts").forEach(t -> texts.add(t.getAsString()));
        return texts;
    }

    private static LabeledData<String> data() {
        List<String> texts = texts();
        int[] labels = new int[texts.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        return LabeledData.of(texts, labels, List.of("even", "odd"));
    }

    static Stream<Arguments> poolingsAndHeads() {
        return Stream.of(
                Arguments.of(Pooling.MEAN, Head.linear(), new int[0]),
                Arguments.of(Pooling.CLS, Head.mlp(8).activation(Head.Nonlinearity.GELU), new int[0]),
                Arguments.of(
                        Pooling.POOLER,
                        Head.mlp(8, 6).activation(Head.Nonlinearity.TANH).dropout(0.2f),
                        new int[0]),
                Arguments.of(Pooling.MEAN, Head.mlp(8), new int[] {12, 10}));
    }

    @ParameterizedTest
    @MethodSource("poolingsAndHeads")
    void onnxRuntimeGivesTl4jsLogitsAtAnyBatchAndLength(Pooling pooling, Head head, int[] added, @TempDir Path dir)
            throws Exception {
        try (Backbone<String> backbone = tiny.backbone(pooling, 24);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .head(head)
                        .addLayers(added)
                        .unfreezeAll()
                        .epochs(2)
                        .batchSize(2)
                        .learningRate(1e-2f)
                        .progressBar(false)
                        .fit(data())) {
            Path file = dir.resolve("model.onnx");
            model.exportOnnx(file);
            long pad = tiny.tokenizer().id(TextTokenizer.PAD);
            try (OnnxRuntimeLogits ort = new OnnxRuntimeLogits(file)) {
                List<String> all = texts();
                // batch 5 padded 4 beyond its longest text; batch 2 at its own length; batch 1 of the empty text
                assertSameLogits(model.logits(all), ort.logits(tiny.tokenize(all), pad, 4));
                List<String> two = all.subList(0, 2);
                assertSameLogits(model.logits(two), ort.logits(tiny.tokenize(two), pad, 0));
                List<String> empty = all.subList(2, 3);
                assertSameLogits(model.logits(empty), ort.logits(tiny.tokenize(empty), pad, 1));
            }
        }
    }

    private static void assertSameLogits(float[][] tl4j, float[][] onnx) {
        assertThat(onnx.length).isEqualTo(tl4j.length);
        for (int i = 0; i < tl4j.length; i++) {
            assertThat(onnx[i]).as("text %d", i).containsExactly(tl4j[i], Offset.offset(1e-4f));
        }
        assertThat(tl4j[0][0]).as("a trained head gives non-zero scores").isNotZero();
    }

    @Test
    void theExportKeepsHuggingFaceNamesSoTl4jReadsTheEncoderBack(@TempDir Path dir) {
        try (Backbone<String> backbone = tiny.backbone(Pooling.MEAN, 24);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .unfreezeAll()
                        .epochs(1)
                        .batchSize(2)
                        .progressBar(false)
                        .fit(data());
                Backbone<String> trained = model.backbone()) {
            Path file = dir.resolve("model.onnx");
            model.exportOnnx(file);
            OnnxBertWeights reread = OnnxBertWeights.convert(OnnxGraph.read(file));
            assertThat(reread.heads()).isEqualTo(tiny.config().numHeads());
            assertThat(reread.activation()).isEqualTo("gelu_new");
            assertThat(reread.layerNormEps()).isEqualTo(tiny.config().layerNormEps());
            Set<String> expected = new HashSet<>(trained.weights().keySet());
            expected.addAll(List.of("head.1.weight", "head.1.bias"));
            assertThat(reread.tensors().values().keySet()).containsExactlyInAnyOrderElementsOf(expected);
            trained.weights()
                    .forEach((name, array) -> assertThat(
                                    reread.tensors().values().get(name))
                            .as(name)
                            .containsExactly(array.toFloatArray()));
        }
    }

    @Test
    void tokenVectorsAndCustomHeadsAreRefusedNamingWhatCanExport(@TempDir Path dir) {
        try (Backbone<String> backbone = tiny.backbone(Pooling.CLS, 24);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .head(Head.of(
                                classes -> Linear.builder().setUnits(classes).build()))
                        .epochs(1)
                        .progressBar(false)
                        .fit(data())) {
            assertThatThrownBy(() -> model.exportOnnx(dir.resolve("model.onnx")))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("The head is a custom block")
                    .hasMessageContaining("Head.linear()");
        }
        assertThatThrownBy(() -> BertOnnx.write(
                        new io.tl4j.core.onnx.OnnxGraphBuilder("g"), tiny.config(), Pooling.NONE, tiny.weights()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Pooling.NONE")
                .hasMessageContaining("MEAN, CLS or POOLER");
    }
}
