package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fixtures of {@code scripts/make_wav2vec2_fixtures.py} and the formulas they were made with. */
final class Golden {

    private Golden() {}

    static JsonObject json() {
        return JsonParser.parseString(resource("golden.json")).getAsJsonObject();
    }

    static String resource(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/wav2vec2/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource wav2vec2/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int nameSeed(String name) {
        long sum = 0;
        for (int j = 0; j < name.length(); j++) {
            sum += (long) (j + 1) * name.charAt(j);
        }
        return (int) (sum % 1009);
    }

    /** The script's {@code formula(name, shape)}. */
    static NDArray tensor(NDManager manager, String name, Shape shape) {
        int n = Math.toIntExact(shape.size());
        int seed = nameSeed(name);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double raw = Math.sin(0.37 * i + seed);
            double v;
            if (name.endsWith("layer_norm.weight") || name.endsWith("weight_g")) {
                v = 1.0 + 0.1 * raw;
            } else if (shape.dimension() == 1) {
                v = 0.1 * raw;
            } else {
                v = raw / Math.sqrt((double) (n / shape.get(0)));
            }
            values[i] = (float) v;
        }
        return manager.create(values, shape);
    }

    /** Formula weights for every tensor listed, by name. */
    static Map<String, NDArray> weights(NDManager manager, JsonObject shapes) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : shapes.entrySet()) {
            weights.put(
                    e.getKey(), tensor(manager, e.getKey(), shape(e.getValue().getAsJsonArray())));
        }
        return weights;
    }

    /** The script's {@code waveform(batch, samples)}. */
    static NDArray waveform(NDManager manager, int batch, int samples) {
        float[] values = new float[batch * samples];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < samples; i++) {
                values[b * samples + i] =
                        (float) (0.5 * Math.sin(0.05 * (i + 1) * (1 + 0.3 * b)) + 0.1 * Math.cos(0.37 * i + b));
            }
        }
        return manager.create(values, new Shape(batch, samples));
    }

    /** The script's {@code ctc_logits(batch, frames, vocab)}. */
    static NDArray ctcLogits(NDManager manager, int batch, int frames, int vocab) {
        float[] values = new float[batch * frames * vocab];
        int k = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < frames; t++) {
                for (int v = 0; v < vocab; v++) {
                    values[k++] = (float) (Math.sin(0.7 * t + 1.3 * v + 0.5 * b) * 2.0);
                }
            }
        }
        return manager.create(values, new Shape(batch, frames, vocab));
    }

    static Shape shape(JsonArray dims) {
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).getAsLong();
        }
        return new Shape(d);
    }

    static float[] floats(JsonArray values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i).getAsFloat();
        }
        return f;
    }

    static long[] longs(JsonArray values) {
        long[] l = new long[values.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = values.get(i).getAsLong();
        }
        return l;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
