package io.tl4j.speech.wav2vec2;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The characters a CTC head predicts, as in Hugging Face's {@code Wav2Vec2CTCTokenizer}: id 0 is
 * the blank {@code <pad>}, a space is written {@code |}, every other token is one character.
 * Special tokens such as {@code <s>}, {@code </s>}, {@code <unk>} are decoded to nothing.
 */
public final class CtcVocabulary {

    /** The blank token. */
    public static final String BLANK = "<pad>";
    /** The token standing for a space between words. */
    public static final String WORD_DELIMITER = "|";

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int blank;

    private CtcVocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.put(tokens.get(i), i) != null) {
                throw new IllegalArgumentException("token '" + tokens.get(i) + "' appears twice");
            }
        }
        Integer b = ids.get(BLANK);
        if (b == null) {
            throw new IllegalArgumentException("the vocabulary has no blank token " + BLANK);
        }
        this.blank = b;
    }

    /**
     * A vocabulary for a new language: the blank, then {@code |} when the alphabet has a space, then
     * each distinct character of {@code alphabet} in order.
     *
     * @param alphabet every character the transcripts may contain
     * @return the vocabulary
     */
    public static CtcVocabulary ofCharacters(String alphabet) {
        Set<String> tokens = new LinkedHashSet<>();
        tokens.add(BLANK);
        alphabet.codePoints().forEach(c -> tokens.add(c == ' ' ? WORD_DELIMITER : new String(Character.toChars(c))));
        return new CtcVocabulary(new ArrayList<>(tokens));
    }

    /**
     * Reads a Hugging Face {@code vocab.json} (token to id; ids 0..n-1).
     *
     * @param file the file
     * @return the vocabulary
     * @throws IllegalArgumentException naming the file when ids are not 0..n-1 or the blank is missing
     */
    public static CtcVocabulary fromVocabJson(Path file) {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            String[] tokens = new String[o.size()];
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                int id = e.getValue().getAsInt();
                if (id < 0 || id >= tokens.length || tokens[id] != null) {
                    throw new IllegalArgumentException("token '" + e.getKey() + "' has id " + id + "; ids must be 0.."
                            + (tokens.length - 1) + ", each once");
                }
                tokens[id] = e.getKey();
            }
            return new CtcVocabulary(List.of(tokens));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Returns the number of tokens, the CTC head's output size. */
    public int size() {
        return tokens.size();
    }

    /** Returns the blank's id. */
    public int blank() {
        return blank;
    }

    /** Returns the tokens by id. */
    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }

    /**
     * Encodes a transcript as ids, a space becoming {@code |}.
     *
     * @param text a transcript
     * @return its ids, a space becoming {@code |}
     * @throws IllegalArgumentException naming the character and its position when it is not in the
     *     vocabulary
     */
    public int[] encode(String text) {
        int[] encoded = new int[text.codePointCount(0, text.length())];
        int k = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            String token = c == ' ' ? WORD_DELIMITER : new String(Character.toChars(c));
            Integer id = ids.get(token);
            if (id == null) {
                throw new IllegalArgumentException(
                        "character '" + token + "' at position " + k + " of \"" + text + "\" is not in the vocabulary");
            }
            encoded[k++] = id;
            i += Character.charCount(c);
        }
        return encoded;
    }

    /**
     * Decodes ids to text; {@code |} becomes a space, special tokens in angle brackets are dropped.
     *
     * @param ids decoded ids (blanks already removed, as {@link CtcGreedyDecoder} returns them)
     * @return the text; {@code |} becomes a space, special tokens in angle brackets are dropped
     */
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            String token = tokens.get(id);
            if (token.equals(WORD_DELIMITER)) {
                text.append(' ');
            } else if (!(token.length() > 2 && token.startsWith("<") && token.endsWith(">"))) {
                text.append(token);
            }
        }
        return text.toString().strip();
    }
}
