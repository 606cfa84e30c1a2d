package io.tl4j.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks the values of a component's configuration record (as read from {@code model.json}), so a
 * missing value or a number out of range fails with a message naming the component, the key and
 * the value, and the allowed range.
 */
final class ConfigValues {

    private ConfigValues() {}

    /** Returns {@code value}, which must not be null. */
    static <T> T require(T value, String key, String owner) {
        if (value == null) {
            throw new IllegalArgumentException(owner + " config has no '" + key + "'");
        }
        return value;
    }

    /** Returns a list of integers that must each be in {@code [1, max]}, as ints. */
    static int[] positiveList(List<? extends Number> values, String key, long max, String owner) {
        require(values, key, owner);
        if (values.stream().anyMatch(v -> v.longValue() < 1 || v.longValue() > max)) {
            throw new IllegalArgumentException(owner + " config '" + key + "' = '"
                    + values.stream().map(String::valueOf).collect(Collectors.joining(","))
                    + "' is not a list of integers from 1 to " + max);
        }
        return values.stream().mapToInt(Number::intValue).toArray();
    }
}
