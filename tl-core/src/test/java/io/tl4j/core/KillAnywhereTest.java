package io.tl4j.core;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a training process with SIGKILL at random moments (mid-step, mid-checkpoint-write), resumes
 * it each time, and requires the final weights and predictions to be bit-identical to those of a
 * run never interrupted. Three kills run in the default suite; twenty in the slow one.
 */
class KillAnywhereTest {

    private static final int EPOCHS = KillableTraining.EPOCHS;

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
        List<Integer> epochAtKill = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            int before = latestEpoch(killed);
            Process child = start(killed);
            awaitLine(child, "STARTED");
            // wait until this child has trained and checkpointed at least one epoch, then kill it at a
            // random moment of the next ones: mid-step, mid-validation or mid-checkpoint-write
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (latestEpoch(killed) <= before && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            Thread.sleep(random.nextInt(120));
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            epochAtKill.add(latestEpoch(killed));
        }
        String resumed = runToEnd(killed);
        System.out.println("KillAnywhereTest: newest checkpoint at each of " + kills + " kills: " + epochAtKill);
        assertThat(epochAtKill)
                .as("newest checkpoint after each kill")
                .allMatch(e -> e > 0 && e < EPOCHS)
                .isSorted();
        assertThat(resumed)
                .as("result after %d kills (newest checkpoint at each kill: %s)", kills, epochAtKill)
                .isEqualTo(reference);
        assertThat(resumed).endsWith("epochs " + EPOCHS);
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
        List<String> command = List.of(
                java,
                "-Xmx512m",
                "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                KillableTraining.class.getName(),
                dir.toString());
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

    /** The newest epoch with a checkpoint in {@code dir}, or 0. */
    private static int latestEpoch(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("epoch-\\d+\\.json"))
                    .mapToInt(n -> Integer.parseInt(n.substring(6, n.length() - 5)))
                    .max()
                    .orElse(0);
        }
    }
}
