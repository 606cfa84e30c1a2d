package io.tl4j.core;

import java.util.Arrays;
import java.util.Map;

/**
 * Reads typed values from a component's string configuration (as saved in {@code model.json}), so a
 * missing key, a bad number or an unknown name fails with a message naming the component, the key and
 * the value, and the allowed values or range.
 */
final class ConfigValues {

    private ConfigValues() {}

    /** Returns the value of {@code key}, which must be present. */
    static String require(Map<String, String> config, String key, String owner) {
        String value = config.get(key);
        if (value == null) {
            throw new IllegalArgumentException(owner + " config has no '" + key + "' (keys present: " + config.keySet()
                    + ")");
        }
        return value;
    }

    /** Parses a float, or returns {@code fallback} when the key is absent. */
    static float floatValue(Map<String, String> config, String key, float fallback, String owner) {
        String value = config.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(owner + " config '" + key + "' = '" + value + "' is not a number", e);
        }
    }

    /** Parses a comma-separated list of integers in {@code [1, max]}. */
    static long[] positiveList(Map<String, String> config, String key, long max, String owner) {
        String value = require(config, key, owner);
        try {
            long[] values = Arrays.stream(value.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
            if (Arrays.stream(values).anyMatch(v -> v < 1 || v > max)) {
                throw new NumberFormatException("out of range");
            }
            return values;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(owner + " config '" + key + "' = '" + value
                    + "' is not a comma-separated list of integers from 1 to " + max, e);
        }
    }

    /** Parses an enum constant by name, or returns {@code fallback} when the key is absent. */
    static <E extends Enum<E>> E enumValue(Map<String, String> config, String key, E fallback, String owner) {
        String value = config.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(fallback.getDeclaringClass(), value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(owner + " config '" + key + "' = '" + value + "' is not one of "
                    + Arrays.toString(fallback.getDeclaringClass().getEnumConstants()), e);
        }
    }
}
