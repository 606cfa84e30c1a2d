package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Terminates a training process with SIGTERM (what Ctrl-C, {@code docker stop} and {@code kill} send)
 * at random moments mid-step, and requires the JVM to exit as terminated (status 143), without a
 * crash log, after the training thread stopped at a step boundary and said so.
 */
class TerminatedTrainingTest {

    @Test
    void sigtermDuringFitExitsWithoutCrashing(@TempDir Path dir) throws Exception {
        Random random = new Random(17);
        for (int run = 0; run < 3; run++) {
            Path work = Files.createDirectories(dir.resolve("run" + run));
            Path log = work.resolve("output.log");
            Process child = start(work, log);
            awaitLine(child, log, "STEP");
            Thread.sleep(200 + random.nextInt(400));
            child.destroy();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
            String output = Files.readString(log);
            try (Stream<Path> files = Files.list(work)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("crash logs of run %d; output:%n%s", run, output)
                        .noneMatch(n -> n.startsWith("hs_err"));
            }
            assertThat(child.exitValue())
                    .as("exit status of run %d; output:%n%s", run, output)
                    .isEqualTo(143);
            assertThat(output)
                    .as("output of run %d", run)
                    .containsPattern(
                            "Training stopped before (epoch \\d+ step \\d+|the end of epoch \\d+): the JVM is shutting down");
        }
    }

    private static Process start(Path dir, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java,
                "-Xmx512m",
                "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                TerminatedTraining.class.getName());
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Waits until the child's output holds a line {@code line}; fails if the child ends first. */
    private static void awaitLine(Process child, Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.readAllLines(log).contains(line)) {
                return;
            }
            if (!child.isAlive()) {
                throw new AssertionError("The child ended without printing '" + line + "':\n" + Files.readString(log));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("No '" + line + "' within 120 s:\n" + Files.readString(log));
    }
}
