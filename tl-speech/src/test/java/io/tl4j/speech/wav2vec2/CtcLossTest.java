package io.tl4j.speech.wav2vec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CtcLoss} equals torch.nn.functional.ctc_loss (values and gradients); decoding and vocabulary. */
class CtcLossTest {

    private static NDList labels(NDManager manager, JsonObject ctc) {
        JsonArray rows = ctc.getAsJsonArray("targets");
        int width = rows.get(0).getAsJsonArray().size();
        long[] targets = new long[rows.size() * width];
        for (int b = 0; b < rows.size(); b++) {
            long[] row = Golden.longs(rows.get(b).getAsJsonArray());
            System.arraycopy(row, 0, targets, b * width, width);
        }
        return new NDList(
                manager.create(targets, new Shape(rows.size(), width)),
                manager.create(Golden.longs(ctc.getAsJsonArray("target_lengths"))));
    }

    @Test
    void lossAndGradientEqualTorch() {
        JsonObject ctc = Golden.json().getAsJsonObject("ctc");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = Golden.ctcLogits(
                    manager,
                    ctc.get("batch").getAsInt(),
                    ctc.get("frames").getAsInt(),
                    ctc.get("vocab").getAsInt());
            NDArray inputLengths = manager.create(Golden.longs(ctc.getAsJsonArray("input_lengths")));
            NDList labels = labels(manager, ctc);
            NDList predictions = new NDList(logits, inputLengths);

            NDArray none = new CtcLoss().perExample(logits.logSoftmax(2), inputLengths, labels.get(0), labels.get(1));
            float[] expectedNone = Golden.floats(ctc.getAsJsonArray("loss_none"));
            assertThat(Golden.maxAbsDiff(none.toFloatArray(), expectedNone)).isLessThan(1e-4f);
            float sum = new CtcLoss(0, CtcLoss.Reduction.SUM, false)
                    .evaluate(labels, predictions)
                    .getFloat();
            assertThat(sum).isCloseTo(ctc.get("loss_sum").getAsFloat(), within(1e-4f));

            logits.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray mean = new CtcLoss().evaluate(labels, new NDList(logits, inputLengths));
                assertThat(mean.getFloat()).isCloseTo(ctc.get("loss_mean").getAsFloat(), within(1e-5f));
                collector.backward(mean);
            }
            float[] gradient = logits.getGradient().toFloatArray();
            assertThat(Golden.maxAbsDiff(gradient, Golden.floats(ctc.getAsJsonArray("grad_mean_wrt_logits"))))
                    .isLessThan(1e-5f);
        }
    }

    @Test
    void impossibleAlignmentIsAnErrorOrZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = Golden.ctcLogits(manager, 2, 4, 3);
            NDList labels = new NDList(
                    manager.create(new long[] {1, 1, 2, 1, 2, 0}, new Shape(2, 3)), manager.create(new long[] {3, 2}));
            NDList predictions = new NDList(logits, manager.create(new long[] {3, 4}));
            assertThatThrownBy(() -> new CtcLoss().evaluate(labels, predictions))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("example 0: 3 labels (1 repeated) cannot be aligned to 3 frames");
            NDArray perExample = new CtcLoss(0, CtcLoss.Reduction.SUM, true)
                    .perExample(logits.logSoftmax(2), predictions.get(1), labels.get(0), labels.get(1));
            float[] losses = perExample.toFloatArray();
            assertThat(losses[0]).isZero();
            assertThat(losses[1]).isPositive().isFinite();
        }
    }

    @Test
    void blankAsLabelIsRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = Golden.ctcLogits(manager, 1, 6, 3);
            assertThatThrownBy(() -> new CtcLoss()
                            .evaluate(
                                    new NDList(
                                            manager.create(new long[] {1, 0}, new Shape(1, 2)),
                                            manager.create(new long[] {2})),
                                    new NDList(logits, manager.create(new long[] {6}))))
                    .hasMessageContaining("example 0: label 1 has id 0");
        }
    }

    @Test
    void greedyDecodingMergesRepeatsDropsBlanksAndStopsAtTheLength() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // best paths: [1 1 0 1 2 2] and [3 0 3 3 | 2 2] with only 4 real frames
            long[][] paths = {{1, 1, 0, 1, 2, 2}, {3, 0, 3, 3, 2, 2}};
            float[] logits = new float[2 * 6 * 4];
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 6; t++) {
                    logits[(b * 6 + t) * 4 + (int) paths[b][t]] = 5f;
                }
            }
            List<int[]> decoded = new CtcGreedyDecoder(0)
                    .decode(manager.create(logits, new Shape(2, 6, 4)), manager.create(new long[] {6, 4}));
            assertThat(decoded.get(0)).containsExactly(1, 1, 2);
            assertThat(decoded.get(1)).containsExactly(3, 3);
        }
    }

    @Test
    void vocabularyReadsHuggingFaceVocabJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("vocab.json");
        java.nio.file.Files.writeString(
                file, "{\"<pad>\": 0, \"<s>\": 1, \"</s>\": 2, \"<unk>\": 3, \"|\": 4, \"a\": 5, \"b\": 6}");
        CtcVocabulary vocabulary = CtcVocabulary.fromVocabJson(file);
        assertThat(vocabulary.size()).isEqualTo(7);
        assertThat(vocabulary.blank()).isZero();
        assertThat(vocabulary.decode(new int[] {5, 4, 6, 1, 2})).isEqualTo("a b");
        java.nio.file.Files.writeString(file, "{\"<pad>\": 0, \"a\": 0}");
        assertThatThrownBy(() -> CtcVocabulary.fromVocabJson(file))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("token 'a' has id 0");
    }

    @Test
    void vocabularyEncodesAndDecodesLikeHuggingFace() {
        CtcVocabulary vocabulary = CtcVocabulary.ofCharacters("ab c");
        assertThat(vocabulary.tokens()).containsExactly("<pad>", "a", "b", "|", "c");
        assertThat(vocabulary.encode("ab ca")).containsExactly(1, 2, 3, 4, 1);
        assertThat(vocabulary.decode(new int[] {1, 2, 3, 4, 1})).isEqualTo("ab ca");
        assertThatThrownBy(() -> vocabulary.encode("abd"))
                .hasMessageContaining("character 'd' at position 2 of \"abd\"");
    }
}
