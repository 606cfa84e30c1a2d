package io.tl4j.core;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializationContext;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonSerializationContext;
import com.google.gson.JsonSerializer;
import io.tl4j.core.persist.ModelDescriptor;
import io.tl4j.core.persist.ModelFormatException;
import io.tl4j.core.train.LearningRateSchedule;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * Writes a {@link TrainingConfig} as JSON and reads it back: every record component under its own
 * name, the head as its saved configuration, the schedule as {@code {"kind": ..., parameters}}.
 * Absent optional settings are written as {@code null}, so two configurations' JSON have the same
 * fields and can be compared field by field (a pretty-printed {@code model.json} drops the nulls; reading
 * accepts that).
 */
final class TrainingConfigJson {

    private static final Map<String, Class<? extends LearningRateSchedule>> SCHEDULES = Map.of(
            "constant", LearningRateSchedule.Constant.class,
            "warmupCosine", LearningRateSchedule.WarmupCosine.class,
            "oneCycle", LearningRateSchedule.OneCycle.class,
            "exponential", LearningRateSchedule.Exponential.class);

    /**
     * The settings that may be absent: a saved model.json leaves the null ones out, and one saved before
     * {@code featuresOnOnnxRuntime} existed lacks it (read as false, the engine).
     */
    private static final java.util.Set<String> OPTIONAL = java.util.Set.of("earlyStopping", "featuresOnOnnxRuntime");

    private TrainingConfigJson() {}

    /**
     * Returns the configuration as a JSON object.
     *
     * @param config the configuration
     * @return its JSON, fields in the record's order
     */
    static JsonObject toJson(TrainingConfig config) {
        return gson(null).toJsonTree(config).getAsJsonObject();
    }

    /**
     * Reads a configuration written by {@link #toJson}.
     *
     * @param json the JSON object
     * @param head the model's head, which the saved model describes elsewhere and which a custom head
     *     cannot be rebuilt from
     * @return the configuration
     * @throws JsonParseException when a field is missing or malformed; the message names it
     */
    static TrainingConfig fromJson(JsonObject json, Head head) {
        for (java.lang.reflect.RecordComponent component : TrainingConfig.class.getRecordComponents()) {
            if (!json.has(component.getName()) && !OPTIONAL.contains(component.getName())) {
                throw new JsonParseException("field '" + component.getName() + "' is missing");
            }
        }
        try {
            return gson(head).fromJson(json, TrainingConfig.class);
        } catch (RuntimeException e) {
            // a setting out of range: TrainingConfig's constructor says which, under Gson's own message
            Throwable cause = e;
            while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new JsonParseException(
                    cause instanceof IllegalArgumentException ? cause.getMessage() : e.getMessage(), e);
        }
    }

    /**
     * Reads the training configuration a saved model records.
     *
     * @param descriptor the model's descriptor
     * @param head the model's head
     * @return the configuration, or null for a model saved without one
     * @throws ModelFormatException naming the file and the field when it is malformed
     */
    static TrainingConfig read(ModelDescriptor descriptor, Head head) {
        return descriptor
                .training()
                .map(training -> {
                    try {
                        return fromJson(training.json(), head);
                    } catch (JsonParseException e) {
                        throw descriptor
                                .fields()
                                .error("training", "is not a readable training configuration: " + e.getMessage());
                    }
                })
                .orElse(null);
    }

    private static Gson gson(Head head) {
        return new GsonBuilder()
                .serializeNulls()
                .serializeSpecialFloatingPointValues()
                .registerTypeAdapter(Head.class, new HeadAdapter(head))
                .registerTypeAdapter(LearningRateSchedule.class, new ScheduleAdapter())
                .create();
    }

    /** Writes a head as its configuration; reads back the model's head. */
    private record HeadAdapter(Head head) implements JsonSerializer<Head>, JsonDeserializer<Head> {
        @Override
        public JsonElement serialize(Head h, Type type, JsonSerializationContext context) {
            return context.serialize(h.config());
        }

        @Override
        public Head deserialize(JsonElement element, Type type, JsonDeserializationContext context) {
            return head;
        }
    }

    /** Writes a schedule as its record's fields plus {@code kind}, and reads it back. */
    private static final class ScheduleAdapter
            implements JsonSerializer<LearningRateSchedule>, JsonDeserializer<LearningRateSchedule> {
        @Override
        public JsonElement serialize(LearningRateSchedule schedule, Type type, JsonSerializationContext context) {
            JsonObject object = new JsonObject();
            object.addProperty(
                    "kind",
                    SCHEDULES.entrySet().stream()
                            .filter(e -> e.getValue() == schedule.getClass())
                            .findFirst()
                            .orElseThrow()
                            .getKey());
            context.serialize(schedule).getAsJsonObject().entrySet().forEach(e -> object.add(e.getKey(), e.getValue()));
            return object;
        }

        @Override
        public LearningRateSchedule deserialize(JsonElement element, Type type, JsonDeserializationContext context) {
            JsonElement kind = element.getAsJsonObject().get("kind");
            Class<? extends LearningRateSchedule> recordType = kind == null ? null : SCHEDULES.get(kind.getAsString());
            if (recordType == null) {
                throw new JsonParseException("schedule 'kind' = " + kind + " is not one of " + SCHEDULES.keySet());
            }
            return context.deserialize(element, recordType);
        }
    }
}
