package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.weights.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiny BERT of {@code src/test/python/make_tiny_bert_fixture.py}: the same weight formula, written
 * as a Hugging Face model directory (BertForPreTraining names), and the script's expected outputs.
 */
public final class TinyBert {

    /** The script's expected outputs, names and configuration. */
    public static final JsonObject EXPECTED = load();

    private TinyBert() {}

    private static JsonObject load() {
        try (InputStream in = TinyBert.class.getClassLoader().getResourceAsStream("tiny-bert-expected.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the tiny BERT's configuration. */
    public static BertConfig config() {
        return BertConfig.fromJson(EXPECTED.getAsJsonObject("config").toString());
    }

    /**
     * Returns the TensorFlow SavedModel directory of the tiny BERT ({@code variables/}, {@code assets/}).
     *
     * @return the directory
     */
    public static Path tfSavedModel() {
        try {
            return Path.of(TinyBert.class
                            .getClassLoader()
                            .getResource("tiny-bert-tf/assets/vocab.txt")
                            .toURI())
                    .getParent()
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> texts() {
        List<String> texts = new ArrayList<>();
        EXPECTED.getAsJsonArray("texts").forEach(t -> texts.add(t.getAsString()));
        return texts;
    }

    /** The shared formula: a sine wave whose phase comes from the name's characters. */
    public static float[] values(String name, long size) {
        double phase = name.chars().sum() % 1000 * 0.01;
        double scale = name.endsWith("embeddings.weight") ? 0.5 : 0.2;
        double base = name.endsWith("LayerNorm.weight") ? 1.0 : 0.0;
        float[] v = new float[(int) size];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) (base + scale * Math.sin(0.7 * k + phase));
        }
        return v;
    }

    /** The checkpoint's tensors by name, as BertForPreTraining saves them (plus the tied decoder weight). */
    static Map<String, NDArray> tensors(NDManager manager, BertConfig c) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (JsonElement e : EXPECTED.getAsJsonArray("names")) {
            String name = e.getAsString();
            Shape shape = shapeOf(name, c);
            tensors.put(name, manager.create(values(name, shape.size()), shape));
        }
        tensors.put("cls.predictions.decoder.weight", tensors.get("bert.embeddings.word_embeddings.weight"));
        return tensors;
    }

    private static Shape shapeOf(String name, BertConfig c) {
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        if (name.endsWith("word_embeddings.weight")) {
            return new Shape(c.vocabSize(), h);
        } else if (name.endsWith("position_embeddings.weight")) {
            return new Shape(c.maxPositions(), h);
        } else if (name.endsWith("token_type_embeddings.weight")) {
            return new Shape(c.typeVocabSize(), h);
        } else if (name.equals("cls.predictions.bias")) {
            return new Shape(c.vocabSize());
        } else if (name.startsWith("cls.seq_relationship.")) {
            return name.endsWith("weight") ? new Shape(2, h) : new Shape(2);
        } else if (name.endsWith("intermediate.dense.weight")) {
            return new Shape(i, h);
        } else if (name.endsWith("intermediate.dense.bias")) {
            return new Shape(i);
        } else if (name.endsWith("output.dense.weight") && !name.contains("attention")) {
            return new Shape(h, i);
        } else if (name.endsWith(".weight") && !name.endsWith("LayerNorm.weight")) {
            return new Shape(h, h);
        }
        return new Shape(h);
    }

    /**
     * Writes config.json, vocab.txt and model.safetensors.
     *
     * @param dir the directory
     * @param edit changes the tensors before writing (null: none)
     * @return the directory
     */
    public static Path write(Path dir, java.util.function.Consumer<Map<String, NDArray>> edit) {
        try (NDManager manager = NDManager.newBaseManager()) {
            BertConfig c = config();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), c.toJson());
            List<String> vocab = new ArrayList<>();
            JsonArray words = EXPECTED.getAsJsonArray("vocab");
            words.forEach(w -> vocab.add(w.getAsString()));
            Files.write(dir.resolve("vocab.txt"), vocab);
            Map<String, NDArray> tensors = tensors(manager, c);
            if (edit != null) {
                edit.accept(tensors);
            }
            SafeTensors.write(dir.resolve("model.safetensors"), tensors);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
