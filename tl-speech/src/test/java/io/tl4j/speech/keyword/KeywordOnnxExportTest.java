package io.tl4j.speech.keyword;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.tl4j.core.Backbone;
import io.tl4j.core.Head;
import io.tl4j.core.TransferLearner;
import io.tl4j.core.TransferModel;
import io.tl4j.core.data.LabeledData;
import io.tl4j.demo.AdaptationWords;
import io.tl4j.speech.audio.Audio;
import io.tl4j.speech.audio.AudioFolder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyword encoder fine-tuned on new words (every layer trained, so its BatchNorm statistics moved)
 * exported to ONNX: fed the pipeline's log-mel batch, ONNX Runtime gives the logits tl4j computes
 * within 1e-4 at two batch sizes, and {@code optimizeForInference()} then serves the same
 * probabilities.
 */
class KeywordOnnxExportTest {

    private static final Offset<Float> SAME = Offset.offset(1e-4f);

    @Test
    void onnxRuntimeGivesTl4jsLogitsOnTheLogMelBatch(@TempDir Path dir) throws Exception {
        AdaptationWords words = AdaptationWords.extract();
        LabeledData<Audio> train = AudioFolder.at(words.train()).load().samplePerClass(4, 1);
        List<Audio> test = AudioFolder.at(words.heldOutVoices()).load().inputs().subList(0, 7);
        try (Backbone<Audio> encoder = KeywordEncoder.pretrained();
                TransferModel<Audio> model = TransferLearner.from(encoder)
                        .unfreezeAll()
                        .head(Head.mlp(16))
                        .epochs(2)
                        .batchSize(8)
                        .learningRate(1e-2f)
                        .seed(2)
                        .progressBar(false)
                        .fit(train);
                Backbone<Audio> trained = model.backbone()) {
            assertThat(trained.weights()
                            .get("block2.1.runningMean")
                            .contentEquals(encoder.weights().get("block2.1.runningMean")))
                    .as("fine-tuning moved the BatchNorm statistics")
                    .isFalse();
            Path file = dir.resolve("keywords.onnx");
            model.exportOnnx(file);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
                for (List<Audio> batch : List.of(test.subList(0, 5), test.subList(5, 7))) {
                    float[][] onnx;
                    try (NDManager manager = NDManager.newBaseManager()) {
                        NDArray features = model.pipeline()
                                .batch(manager, batch, false, null)
                                .singletonOrThrow();
                        try (OnnxTensor input = OnnxTensor.createTensor(
                                        env,
                                        FloatBuffer.wrap(features.toFloatArray()),
                                        features.getShape().getShape());
                                OrtSession.Result result = session.run(Map.of("input", input))) {
                            onnx = (float[][])
                                    result.get("logits").orElseThrow().getValue();
                        }
                    }
                    assertSame(onnx, model.logits(batch));
                }
            }
            float[][] engine = model.probabilities(test);
            assertThat(model.optimizeForInference()).isTrue();
            assertSame(model.probabilities(test), engine);
        }
    }

    private static void assertSame(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("clip %d", i).containsExactly(expected[i], SAME);
        }
        assertThat(expected[0][0]).as("a trained head gives non-zero scores").isNotZero();
    }
}
