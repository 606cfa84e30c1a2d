package io.tl4j.benchmarks;

import io.tl4j.core.TransferModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
 * then that of a process serving a saved model. The child also reloads the saved model and writes
 * its probabilities on the engine for the benchmark's first images, the reference the served model
 * is checked against ({@link #engineProbabilities}).
 */
public final class ForkedFit {

    private static final long TIMEOUT_MINUTES = 20;
    /** The file, inside the saved model's directory, holding the engine's probabilities. */
    static final String ENGINE_PROBABILITIES = "engine-probabilities.bin";

    private ForkedFit() {}

    /**
     * Fits and saves the workload's classifier in a child JVM, which then reloads it and writes its
     * probabilities on the engine for the first {@code checked} images, and waits for it.
     *
     * @param d the workload
     * @param checked how many of the workload's images the engine classifies
     * @return the saved model's directory
     * @throws IllegalStateException when the child fails or runs past 20 minutes
     */
    static Path fitAndSave(Inference.Data d, int checked) {
        Path dir = Path.of(
                System.getProperty("java.io.tmpdir"),
                "tl4j-bench-forked-" + ProcessHandle.current().pid());
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("ai.djl.") || name.startsWith("org.slf4j."))
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                ForkedFit.class.getName(),
                d.model,
                dir.toString(),
                Integer.toString(checked)));
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
     * Reads the probabilities the child computed on the engine.
     *
     * @param directory the directory {@link #fitAndSave} returned
     * @return per checked image, one probability per class
     * @throws IOException if the file cannot be read
     */
    static float[][] engineProbabilities(Path directory) throws IOException {
        try (DataInputStream in = new DataInputStream(
                new BufferedInputStream(Files.newInputStream(directory.resolve(ENGINE_PROBABILITIES))))) {
            float[][] rows = new float[in.readInt()][in.readInt()];
            for (float[] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = in.readFloat();
                }
            }
            return rows;
        }
    }

    /** Writes per-image probabilities for {@link #engineProbabilities} to read back. */
    static void writeProbabilities(Path file, float[][] rows) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(rows.length);
            out.writeInt(rows[0].length);
            for (float[] row : rows) {
                for (float p : row) {
                    out.writeFloat(p);
                }
            }
        }
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
     * The child's entry point: fits and saves the classifier, moves it to the directory the parent
     * named, reloads it as the benchmark does and writes its probabilities on the engine for the
     * benchmark's first images ({@link Workloads#samples} draws the same first images for any count).
     *
     * @param args the model ({@code resnet50} or {@code vgg16}), the directory to write and the
     *     number of images to classify
     * @throws IOException if the model or the probabilities cannot be written
     */
    public static void main(String[] args) throws IOException {
        Inference.Data d = new Inference.Data();
        d.model = args[0];
        d.batch = Integer.parseInt(args[2]);
        d.device = "cpu";
        d.setup();
        Path saved = Inference.fitAndSave(d);
        Path target = Path.of(args[1]);
        Files.move(saved, target);
        try (TransferModel<float[]> model = Inference.load(d, target)) {
            writeProbabilities(target.resolve(ENGINE_PROBABILITIES), model.probabilities(d.images));
        }
    }
}
