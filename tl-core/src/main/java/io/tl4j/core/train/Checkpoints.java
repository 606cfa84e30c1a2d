package io.tl4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.tl4j.core.Provenance;
import io.tl4j.core.persist.AtomicFiles;
import io.tl4j.core.persist.JsonFields;
import io.tl4j.core.persist.ModelDirectory;
import io.tl4j.core.persist.ModelFormatException;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.core.weights.WeightFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of per-epoch checkpoints: {@code epoch-0003.safetensors} (weights, optimizer state,
 * best weights) and {@code epoch-0003.json} (the sha256 of the weights file and the run state,
 * kept verbatim as a JSON string so that it reads back exactly as written).
 * Both are written atomically (temporary file, forced to disk, moved into place) with mode 0644, the
 * JSON last, so a checkpoint exists only once it is complete; a run killed mid-write leaves the
 * previous one intact and a temporary file that the next write or read deletes. The two newest
 * checkpoints are kept.
 *
 * <p>Reading takes the newest usable checkpoint: one whose JSON is complete and well-formed and
 * whose weights file is present, unmodified (same sha256) and readable. An unusable newer one is
 * skipped with a warning naming it and why. One run at a time may use a directory.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern JSON = Pattern.compile("epoch-(\\d{4,})\\.json");
    private static final Pattern WEIGHTS = Pattern.compile("epoch-(\\d{4,})\\.safetensors");
    /** Temporary files of earlier tl4j versions, which named them {@code epoch-0003<random>.json.tmp}. */
    private static final Pattern OLD_TEMPORARY = Pattern.compile("epoch-\\d+\\.json\\.tmp");

    private static final String FORMAT = "tl4j-checkpoint";
    private static final int VERSION = 1;
    private static final int KEEP = 2;
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path directory;
    private final Set<Path> reported = ConcurrentHashMap.newKeySet();

    /**
     * Creates a checkpoint store in a directory, created when missing.
     *
     * @param directory where checkpoints go; created when missing
     */
    public Checkpoints(Path directory) {
        this.directory = directory;
    }

    /** Returns the directory the checkpoints go to. */
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
     * Writes a checkpoint atomically, then deletes older checkpoints beyond the two newest and any
     * temporary files of killed writes.
     *
     * @param epoch the epoch just finished
     * @param tensors the tensors to store
     * @param state the run state: a JSON object
     * @return the checkpoint's JSON file
     * @throws IllegalArgumentException when {@code state} is not a JSON object
     */
    public Path write(int epoch, Map<String, NDArray> tensors, String state) {
        JsonFields.parse(Path.of("(run state)"), state);
        try {
            AtomicFiles.createDirectories(directory);
            pruneTemporaries();
            String base = String.format("epoch-%04d", epoch);
            Path weights = directory.resolve(base + ".safetensors");
            SafeTensors.write(weights, tensors, Map.of());
            JsonObject json = new JsonObject();
            json.addProperty("format", FORMAT);
            json.addProperty("version", VERSION);
            json.addProperty("epoch", epoch);
            json.addProperty("weights", weights.getFileName().toString());
            json.addProperty("weightsSha256", Provenance.sha256(weights));
            json.addProperty("state", state);
            Path file = directory.resolve(base + ".json");
            AtomicFiles.writeString(file, GSON.toJson(json));
            prune();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint to " + directory, e);
        }
    }

    /**
     * Reads the newest usable checkpoint, skipping unusable newer ones with a warning, after
     * deleting temporary files of killed writes.
     *
     * @param manager owns the arrays read
     * @return the newest usable checkpoint; empty when there is none at all
     * @throws ModelFormatException when there are checkpoints but none is usable, listing each and why
     */
    public Optional<Checkpoint> latest(NDManager manager) {
        try {
            pruneTemporaries();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete temporary files in " + directory, e);
        }
        return newestUsable(json -> {
            Usable usable = check(json);
            return new Checkpoint(usable.epoch(), SafeTensors.read(usable.weights(), manager), usable.state(), json);
        });
    }

    /**
     * The newest usable checkpoint's JSON file: complete JSON, weights present and unmodified (their
     * tensors are not read). Unusable ones are skipped with a warning.
     *
     * @return the file, empty when there is no usable checkpoint
     */
    public Optional<Path> latestFile() {
        try {
            return newestUsable(json -> {
                check(json);
                return json;
            });
        } catch (ModelFormatException noneUsable) {
            return Optional.empty(); // each unusable checkpoint was logged with its reason
        }
    }

    /** What a checkpoint's JSON says, once checked. */
    private record Usable(int epoch, Path weights, String state) {}

    /** A step that fails on an unusable checkpoint. */
    private interface Reader<T> {
        T read(Path json);
    }

    private <T> Optional<T> newestUsable(Reader<T> reader) {
        List<Path> jsons = list();
        List<String> problems = new ArrayList<>();
        for (int i = jsons.size() - 1; i >= 0; i--) {
            Path json = jsons.get(i);
            try {
                return Optional.of(reader.read(json));
            } catch (ModelFormatException | WeightFileException e) {
                problems.add(e.getMessage());
                if (reported.add(json)) {
                    LOG.warn(
                            "Skipping unusable checkpoint {}{}: {}",
                            json,
                            i > 0 ? " (falling back to " + jsons.get(i - 1).getFileName() + ")" : "",
                            e.getMessage());
                }
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        throw new ModelFormatException(
                directory,
                null,
                "holds no usable checkpoint: " + String.join("; ", problems)
                        + ". Delete the directory to train from the start",
                null);
    }

    /** Checks a checkpoint's JSON and the hash of its weights file. */
    private Usable check(Path json) {
        String text;
        try {
            text = Files.readString(json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read checkpoint " + json, e);
        }
        JsonFields fields = JsonFields.parse(json, text);
        String format = fields.string("format");
        if (!FORMAT.equals(format)) {
            throw fields.error("format", "is \"" + format + "\", not \"" + FORMAT + "\"");
        }
        int version = fields.integer("version");
        if (version != VERSION) {
            throw fields.error("version", "is " + version + "; this tl4j reads checkpoint version " + VERSION);
        }
        int epoch = fields.integer("epoch");
        if (epoch != epochOf(json)) {
            throw fields.error("epoch", "is " + epoch + " in the checkpoint of epoch " + epochOf(json));
        }
        String expected = String.format("epoch-%04d.safetensors", epoch);
        String name = fields.string("weights");
        if (!expected.equals(name)) {
            throw fields.error("weights", "is \"" + name + "\"; expected \"" + expected + "\"");
        }
        ModelDirectory files = new ModelDirectory(directory, json);
        Path weights = files.resolve("weights", name);
        files.requireFile("weights", weights);
        files.verify(
                "weightsSha256",
                weights,
                fields.string("weightsSha256"),
                "The checkpoint is corrupt; an earlier one is used when there is one");
        String state = fields.string("state");
        try {
            JsonFields.parse(json, state);
        } catch (ModelFormatException e) {
            throw fields.error("state", "is not a JSON object: " + e.getMessage());
        }
        return new Usable(epoch, weights, state);
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

    /** Deletes checkpoints beyond the newest {@value #KEEP}, and weights files whose JSON was never written. */
    private void prune() throws IOException {
        List<Path> jsons = list();
        for (int i = 0; i < jsons.size() - KEEP; i++) {
            Files.deleteIfExists(jsons.get(i));
        }
        int oldestKept = jsons.isEmpty() ? Integer.MAX_VALUE : epochOf(jsons.get(Math.max(0, jsons.size() - KEEP)));
        int newest = jsons.isEmpty() ? -1 : epochOf(jsons.get(jsons.size() - 1));
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher m = WEIGHTS.matcher(file.getFileName().toString());
                if (m.matches()) {
                    int epoch = Integer.parseInt(m.group(1));
                    boolean kept = epoch >= oldestKept
                            && Files.exists(directory.resolve(String.format("epoch-%04d.json", epoch)));
                    if (!kept && epoch <= newest) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    /** Deletes the temporary files that killed writes left behind. */
    private void pruneTemporaries() throws IOException {
        List<Path> deleted = new ArrayList<>(AtomicFiles.pruneTemporaries(directory));
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (OLD_TEMPORARY.matcher(file.getFileName().toString()).matches()) {
                        Files.deleteIfExists(file);
                        deleted.add(file);
                    }
                }
            }
        }
        if (!deleted.isEmpty()) {
            LOG.info("Deleted {} temporary file(s) left by killed checkpoint writes: {}", deleted.size(), deleted);
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
