package io.tl4j.core.weights;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A state dict does not fit a block: thrown by {@link StateDict#load} before anything is changed,
 * listing every problem at once.
 */
public class WeightMismatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Parameter names that no tensor maps to. */
    private final List<String> missing;

    /** Tensor names, as given, that map to no parameter. */
    private final List<String> unexpected;

    /** Shape mismatches (not serialized: {@code Shape} is not serializable). */
    private final transient List<Mismatch> misshaped;

    /** Data type mismatches (not serialized). */
    private final transient List<Mismatch> mistyped;

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
        super(message(missing, unexpected, misshaped, mistyped));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected.keySet());
        this.misshaped = List.copyOf(misshaped);
        this.mistyped = List.copyOf(mistyped);
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
        return unexpected;
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
            List<String> missing, Map<String, String> unexpected, List<Mismatch> misshaped, List<Mismatch> mistyped) {
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing (no tensor for parameter): " + String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            parts.add("unexpected (no parameter for tensor): "
                    + unexpected.entrySet().stream()
                            .map(e -> e.getKey().equals(e.getValue())
                                    ? e.getKey()
                                    : e.getKey() + " (renamed " + e.getValue() + ")")
                            .collect(Collectors.joining(", ")));
        }
        if (!misshaped.isEmpty()) {
            parts.add("mis-shaped: "
                    + misshaped.stream()
                            .map(m -> m.name() + " expected " + m.expectedShape() + " found " + m.foundShape())
                            .collect(Collectors.joining(", ")));
        }
        if (!mistyped.isEmpty()) {
            parts.add("mis-typed: "
                    + mistyped.stream()
                            .map(m -> m.name() + " expected " + m.expectedType() + " found " + m.foundType())
                            .collect(Collectors.joining(", ")));
        }
        return "state dict does not match the block; nothing was loaded. " + String.join("; ", parts);
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
