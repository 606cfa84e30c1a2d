package io.tl4j.serving;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/** Parses a predict request body, {@code {"inputs": [...]}}, into strings (text) and float arrays. */
final class InputParser {

    private InputParser() {}

    /** Returns the inputs of a JSON body, or throws a 400 naming the field at fault. */
    static List<Object> parse(String body) {
        JsonElement root;
        try {
            root = JsonParser.parseString(body);
        } catch (JsonParseException e) {
            throw badInput("The body is not valid JSON: " + e.getMessage(), null);
        }
        if (!root.isJsonObject() || !root.getAsJsonObject().has("inputs")) {
            throw badInput("The body must be a JSON object with an 'inputs' array", "inputs");
        }
        JsonElement inputs = ((JsonObject) root).get("inputs");
        if (!inputs.isJsonArray() || inputs.getAsJsonArray().isEmpty()) {
            throw badInput("'inputs' must be a non-empty array", "inputs");
        }
        List<Object> parsed = new ArrayList<>();
        JsonArray array = inputs.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            parsed.add(parseOne(array.get(i), "inputs[" + i + "]"));
        }
        return parsed;
    }

    private static Object parseOne(JsonElement element, String field) {
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            return element.getAsString();
        }
        if (!element.isJsonArray()) {
            throw badInput(field + " must be a string (text) or an array of numbers", field);
        }
        JsonArray numbers = element.getAsJsonArray();
        float[] values = new float[numbers.size()];
        for (int j = 0; j < values.length; j++) {
            JsonElement value = numbers.get(j);
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
                throw badInput(field + "[" + j + "] is " + value + ", not a number", field + "[" + j + "]");
            }
            values[j] = value.getAsFloat();
            if (!Float.isFinite(values[j])) {
                throw badInput(field + "[" + j + "] is not a finite float", field + "[" + j + "]");
            }
        }
        return values;
    }

    private static ApiException badInput(String message, String field) {
        return new ApiException(400, "bad_input", message, field);
    }
}
