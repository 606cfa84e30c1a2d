package io.tl4j.core.data;

import io.tl4j.core.data.CleaningReport.Issue;
import io.tl4j.core.data.CleaningReport.Issue.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Removes problem examples from a {@link LabeledData} and reports what it removed.
 *
 * <p>An example is removed, in this order of checks, when
 * <ol>
 *   <li>its input is a {@link Path} to a file that does not exist ({@link Issue.Kind#MISSING});
 *   <li>a validator gives a reason it is invalid ({@link Issue.Kind#INVALID});
 *   <li>an earlier remaining example has the same duplicate key and label
 *       ({@link Issue.Kind#DUPLICATE}): the first copy is kept;
 *   <li>another remaining example has the same duplicate key but a different label
 *       ({@link Issue.Kind#CONFLICTING_LABELS}): every copy is removed.
 * </ol>
 *
 * <p>Instances are immutable; the configuring methods return a new cleaner.
 *
 * @param <I> the input type
 */
public final class DataCleaner<I> {

    private final Function<I, ?> duplicateKey;
    private final List<Function<I, Optional<String>>> validators;

    private DataCleaner(Function<I, ?> duplicateKey, List<Function<I, Optional<String>>> validators) {
        this.duplicateKey = duplicateKey;
        this.validators = validators;
    }

    /**
     * Creates a cleaner without validators whose duplicate key is the input itself; arrays,
     * including primitive arrays such as {@code float[]}, are compared by content.
     *
     * @param <I> the input type
     * @return the cleaner
     */
    public static <I> DataCleaner<I> create() {
        return new DataCleaner<>(Function.identity(), List.of());
    }

    /**
     * Returns a cleaner that detects duplicates by the given key instead of by the input. Keys are
     * compared with {@code equals}, arrays by content.
     *
     * @param key computes the key of an input
     * @return the new cleaner
     */
    public DataCleaner<I> duplicateKey(Function<I, ?> key) {
        return new DataCleaner<>(Objects.requireNonNull(key, "key"), validators);
    }

    /**
     * Returns a cleaner that also applies the given validator. Validators run in the order they
     * were added; the first reason given is reported.
     *
     * @param reasonIfInvalid returns why an input is invalid, or empty if it is valid
     * @return the new cleaner
     */
    public DataCleaner<I> validator(Function<I, Optional<String>> reasonIfInvalid) {
        List<Function<I, Optional<String>>> all = new ArrayList<>(validators);
        all.add(Objects.requireNonNull(reasonIfInvalid, "reasonIfInvalid"));
        return new DataCleaner<>(duplicateKey, List.copyOf(all));
    }

    /**
     * Cleans a data set.
     *
     * @param data the data to clean
     * @return the remaining examples, in their original order, and the removed ones
     */
    public CleaningReport<I> clean(LabeledData<I> data) {
        List<Issue> removed = new ArrayList<>();
        Map<ContentKey, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < data.size(); i++) {
            I input = data.input(i);
            if (input instanceof Path path && !Files.exists(path)) {
                removed.add(new Issue(i, Kind.MISSING, "missing file " + path));
                continue;
            }
            Optional<String> reason = invalidReason(input);
            if (reason.isPresent()) {
                removed.add(new Issue(i, Kind.INVALID, reason.get()));
                continue;
            }
            ContentKey key = new ContentKey(duplicateKey.apply(input));
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> copies : byKey.values()) {
            int first = copies.get(0);
            boolean conflicting = copies.stream().anyMatch(i -> data.label(i) != data.label(first));
            if (conflicting) {
                String labels = copies.stream()
                        .map(i -> i + ":" + data.classNames().get(data.label(i)))
                        .collect(Collectors.joining(", ", "[", "]"));
                for (int i : copies) {
                    removed.add(new Issue(i, Kind.CONFLICTING_LABELS, "same input with different labels " + labels));
                }
            } else {
                kept.add(first);
                for (int i : copies.subList(1, copies.size())) {
                    removed.add(new Issue(i, Kind.DUPLICATE, "duplicate of example " + first));
                }
            }
        }
        removed.sort(Comparator.comparingInt(Issue::index));
        int[] keptIndices = kept.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new CleaningReport<>(data.subset(keptIndices), removed);
    }

    /**
     * Returns a validator for feature vectors that rejects a wrong length and non-finite values,
     * with reasons such as {@code "length 3, expected 4"} or {@code "NaN at position 3"}.
     *
     * @param expectedLength the required vector length, at least 1
     * @return the validator
     */
    public static Function<float[], Optional<String>> finiteVector(int expectedLength) {
        if (expectedLength < 1) {
            throw new IllegalArgumentException("expectedLength must be at least 1, got " + expectedLength);
        }
        return vector -> {
            if (vector.length != expectedLength) {
                return Optional.of("length " + vector.length + ", expected " + expectedLength);
            }
            for (int i = 0; i < vector.length; i++) {
                if (!Float.isFinite(vector[i])) {
                    return Optional.of(vector[i] + " at position " + i);
                }
            }
            return Optional.empty();
        };
    }

    private Optional<String> invalidReason(I input) {
        for (Function<I, Optional<String>> validator : validators) {
            Optional<String> reason = validator.apply(input);
            if (reason.isPresent()) {
                return reason;
            }
        }
        return Optional.empty();
    }

    /** Wraps a key so that arrays, primitive or not, are compared and hashed by content. */
    private record ContentKey(Object key) {

        @Override
        public boolean equals(Object other) {
            return other instanceof ContentKey that && Arrays.deepEquals(new Object[] {key}, new Object[] {that.key});
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(new Object[] {key});
        }
    }
}
