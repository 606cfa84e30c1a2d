package io.tl4j.core.weights;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Signals that a state dict does not fit a block: thrown by {@link StateDict#load} before anything
 * is changed, reporting every problem at once. The message names the file the tensors were read
 * from when the loader knows it ({@link #inFile}) and shows the first {@value #NAMES_SHOWN} names of
 * each kind of problem, then how many more there are; the accessors return them all.
 */
public class WeightMismatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How many names of each kind of problem the message shows. */
    public static final int NAMES_SHOWN = 10;

    /** Parameter names that no tensor maps to. */
    private final List<String> missing;

    /** Tensor names, as given, each with the parameter name it was mapped to, for those that map to no parameter. */
    private final Map<String, String> unexpected;

    /** Shape mismatches (not serialized: {@code Shape} is not serializable). */
    private final transient List<Mismatch> misshaped;

    /** Data type mismatches (not serialized). */
    private final transient List<Mismatch> mistyped;

    /** The file the tensors were read from, or null when not known ({@code Path} is not serializable). */
    private final String file;

    /**
     * Creates the exception.
     *
     * @param missing parameter names that no tensor maps to
     * @param unexpected tensor names as in the file, each with the parameter name it was mapped to
     * @param misshaped tensors whose shape differs from their parameter's
     * @param mistyped tensors whose data type differs from their parameter's
     */
    WeightMismatchException(
            List<String> missing, Map<String, String> unexpected, List<Mismatch> misshaped, List<Mismatch> mistyped) {
        this(
                List.copyOf(missing),
                Collections.unmodifiableMap(new LinkedHashMap<>(unexpected)),
                List.copyOf(misshaped),
                List.copyOf(mistyped),
                null);
    }

    private WeightMismatchException(
            List<String> missing,
            Map<String, String> unexpected,
            List<Mismatch> misshaped,
            List<Mismatch> mistyped,
            String file) {
        super(message(file, missing, unexpected, misshaped, mistyped));
        this.missing = missing;
        this.unexpected = unexpected;
        this.misshaped = misshaped;
        this.mistyped = mistyped;
        this.file = file;
    }

    /**
     * Returns the same mismatch with a message naming the file the tensors were read from: a loader
     * that read a file calls this on the exception {@link StateDict#load} threw and throws the result.
     *
     * @param file the file (or model directory) the tensors came from
     * @return a new exception with the same problems and stack trace, naming {@code file}
     */
    public WeightMismatchException inFile(Path file) {
        WeightMismatchException named = new WeightMismatchException(
                missing,
                unexpected,
                misshaped,
                mistyped,
                Objects.requireNonNull(file, "file").toString());
        named.setStackTrace(getStackTrace());
        return named;
    }

    /**
     * Returns the file the tensors were read from, when the loader named it.
     *
     * @return the file, or empty when the tensors came from memory or the loader did not say
     */
    public Optional<Path> file() {
        return Optional.ofNullable(file).map(Path::of);
    }

    /**
     * Returns the parameters that no tensor maps to.
     *
     * @return parameter names, in block order
     */
    public List<String> missing() {
        return missing;
    }

    /**
     * Returns the tensors that map to no parameter.
     *
     * @return tensor names as in the given map (before renaming), in map order
     */
    public List<String> unexpected() {
        return List.copyOf(unexpected.keySet());
    }

    /**
     * Returns the tensors whose shape differs from their parameter's.
     *
     * @return the mismatches, in block order
     */
    public List<Mismatch> misshaped() {
        return misshaped;
    }

    /**
     * Returns the tensors whose data type differs from their parameter's (a tensor can be both
     * mis-shaped and mis-typed).
     *
     * @return the mismatches, in block order
     */
    public List<Mismatch> mistyped() {
        return mistyped;
    }

    private static String message(
            String file,
            List<String> missing,
            Map<String, String> unexpected,
            List<Mismatch> misshaped,
            List<Mismatch> mistyped) {
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing (no tensor for parameter): " + summary(missing));
        }
        if (!unexpected.isEmpty()) {
            parts.add("unexpected (no parameter for tensor): "
                    + summary(unexpected.entrySet().stream()
                            .map(e -> e.getKey().equals(e.getValue())
                                    ? e.getKey()
                                    : e.getKey() + " (renamed " + e.getValue() + ")")
                            .toList()));
        }
        if (!misshaped.isEmpty()) {
            parts.add("mis-shaped: "
                    + summary(misshaped.stream()
                            .map(m -> m.name() + " expected " + m.expectedShape() + " found " + m.foundShape())
                            .toList()));
        }
        if (!mistyped.isEmpty()) {
            parts.add("mis-typed: "
                    + summary(mistyped.stream()
                            .map(m -> m.name() + " expected " + m.expectedType() + " found " + m.foundType())
                            .toList()));
        }
        String what = file == null ? "state dict" : "state dict read from " + file;
        return what + " does not match the block; nothing was loaded. " + String.join("; ", parts);
    }

    /** The first {@link #NAMES_SHOWN} items, then how many more. */
    private static String summary(List<String> items) {
        String shown = items.stream().limit(NAMES_SHOWN).collect(Collectors.joining(", "));
        return items.size() <= NAMES_SHOWN ? shown : shown + " ... and " + (items.size() - NAMES_SHOWN) + " more";
    }

    /**
     * A tensor whose shape or data type differs from its parameter's.
     *
     * @param name the parameter's name
     * @param expectedShape the parameter's shape
     * @param expectedType the parameter's data type
     * @param foundShape the tensor's shape
     * @param foundType the tensor's data type
     */
    public record Mismatch(
            String name, Shape expectedShape, DataType expectedType, Shape foundShape, DataType foundType) {}
}
