package io.tl4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.tl4j.core.weights.SafeTensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of per-epoch checkpoints: {@code epoch-0003.safetensors} (weights, optimizer state,
 * best weights) and {@code epoch-0003.json} (run state). The JSON is written last and atomically, so
 * a checkpoint exists only once it is complete; a run killed mid-write leaves the previous one
 * intact. The two newest checkpoints are kept.
 */
public final class Checkpoints {

    private static final Pattern JSON = Pattern.compile("epoch-(\\d{4,})\\.json");
    private static final int KEEP = 2;
    private final Path directory;

    /** @param directory where checkpoints go; created when missing */
    public Checkpoints(Path directory) {
        this.directory = directory;
    }

    /** @return the directory */
    public Path directory() {
        return directory;
    }

    /**
     * A checkpoint read back.
     *
     * @param epoch the epoch it was written after
     * @param tensors its tensors by name
     * @param state its run state as JSON
     * @param file its JSON file
     */
    public record Checkpoint(int epoch, Map<String, NDArray> tensors, String state, Path file) {}

    /**
     * Writes a checkpoint atomically and prunes old ones.
     *
     * @param epoch the epoch just finished
     * @param tensors the tensors to store
     * @param state the run state as JSON
     * @return the checkpoint's JSON file
     */
    public Path write(int epoch, Map<String, NDArray> tensors, String state) {
        try {
            Files.createDirectories(directory);
            String base = String.format("epoch-%04d", epoch);
            SafeTensors.write(directory.resolve(base + ".safetensors"), tensors, Map.of());
            Path json = directory.resolve(base + ".json");
            Path tmp = Files.createTempFile(directory, base, ".json.tmp");
            Files.writeString(tmp, state, StandardCharsets.UTF_8);
            Files.move(tmp, json, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            prune();
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint to " + directory, e);
        }
    }

    /**
     * @param manager owns the arrays read
     * @return the newest complete checkpoint, if any
     */
    public Optional<Checkpoint> latest(NDManager manager) {
        List<Path> jsons = list();
        if (jsons.isEmpty()) {
            return Optional.empty();
        }
        Path json = jsons.get(jsons.size() - 1);
        int epoch = epochOf(json);
        try {
            String state = Files.readString(json, StandardCharsets.UTF_8);
            Path weights = directory.resolve(String.format("epoch-%04d.safetensors", epoch));
            return Optional.of(new Checkpoint(epoch, SafeTensors.read(weights, manager), state, json));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint " + json, e);
        }
    }

    /** @return the newest checkpoint's JSON file, if any */
    public Optional<Path> latestFile() {
        List<Path> jsons = list();
        return jsons.isEmpty() ? Optional.empty() : Optional.of(jsons.get(jsons.size() - 1));
    }

    private List<Path> list() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> JSON.matcher(p.getFileName().toString()).matches())
                    .sorted((a, b) -> Integer.compare(epochOf(a), epochOf(b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list checkpoints in " + directory, e);
        }
    }

    private void prune() throws IOException {
        List<Path> jsons = list();
        for (int i = 0; i < jsons.size() - KEEP; i++) {
            int epoch = epochOf(jsons.get(i));
            Files.deleteIfExists(jsons.get(i));
            Files.deleteIfExists(directory.resolve(String.format("epoch-%04d.safetensors", epoch)));
        }
    }

    private static int epochOf(Path json) {
        Matcher m = JSON.matcher(json.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a checkpoint file: " + json);
        }
        return Integer.parseInt(m.group(1));
    }
}
