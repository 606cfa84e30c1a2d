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

    @Test
    void allocatorAdviceIsGivenOnlyForUntunedGlibcOnLinux() {
        assertThat(EngineCheck.needsAllocatorAdvice("Linux", null, null)).isTrue();
        assertThat(EngineCheck.needsAllocatorAdvice("Linux", "", "glibc.malloc.arena_max=1"))
                .isTrue();
        assertThat(EngineCheck.needsAllocatorAdvice("Linux", null, EngineCheck.GLIBC_TUNABLES))
                .isFalse();
        assertThat(EngineCheck.needsAllocatorAdvice("Linux", "/usr/lib/libtcmalloc_minimal.so.4", null))
                .isFalse();
        assertThat(EngineCheck.needsAllocatorAdvice("Mac OS X", null, null)).isFalse();
    }

    @Test
    void theBuildRunsTestsWithTheTunedAllocator() {
        // surefire exports the same setting the advice names, so the tests run at full speed
        assertThat(System.getenv("GLIBC_TUNABLES")).isEqualTo(EngineCheck.GLIBC_TUNABLES);
    }
}
