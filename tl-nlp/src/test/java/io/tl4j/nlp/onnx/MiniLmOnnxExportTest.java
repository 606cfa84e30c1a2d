package io.tl4j.nlp.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.MiniLm;
import io.tl4j.nlp.bert.Pooling;
import io.tl4j.nlp.text.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A classifier on the real all-MiniLM-L6-v2 (exact GELU, 6 layers, 12 heads), exported to ONNX, gives
 * on ONNX Runtime the logits tl4j computes, within 1e-4, for a batch of 16 texts and for one text.
 */
@Tag("slow")
class MiniLmOnnxExportTest {

    @Test
    void exportedMiniLmClassifierGivesTl4jsLogitsOnOnnxRuntime(@TempDir Path dir) throws Exception {
        BertEncoder minilm = MiniLm.encoder();
        try (Backbone<String> backbone = minilm.backbone(Pooling.MEAN, 128);
                TransferModel<String> model = TransferLearner.from(backbone)
                        .head(Head.mlp(32))
                        .epochs(10)
                        .learningRate(0.05f)
                        .progressBar(false)
                        .fit(MiniLm.train())) {
            Path file = dir.resolve("minilm-classifier.onnx");
            model.exportOnnx(file);
            List<String> texts = new ArrayList<>(MiniLm.train().inputs());
            texts.addAll(MiniLm.test().inputs().subList(0, 4));
            assertThat(texts).hasSize(16);
            long pad = minilm.tokenizer().id(TextTokenizer.PAD);
            try (OnnxRuntimeLogits ort = new OnnxRuntimeLogits(file)) {
                float[][] tl4j = model.logits(texts);
                float[][] onnx = ort.logits(minilm.tokenize(texts), pad, 7);
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(onnx[i]).as("text %d", i).containsExactly(tl4j[i], Offset.offset(1e-4f));
                }
                List<String> one = texts.subList(3, 4);
                assertThat(ort.logits(minilm.tokenize(one), pad, 0)[0])
                        .containsExactly(model.logits(one)[0], Offset.offset(1e-4f));
            }
        }
    }
}
