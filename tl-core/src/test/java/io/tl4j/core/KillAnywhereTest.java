package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Kills a training process with SIGKILL at random moments (mid-step, mid-checkpoint-write), resumes
 * it each time, and requires the final weights and predictions to be bit-identical to those of a
 * run never interrupted. Three kills run in the default suite; twenty in the slow one.
 */
class KillAnywhereTest {

    @Test
    void threeKillsThenResumeEndsBitIdentical(@TempDir Path dir) throws Exception {
        killAndResume(dir, 3, 11);
    }

    @Test
    @Tag("slow")
    void twentyKillsThenResumeEndsBitIdentical(@TempDir Path dir) throws Exception {
        killAndResume(dir, 20, 12);
    }

    private static void killAndResume(Path dir, int kills, long seed) throws Exception {
        String reference = runToEnd(dir.resolve("uninterrupted"));
        Path killed = dir.resolve("killed");
        Random random = new Random(seed);
        List<Integer> checkpointsAtKill = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            Process child = start(killed);
            awaitLine(child, "STARTED");
            // the child loads the engine after STARTED; training of 25 short epochs then takes about 1-3 s
            Thread.sleep(300 + random.nextInt(2500));
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            checkpointsAtKill.add(countCheckpoints(killed));
        }
        String resumed = runToEnd(killed);
        assertThat(checkpointsAtKill).as("checkpoints present after each kill").isNotEmpty();
        assertThat(resumed).as("result after %d kills (checkpoints at each kill: %s)", kills, checkpointsAtKill)
                .isEqualTo(reference);
        assertThat(resumed).endsWith("epochs 25");
    }

    private static String runToEnd(Path dir) throws Exception {
        Process child = start(dir);
        String result = awaitLine(child, "RESULT ");
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        return result;
    }

    private static Process start(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx512m", "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                KillableTraining.class.getName(), dir.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the child's output until a line starts with {@code prefix}; fails if it ends first. */
    private static String awaitLine(Process child, String prefix) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("The child ended without printing '" + prefix + "':\n" + seen);
    }

    private static int countCheckpoints(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }
}
