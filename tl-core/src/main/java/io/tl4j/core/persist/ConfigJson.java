package io.tl4j.core.persist;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Writes a component's configuration record (an architecture's, an input pipeline's, a head's) as a
 * JSON object with Gson, and reads one back strictly: every key must be one of the record's
 * components, every primitive component must be present, and every value must have the
 * component's type; then the record's canonical constructor runs, so its own checks apply.
 *
 * <p>Supported component types: {@code int}, {@code long}, {@code float}, {@code double}, {@code
 * boolean} (and their boxes), {@code String}, enums, {@code List}s of these, nested records, and
 * Gson's {@code JsonObject} for settings kept in another format (a Hugging Face {@code config.json}).
 * Floats are read from their text with {@code Float.parseFloat}, so a value reads back exactly as
 * Gson wrote it. A component of an object type that is absent or {@code null} is passed as {@code
 * null}.
 */
public final class ConfigJson {

    private static final Gson GSON = new GsonBuilder()
            .disableHtmlEscaping()
            .serializeSpecialFloatingPointValues()
            .create();

    private ConfigJson() {}

    /**
     * Returns a configuration record as a JSON object, components in declaration order, {@code null}
     * components left out.
     *
     * @param config the record
     * @return its JSON object
     */
    public static JsonObject write(Record config) {
        return GSON.toJsonTree(config).getAsJsonObject();
    }

    /**
     * Reads a configuration record from a JSON object.
     *
     * @param json the object, as {@link #write} wrote it
     * @param type the record's class
     * @param <C> the record's type
     * @return the record
     * @throws IllegalArgumentException naming the key (dotted, with {@code [i]} for list items) and
     *     the value when a key is unknown, a primitive is missing or a value has the wrong type, or
     *     with the record's own message when its constructor refuses the values
     */
    public static <C extends Record> C read(JsonObject json, Class<C> type) {
        return type.cast(record(json, type, ""));
    }

    private static Object record(JsonObject json, Class<?> type, String path) {
        RecordComponent[] components = type.getRecordComponents();
        List<String> names =
                Arrays.stream(components).map(RecordComponent::getName).toList();
        for (String key : json.keySet()) {
            if (!names.contains(key)) {
                throw bad(path + key, "is not a setting of " + type.getSimpleName() + "; its settings: " + names);
            }
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            values[i] = value(json.get(name), components[i].getGenericType(), path + name);
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("Cannot build " + type.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot build " + type.getName(), e);
        }
    }

    private static Object value(JsonElement json, Type type, String path) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (json == null || json.isJsonNull()) {
            if (raw.isPrimitive()) {
                throw bad(path, "is missing");
            }
            return null;
        }
        if (raw == int.class || raw == Integer.class) {
            return (int) integer(json, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
        } else if (raw == long.class || raw == Long.class) {
            return integer(json, path, Long.MIN_VALUE, Long.MAX_VALUE);
        } else if (raw == float.class || raw == Float.class) {
            return Float.parseFloat(number(json, path, "a number"));
        } else if (raw == double.class || raw == Double.class) {
            return Double.parseDouble(number(json, path, "a number"));
        } else if (raw == boolean.class || raw == Boolean.class) {
            if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isBoolean()) {
                throw wrong(path, json, "true or false");
            }
            return json.getAsBoolean();
        } else if (raw == String.class) {
            if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isString()) {
                throw wrong(path, json, "a string");
            }
            return json.getAsString();
        } else if (raw.isEnum()) {
            return constant(json, raw, path);
        } else if (raw == List.class) {
            if (!json.isJsonArray()) {
                throw wrong(path, json, "an array");
            }
            Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < json.getAsJsonArray().size(); i++) {
                JsonElement element = json.getAsJsonArray().get(i);
                if (element.isJsonNull()) {
                    throw bad(path + "[" + i + "]", "is null");
                }
                list.add(value(element, item, path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(list);
        } else if (raw.isRecord() || raw == JsonObject.class) {
            if (!json.isJsonObject()) {
                throw wrong(path, json, "a JSON object");
            }
            return raw == JsonObject.class
                    ? json.getAsJsonObject().deepCopy()
                    : record(json.getAsJsonObject(), raw, path + ".");
        }
        throw new IllegalStateException("A configuration cannot hold a " + type.getTypeName() + " (" + path + ")");
    }

    private static Object constant(JsonElement json, Class<?> type, String path) {
        List<String> allowed = Arrays.stream(type.getEnumConstants())
                .map(c -> ((Enum<?>) c).name())
                .toList();
        if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()) {
            int index = allowed.indexOf(json.getAsString());
            if (index >= 0) {
                return type.getEnumConstants()[index];
            }
        }
        throw bad(path, "is " + json + "; allowed: " + allowed);
    }

    private static long integer(JsonElement json, String path, long min, long max) {
        BigDecimal value;
        try {
            value = new BigDecimal(number(json, path, "an integer"));
        } catch (NumberFormatException e) {
            throw wrong(path, json, "an integer");
        }
        if (value.stripTrailingZeros().scale() > 0) {
            throw wrong(path, json, "an integer");
        }
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw wrong(path, json, "an integer from " + min + " to " + max);
        }
        return value.longValueExact();
    }

    private static String number(JsonElement json, String path, String expected) {
        if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isNumber()) {
            throw wrong(path, json, expected);
        }
        return json.getAsString();
    }

    private static IllegalArgumentException wrong(String path, JsonElement json, String expected) {
        String text = json.toString();
        return bad(path, "is " + (text.length() <= 80 ? text : text.substring(0, 77) + "...") + ", not " + expected);
    }

    private static IllegalArgumentException bad(String path, String detail) {
        return new IllegalArgumentException("'" + path + "' " + detail);
    }
}
