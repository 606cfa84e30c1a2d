package io.tl4j.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ends child JVMs in each way a process ends and checks that the C library's exit handlers
 * registered before shutdown (standing for libtorch's static destructors) do not run, while the
 * exit status and Java's shutdown hooks stay as they were.
 */
@EnabledOnOs(OS.LINUX)
class NativeExitTest {

    @Test
    void systemExitKeepsItsStatusAndSkipsNativeDestructors(@TempDir Path dir) throws Exception {
        Ended ended = run(dir, "exit3", List.of());
        assertThat(ended.status()).as(ended.output()).isEqualTo(3);
        assertThat(ended.output()).contains("JAVA HOOK RAN").doesNotContain(ExitingProcess.MARKER);
    }

    @Test
    void returningFromMainExitsWithZeroAndSkipsNativeDestructors(@TempDir Path dir) throws Exception {
        Ended ended = run(dir, "return", List.of());
        assertThat(ended.status()).as(ended.output()).isZero();
        assertThat(ended.output()).contains("RETURNING", "JAVA HOOK RAN").doesNotContain(ExitingProcess.MARKER);
    }

    @Test
    void switchedOffTheDestructorsRunAsBefore(@TempDir Path dir) throws Exception {
        Ended ended = run(dir, "exit3", List.of("-D" + EngineSettings.NATIVE_EXIT + "=false"));
        assertThat(ended.status()).as(ended.output()).isEqualTo(3);
        assertThat(ended.output()).contains("JAVA HOOK RAN", ExitingProcess.MARKER);
    }

    @Test
    void sigtermDuringInferenceExitsAsTerminatedWithoutACrash(@TempDir Path dir) throws Exception {
        for (int run = 0; run < 2; run++) {
            Path work = Files.createDirectories(dir.resolve("run" + run));
            Ended ended = run(work, "infer", List.of());
            assertThat(ended.status()).as(ended.output()).isEqualTo(143);
            assertThat(ended.output()).contains("BUSY", "JAVA HOOK RAN").doesNotContain(ExitingProcess.MARKER);
            try (Stream<Path> files = Files.list(work)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("crash logs; output:%n%s", ended.output())
                        .noneMatch(n -> n.startsWith("hs_err"));
            }
        }
    }

    /** How a child ended. */
    private record Ended(int status, String output) {}

    /** Runs the child; in {@code infer} mode it is sent SIGTERM once it says it is busy. */
    private static Ended run(Path dir, String mode, List<String> options) throws Exception {
        Path log = dir.resolve("output-" + mode + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ExitingProcess.class.getName(), mode));
        Process child = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (mode.equals("infer")) {
            awaitBusy(child, log);
            child.destroy();
        }
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ended").isTrue();
        return new Ended(child.exitValue(), Files.readString(log));
    }

    private static void awaitBusy(Process child, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readAllLines(log).contains("BUSY")) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("The child never got busy:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }
}
