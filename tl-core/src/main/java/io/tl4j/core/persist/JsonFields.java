package io.tl4j.core.persist;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSON object read from a file, with typed accessors whose every failure is a {@link
 * ModelFormatException} naming the file, the field (as a dotted path from the root) and the bad
 * value. Lenient on syntax (NaN and Infinity are numbers), strict on content.
 */
public final class JsonFields {

    private final Path file;
    private final String path;
    private final JsonObject object;

    private JsonFields(Path file, String path, JsonObject object) {
        this.file = file;
        this.path = path;
        this.object = object;
    }

    /**
     * Parses a file's text, which must be one JSON object.
     *
     * @param file the file the text came from, named in errors
     * @param text its text
     * @return its fields
     * @throws ModelFormatException when the text is empty, malformed or truncated, or not an object
     */
    public static JsonFields parse(Path file, String text) {
        if (text.isBlank()) {
            throw new ModelFormatException(
                    file,
                    null,
                    "is empty; it should hold a JSON object. " + "Restore it from a copy or write it again",
                    null);
        }
        JsonElement root;
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.LENIENT);
            root = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("content after the end of the JSON value");
            }
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new ModelFormatException(
                    file,
                    null,
                    "is not valid JSON (truncated or edited by hand?): "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                            + ". Restore it from a copy or write it again",
                    e);
        }
        if (!root.isJsonObject()) {
            throw new ModelFormatException(
                    file, null, "holds " + shorten(root) + " where a JSON object is expected", null);
        }
        return new JsonFields(file, "", root.getAsJsonObject());
    }

    /** Returns the file the fields came from. */
    public Path file() {
        return file;
    }

    /** Returns the underlying JSON object. */
    public JsonObject json() {
        return object;
    }

    /**
     * Tells whether a field is present and not null.
     *
     * @param name a field of this object
     * @return whether the field is present and not null
     */
    public boolean has(String name) {
        JsonElement value = object.get(name);
        return value != null && !value.isJsonNull();
    }

    /**
     * Returns a field's dotted path from the document's root, as errors name it.
     *
     * @param name a field of this object
     * @return its dotted path from the document's root, as errors name it
     */
    public String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * Makes an error about one of this object's fields.
     *
     * @param name the field
     * @param detail what is wrong, beginning with a verb
     * @return the exception, to throw
     */
    public ModelFormatException error(String name, String detail) {
        return new ModelFormatException(file, pathOf(name), detail, null);
    }

    /**
     * Reads a required string field.
     *
     * @param name a required field
     * @return its string value
     */
    public String string(String name) {
        JsonElement value = required(name);
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw wrongType(name, value, "a string");
        }
        return value.getAsString();
    }

    /**
     * Reads an optional string field; empty when absent or null.
     *
     * @param name an optional field
     * @return its string value, or empty when absent or null
     */
    public Optional<String> optionalString(String name) {
        return has(name) ? Optional.of(string(name)) : Optional.empty();
    }

    /**
     * Reads a required string field that must take one of the allowed values.
     *
     * @param name a required field
     * @param allowed the values it may take
     * @return its value, one of {@code allowed}
     */
    public String oneOf(String name, Collection<String> allowed) {
        String value = string(name);
        if (!allowed.contains(value)) {
            throw error(name, "is \"" + value + "\"; allowed: " + allowed);
        }
        return value;
    }

    /**
     * Reads a required integer field that fits an int.
     *
     * @param name a required field
     * @return its value, an integer that fits an int
     */
    public int integer(String name) {
        JsonElement value = required(name);
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            try {
                return new BigDecimal(value.getAsString()).intValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                // reported below
            }
        }
        throw wrongType(name, value, "an integer");
    }

    /**
     * Reads a required object field.
     *
     * @param name a required field
     * @return its fields
     */
    public JsonFields object(String name) {
        JsonElement value = required(name);
        if (!value.isJsonObject()) {
            throw wrongType(name, value, "a JSON object");
        }
        return new JsonFields(file, pathOf(name), value.getAsJsonObject());
    }

    /**
     * Reads an optional object field; empty when absent or null.
     *
     * @param name an optional field
     * @return its fields, or empty when absent or null
     */
    public Optional<JsonFields> optionalObject(String name) {
        return has(name) ? Optional.of(object(name)) : Optional.empty();
    }

    /**
     * Reads a required object field whose every value is a string, its entries in file order.
     *
     * @param name a required field holding an object whose every value is a string
     * @return its entries in file order
     */
    public Map<String, String> stringMap(String name) {
        JsonFields inner = object(name);
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : inner.object.keySet()) {
            map.put(key, inner.string(key));
        }
        return map;
    }

    /**
     * Reads a required array-of-strings field.
     *
     * @param name a required field holding an array of strings
     * @return the strings
     */
    public List<String> strings(String name) {
        JsonArray array = array(name, "an array of strings");
        List<String> strings = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw wrongType(name + "[" + i + "]", item, "a string");
            }
            strings.add(item.getAsString());
        }
        return strings;
    }

    /**
     * Reads a required array-of-integers field.
     *
     * @param name a required field holding an array of integers
     * @return the integers
     */
    public int[] integers(String name) {
        JsonArray array = array(name, "an array of integers");
        int[] numbers = new int[array.size()];
        for (int i = 0; i < numbers.length; i++) {
            JsonElement item = array.get(i);
            try {
                if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber()) {
                    throw new NumberFormatException();
                }
                numbers[i] = new BigDecimal(item.getAsString()).intValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw wrongType(name + "[" + i + "]", item, "an integer");
            }
        }
        return numbers;
    }

    private JsonArray array(String name, String expected) {
        JsonElement value = required(name);
        if (!value.isJsonArray()) {
            throw wrongType(name, value, expected);
        }
        return value.getAsJsonArray();
    }

    private JsonElement required(String name) {
        if (!has(name)) {
            throw error(
                    name,
                    "is missing" + (object.has(name) ? " (null)" : "")
                            + "; the file is incomplete or was edited by hand");
        }
        return object.get(name);
    }

    private ModelFormatException wrongType(String name, JsonElement value, String expected) {
        return error(name, "is " + shorten(value) + ", not " + expected);
    }

    /** The value as JSON, cut short when long, for messages. */
    private static String shorten(JsonElement value) {
        String text =
                value instanceof JsonPrimitive p && p.isString() ? "\"" + p.getAsString() + "\"" : value.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
