package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link TransferModel#exportOnnx} refuses, and how it says so. */
class OnnxExportRefusalTest {

    @Test
    void anArchitectureWithoutOnnxSupportIsNamedWithWhatCanExport(@TempDir Path dir) {
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16);
                TransferModel<float[]> model = TransferLearner.from(backbone)
                        .epochs(1)
                        .progressBar(false)
                        .fit(Fixtures.tiny(5, 1))) {
            assertThatThrownBy(() -> model.exportOnnx(dir.resolve("model.onnx")))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("'" + backbone.architecture().id() + "'")
                    .hasMessageContaining("io.tl4j.core.onnx.OnnxExportable")
                    .hasMessageContaining("BERT")
                    .hasMessageContaining("ResNets and VGGs");
            assertThat(dir).isEmptyDirectory();
            float[][] before = model.probabilities(Fixtures.tiny(2, 3).inputs());
            assertThat(model.optimizeForInference())
                    .as("an architecture that cannot export stays on the engine")
                    .isFalse();
            assertThat(model.probabilities(Fixtures.tiny(2, 3).inputs())).isDeepEqualTo(before);
        }
    }

    @Test
    void aMissingDirectoryAndAClosedModelAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        TransferModel<float[]> model;
        try (Backbone<float[]> backbone = Fixtures.randomMlp(16)) {
            model = TransferLearner.from(backbone).epochs(1).progressBar(false).fit(Fixtures.tiny(5, 1));
        }
        Path nowhere = dir.resolve("missing").resolve("model.onnx");
        assertThatThrownBy(() -> model.exportOnnx(nowhere))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(nowhere.toString())
                .hasMessageContaining("does not exist");
        model.close();
        assertThatThrownBy(() -> model.exportOnnx(dir.resolve("model.onnx")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
