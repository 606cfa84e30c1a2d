package io.tl4j.core.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration records written as JSON objects and read back strictly. */
class ConfigJsonTest {

    enum Mode {
        FAST,
        EXACT
    }

    record Inner(int count, List<String> names) {}

    record Settings(
            int width,
            long big,
            float rate,
            double range,
            boolean flag,
            String label,
            Mode mode,
            List<Float> means,
            Inner inner,
            JsonObject external,
            Inner optional) {

        Settings {
            if (width < 0) {
                throw new IllegalArgumentException("Settings 'width' = " + width + " is negative");
            }
        }
    }

    private static final Settings SETTINGS = new Settings(
            3,
            1L << 40,
            0.1f,
            1e-12,
            true,
            "a \"b\" <c>",
            Mode.EXACT,
            List.of(0.485f, 0.456f, 1e-7f),
            new Inner(2, List.of("x", "y")),
            JsonParser.parseString("{\"hidden_size\": 384, \"act\": \"gelu\"}").getAsJsonObject(),
            null);

    @Test
    void aRecordRoundTripsExactly() {
        JsonObject json = ConfigJson.write(SETTINGS);
        assertThat(json.keySet())
                .containsExactly(
                        "width", "big", "rate", "range", "flag", "label", "mode", "means", "inner", "external");
        assertThat(json.get("means").toString()).isEqualTo("[0.485,0.456,1.0E-7]");
        Settings back = ConfigJson.read(JsonParser.parseString(json.toString()).getAsJsonObject(), Settings.class);
        assertThat(back).isEqualTo(SETTINGS);
        assertThat(Float.floatToIntBits(back.means().get(2))).isEqualTo(Float.floatToIntBits(1e-7f));
    }

    @Test
    void anUnknownKeyIsNamedWithTheSettings() {
        assertThatThrownBy(() -> read(json -> json.getAsJsonObject("inner").addProperty("cuont", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'inner.cuont' is not a setting of Inner; its settings: [count, names]");
    }

    @Test
    void aMissingPrimitiveIsNamedAndAMissingObjectIsNull() {
        assertThatThrownBy(() -> read(json -> json.remove("rate")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'rate' is missing");
        assertThat(read(json -> json.remove("label")).label()).isNull();
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithIt() {
        assertThatThrownBy(() -> read(json -> json.addProperty("width", "3")))
                .hasMessage("'width' is \"3\", not an integer");
        assertThatThrownBy(() -> read(json -> json.addProperty("width", 2.5)))
                .hasMessage("'width' is 2.5, not an integer");
        assertThatThrownBy(() -> read(json -> json.addProperty("big", 1e30)))
                .hasMessage("'big' is 1.0E30, not an integer from -9223372036854775808 to 9223372036854775807");
        assertThatThrownBy(() -> read(json -> json.addProperty("flag", "yes")))
                .hasMessage("'flag' is \"yes\", not true or false");
        assertThatThrownBy(() -> read(json -> json.addProperty("mode", "SLOW")))
                .hasMessage("'mode' is \"SLOW\"; allowed: [FAST, EXACT]");
        assertThatThrownBy(() -> read(json -> json.addProperty("means", "0.4,0.5")))
                .hasMessage("'means' is \"0.4,0.5\", not an array");
        assertThatThrownBy(() -> read(json -> json.getAsJsonArray("means").add("x")))
                .hasMessage("'means[3]' is \"x\", not a number");
        assertThatThrownBy(() -> read(json -> json.addProperty("inner", 4)))
                .hasMessage("'inner' is 4, not a JSON object");
    }

    @Test
    void theRecordsOwnChecksRun() {
        assertThatThrownBy(() -> read(json -> json.addProperty("width", -1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Settings 'width' = -1 is negative");
    }

    private static Settings read(java.util.function.Consumer<JsonObject> edit) {
        JsonObject json = ConfigJson.write(SETTINGS);
        edit.accept(json);
        return ConfigJson.read(json, Settings.class);
    }
}
