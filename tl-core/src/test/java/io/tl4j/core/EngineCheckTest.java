package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class EngineCheckTest {

    @Test
    void convolutionInputGradientsAreCorrectUnderTheBuildsEngineSettings() {
        // surefire sets ONEDNN_MAX_CPU_ISA=AVX2; without it some AVX-512 CPUs get most of these wrong
        assertThat(EngineCheck.wrongConvolutionGradients()).isZero();
    }

    @Test
    void trainingIsAllowedWhenTheCheckPasses() {
        assertThatCode(EngineCheck::requireCorrectGradients).doesNotThrowAnyException();
    }
}
