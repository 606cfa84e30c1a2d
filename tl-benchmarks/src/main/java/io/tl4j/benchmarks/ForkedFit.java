package io.tl4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@link Inference#fitAndSave} in a JVM of its own (same Java, class path, system properties
 * {@code ai.djl.*} and environment), so that the memory the fit takes (libtorch's activations, the
 * allocator's cached pages, the Java heap) never enters the benchmark process, whose peak RSS is
 * then that of a process serving a saved model.
 */
public final class ForkedFit {

    private static final long TIMEOUT_MINUTES = 20;

    private ForkedFit() {}

    /**
     * Fits and saves the workload's classifier in a child JVM and waits for it.
     *
     * @param d the workload
     * @return the saved model's directory
     * @throws IllegalStateException when the child fails or runs past 20 minutes
     */
    static Path fitAndSave(Inference.Data d) {
        Path dir = Path.of(
                System.getProperty("java.io.tmpdir"),
                "tl4j-bench-forked-" + ProcessHandle.current().pid());
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("ai.djl.") || name.startsWith("org.slf4j."))
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), ForkedFit.class.getName(), d.model, dir.toString()));
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            if (!child.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                throw new IllegalStateException(
                        "The forked fit of " + d.model + " ran past " + TIMEOUT_MINUTES + " min");
            }
            if (child.exitValue() != 0) {
                throw new IllegalStateException("The forked fit of " + d.model + " failed, exit " + child.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the forked fit: " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for the forked fit", e);
        }
        return dir;
    }

    /**
     * Deletes a saved model's directory and the files in it.
     *
     * @param directory the directory {@link #fitAndSave} returned
     * @throws IOException if a file cannot be deleted
     */
    static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    /**
     * The child's entry point: fits and saves the classifier, then moves it to the directory the
     * parent named.
     *
     * @param args the model ({@code resnet50} or {@code vgg16}) and the directory to write
     * @throws IOException if the model cannot be written
     */
    public static void main(String[] args) throws IOException {
        Inference.Data d = new Inference.Data();
        d.model = args[0];
        d.batch = 1; // the fit draws its own images; the benchmark's batch is not needed here
        d.device = "cpu";
        d.setup();
        Path saved = Inference.fitAndSave(d);
        Files.move(saved, Path.of(args[1]));
    }
}
