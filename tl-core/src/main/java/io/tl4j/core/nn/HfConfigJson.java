package io.tl4j.core.nn;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads and writes Hugging Face {@code config.json} files through plain classes whose fields carry
 * Gson's {@code @SerializedName} and start at Hugging Face's defaults, and checks the values the
 * way every architecture needs: required keys, positive sizes, sizes that divide.
 *
 * <p>A key set to {@code null} counts as absent. Numbers are read from their text as Java parses
 * it ({@code Float.parseFloat}, so a float reads exactly as it was written), may be quoted, and fail
 * naming the key when they are not numbers; keys a class does not declare are ignored. Text is
 * written compactly, fields in declaration order, without HTML escaping.
 */
public final class HfConfigJson {

    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(int.class, new IntAdapter())
            .registerTypeAdapter(Integer.class, new IntAdapter())
            .registerTypeAdapter(float.class, new FloatAdapter())
            .registerTypeAdapter(Float.class, new FloatAdapter())
            .setStrictness(Strictness.LENIENT)
            .disableHtmlEscaping()
            .create();

    private HfConfigJson() {}

    /**
     * Reads a configuration file, naming the file in every error.
     *
     * @param file the file
     * @param what what the file holds, for messages ({@code "BERT config"})
     * @param parse turns the file's text into the configuration
     * @param <T> the configuration's type
     * @return the configuration
     * @throws IllegalArgumentException naming the file when its content is malformed or not supported
     * @throws UncheckedIOException when the file cannot be read
     */
    public static <T> T read(Path file, String what, Function<String, T> parse) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + what + " " + file, e);
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException | IllegalStateException | JsonParseException e) {
            throw new IllegalArgumentException("Bad " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses JSON text into an instance of a class declared with {@code @SerializedName} fields.
     *
     * @param json the JSON text, an object
     * @param type the class; it needs a constructor without arguments
     * @param <T> the class
     * @return the instance, absent keys left at the constructor's values
     * @throws IllegalArgumentException naming the key when a value has the wrong type
     */
    public static <T> T parse(String json, Class<T> type) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
        }
        if (!tree.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object, got " + abbreviate(json));
        }
        return parse(tree.getAsJsonObject(), type);
    }

    /**
     * Reads a parsed JSON object into an instance of a class declared with {@code @SerializedName}
     * fields; see {@link #parse(String, Class)}.
     *
     * @param json the object
     * @param type the class
     * @param <T> the class
     * @return the instance
     * @throws IllegalArgumentException naming the key when a value has the wrong type
     */
    public static <T> T parse(JsonObject json, Class<T> type) {
        JsonObject present = new JsonObject();
        json.entrySet().stream()
                .filter(e -> !e.getValue().isJsonNull())
                .forEach(e -> present.add(e.getKey(), e.getValue()));
        try {
            return GSON.fromJson(present, type);
        } catch (JsonParseException e) {
            String message = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IllegalArgumentException(message, e);
        }
    }

    /**
     * Returns a configuration object's fields as a JSON object.
     *
     * @param config an instance of a class declared with {@code @SerializedName} fields
     * @return its fields in declaration order
     */
    public static JsonObject toTree(Object config) {
        return GSON.toJsonTree(config).getAsJsonObject();
    }

    /**
     * Returns a configuration object as compact JSON text.
     *
     * @param config an instance of a class declared with {@code @SerializedName} fields
     * @return its fields in declaration order
     */
    public static String toJson(Object config) {
        return GSON.toJson(config);
    }

    /**
     * Returns a deep copy of a configuration object, made by writing and reading it back.
     *
     * @param config an instance of a class declared with {@code @SerializedName} fields
     * @param <T> its class
     * @return an equal, independent instance
     */
    @SuppressWarnings("unchecked")
    public static <T> T copy(T config) {
        return (T) GSON.fromJson(GSON.toJsonTree(config), config.getClass());
    }

    /**
     * Returns a required value.
     *
     * @param value the value read, or null when the key was absent
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException naming the key when it was absent
     */
    public static int required(Integer value, String key) {
        if (value == null) {
            throw new IllegalArgumentException("missing required key '" + key + "'");
        }
        return value;
    }

    /**
     * Checks that a size is positive.
     *
     * @param key the size's key
     * @param value the size
     * @throws IllegalArgumentException naming the key and value when it is not
     */
    public static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /**
     * Checks that one size divides another ({@code hidden_size} by {@code num_attention_heads}).
     *
     * @param key the divided size's key
     * @param value the divided size
     * @param byKey the divisor's key
     * @param by the divisor, positive
     * @throws IllegalArgumentException naming both keys and values when it does not divide
     */
    public static void divisible(String key, long value, String byKey, long by) {
        if (value % by != 0) {
            throw new IllegalArgumentException(key + " " + value + " is not divisible by " + byKey + " " + by);
        }
    }

    private static String abbreviate(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 40 ? trimmed : trimmed.substring(0, 40) + "...";
    }

    /** The key being read: {@code vocab_size}, or {@code conv_dim[2]} inside an array. */
    private static String key(JsonReader in) {
        String path = in.getPath();
        return path.startsWith("$.") ? path.substring(2) : path;
    }

    /** The text of a number or string value, or an error naming the key for anything else. */
    private static String numberText(JsonReader in, String kind) throws IOException {
        String key = key(in);
        switch (in.peek()) {
            case NUMBER:
            case STRING:
                return in.nextString();
            default:
                String found = in.peek().toString();
                in.skipValue();
                throw new IllegalArgumentException("key '" + key + "' is not " + kind + ": " + found);
        }
    }

    /** Integers, also when written as {@code 768.0} or quoted; never truncated. */
    private static final class IntAdapter extends TypeAdapter<Integer> {
        @Override
        public void write(JsonWriter out, Integer value) throws IOException {
            out.value(value);
        }

        @Override
        public Integer read(JsonReader in) throws IOException {
            String key = key(in);
            String text = numberText(in, "an integer");
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException notPlain) {
                try {
                    return new BigDecimal(text.trim()).intValueExact();
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new IllegalArgumentException("key '" + key + "' is not an integer: " + text, e);
                }
            }
        }
    }

    /** Floats parsed from their text with {@code Float.parseFloat}, as Gson's own numbers do. */
    private static final class FloatAdapter extends TypeAdapter<Float> {
        @Override
        public void write(JsonWriter out, Float value) throws IOException {
            out.value(value);
        }

        @Override
        public Float read(JsonReader in) throws IOException {
            String key = key(in);
            String text = numberText(in, "a number");
            try {
                return Float.parseFloat(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("key '" + key + "' is not a number: " + text, e);
            }
        }
    }
}
