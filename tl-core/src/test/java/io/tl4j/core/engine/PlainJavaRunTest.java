package io.tl4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tl4j.core.engine.EngineSettings.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class PlainJavaRunTest {

    @Test
    void aPlainJavaRunWithoutTheBuildsVariablesConfiguresItselfAndTrainsAConvNet() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-Dai.djl.offline=true",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.io.tl4j.core.engine=info",
                        "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PlainJavaFit.class.getName()))
                .redirectErrorStream(true);
        for (String variable : List.of("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "GLIBC_TUNABLES", "LD_PRELOAD")) {
            builder.environment().remove(variable);
        }
        Process child = builder.start();
        assertThat(child.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(out).isZero();

        // the fit ran (so EngineCheck passed before it) and a fresh check finds no wrong gradient
        assertThat(out).contains("EPOCHS 2").contains("WRONG 0");
        assertThat(out).contains("MALLOC true").contains("tl4j: glibc malloc tuned in this process");
        if (cpuHasAvx512()) {
            assertThat(out).contains("ISA AVX2").contains("CAPPED true");
            assertThat(out).contains("tl4j: ONEDNN_MAX_CPU_ISA=AVX2 set in this process");
        } else {
            assertThat(out).contains("ISA null").contains("CAPPED false");
        }
    }

    @Test
    void underTheBuildTheVariablesItSetsWin() {
        // surefire exports ONEDNN_MAX_CPU_ISA and GLIBC_TUNABLES: both settings are skipped in this JVM
        EngineSetup.configure();
        assertThat(EngineSetup.applied(Setting.ISA_CAP)).isFalse();
        assertThat(EngineSetup.applied(Setting.MALLOC_TUNING)).isFalse();
        assertThat(EngineSetup.variable(EngineSettings.ISA_VARIABLE)).isEqualTo("AVX2");
    }

    private static boolean cpuHasAvx512() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .anyMatch(line -> line.startsWith("flags") && line.contains(" avx512f"));
    }
}
