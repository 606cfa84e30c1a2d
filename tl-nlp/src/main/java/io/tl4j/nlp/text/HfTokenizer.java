package io.tl4j.nlp.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face {@code tokenizer.json} (a WordPiece model, as BERT checkpoints ship), run by DJL's
 * binding of the Rust {@code tokenizers} library. Truncation and padding in the file are switched
 * off: {@link TextEncoder} applies its own.
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {

    private final String json;
    private final HuggingFaceTokenizer tokenizer;
    private final String[] tokens;
    private final Map<String, Long> ids;

    private HfTokenizer(String json, String source) {
        this.json = json;
        Map<String, Long> vocab = new HashMap<>();
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            JsonObject model = root.getAsJsonObject("model");
            if (model == null || !model.has("vocab") || !model.get("vocab").isJsonObject()) {
                throw new IllegalArgumentException("Tokenizer " + source
                        + " has no model.vocab map; only WordPiece tokenizers (BERT's) are supported");
            }
            for (Map.Entry<String, JsonElement> e :
                    model.getAsJsonObject("vocab").entrySet()) {
                vocab.put(e.getKey(), e.getValue().getAsLong());
            }
            if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
                for (JsonElement added : root.getAsJsonArray("added_tokens")) {
                    JsonObject t = added.getAsJsonObject();
                    vocab.put(t.get("content").getAsString(), t.get("id").getAsLong());
                }
            }
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException(
                    "Tokenizer " + source + " is not valid tokenizer.json: " + e.getMessage(), e);
        }
        long size = vocab.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
        this.tokens = new String[(int) size];
        vocab.forEach((token, id) -> tokens[id.intValue()] = token);
        this.ids = vocab;
        for (String special : List.of(CLS, SEP, PAD, UNK)) {
            if (!ids.containsKey(special)) {
                throw new IllegalArgumentException("Tokenizer " + source + " has no " + special + " token");
            }
        }
        try (InputStream in = new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(
                    in, Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Tokenizer " + source + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a WordPiece tokenizer from a Hugging Face {@code tokenizer.json} file.
     *
     * @param file a {@code tokenizer.json}
     * @return the tokenizer
     * @throws IllegalArgumentException naming the file when it is not a WordPiece tokenizer.json
     */
    public static HfTokenizer read(Path file) {
        try {
            return new HfTokenizer(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tokenizer " + file, e);
        }
    }

    /**
     * Reads a WordPiece tokenizer from the bytes of a Hugging Face {@code tokenizer.json}.
     *
     * @param stream the bytes of a {@code tokenizer.json} (a classpath resource, say)
     * @param source a name for it in error messages
     * @return the tokenizer
     */
    public static HfTokenizer read(InputStream stream, String source) {
        try {
            return new HfTokenizer(new String(stream.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tokenizer " + source, e);
        }
    }

    /**
     * The configuration of an {@link HfTokenizer}, as saved pipelines store it.
     *
     * @param tokenizer the content of its {@code tokenizer.json}
     */
    public record Config(JsonObject tokenizer) {}

    /**
     * Rebuilds a tokenizer from {@link #config()}.
     *
     * @param config the configuration
     * @return the tokenizer
     */
    public static HfTokenizer fromConfig(Config config) {
        return new HfTokenizer(
                Objects.requireNonNull(config.tokenizer(), "HfTokenizer config has no 'tokenizer'")
                        .toString(),
                "saved pipeline");
    }

    /** Returns the vocabulary, the i-th token having id i (null where an id is unused). */
    public List<String> vocabulary() {
        return Arrays.asList(tokens.clone());
    }

    @Override
    public List<String> tokenize(String text) {
        return List.of(encoding(text).getTokens());
    }

    @Override
    public long[] encode(String text) {
        return encoding(text).getIds();
    }

    /**
     * One native call for the whole list (parallel in Rust), then one call per text for its ids.
     * DJL's {@code batchEncode} would also fetch each text's tokens, word ids, masks and character
     * spans (eight calls per text, most of the tokenising time); this tokenizer is made without
     * DJL's Java-side options (no {@code doLowerCase}), so the native encoding is the whole answer.
     */
    @Override
    public long[][] encodeAll(List<String> texts) {
        String[] array = texts.toArray(new String[0]);
        for (int i = 0; i < array.length; i++) {
            if (array[i] == null) {
                throw new IllegalArgumentException("Text " + i + " of the batch is null");
            }
        }
        long[] encodings = TokenizersLibrary.LIB.batchEncode(tokenizer.getHandle(), array, false);
        long[][] out = new long[encodings.length][];
        try {
            for (int i = 0; i < out.length; i++) {
                out[i] = TokenizersLibrary.LIB.getTokenIds(encodings[i]);
            }
        } finally {
            for (long encoding : encodings) {
                TokenizersLibrary.LIB.deleteEncoding(encoding);
            }
        }
        return out;
    }

    private Encoding encoding(String text) {
        return tokenizer.encode(text, false, false);
    }

    @Override
    public long id(String token) {
        Long id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("Token '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    @Override
    public String token(long id) {
        if (id < 0 || id >= tokens.length || tokens[(int) id] == null) {
            throw new IllegalArgumentException("Token id " + id + " is outside the vocabulary of " + tokens.length);
        }
        return tokens[(int) id];
    }

    @Override
    public int vocabularySize() {
        return tokens.length;
    }

    @Override
    public Config config() {
        return new Config(JsonParser.parseString(json).getAsJsonObject());
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
