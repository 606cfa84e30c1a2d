package io.tl4j.nlp.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * BERT's own tokenizer from a {@code vocab.txt}: the basic tokenizer (drop control characters,
 * space out CJK characters, lower-case and strip accents when uncased, split on whitespace and
 * punctuation) then greedy longest-match WordPiece with {@code ##} continuations; a word longer
 * than 100 characters, or one that cannot be covered, becomes {@code [UNK]}. Special tokens
 * written in the text ({@code [MASK]}) stay whole.
 */
public final class WordPieceTokenizer implements TextTokenizer {

    private static final int MAX_WORD_CHARS = 100;
    private static final Set<String> SPECIAL = Set.of(CLS, SEP, PAD, MASK, UNK);

    private final List<String> vocabulary;
    private final Map<String, Integer> ids;
    private final boolean lowerCase;

    private WordPieceTokenizer(List<String> vocabulary, boolean lowerCase) {
        this.vocabulary = List.copyOf(vocabulary);
        this.lowerCase = lowerCase;
        Map<String, Integer> map = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            map.putIfAbsent(vocabulary.get(i), i);
        }
        if (!map.containsKey(UNK)) {
            throw new IllegalArgumentException("The vocabulary has no " + UNK + " token");
        }
        this.ids = Collections.unmodifiableMap(map);
    }

    /**
     * Creates a WordPiece tokenizer from a vocabulary.
     *
     * @param vocabulary the tokens, the i-th having id i
     * @param lowerCase true for uncased models (lower-case and strip accents)
     * @return the tokenizer
     */
    public static WordPieceTokenizer of(List<String> vocabulary, boolean lowerCase) {
        return new WordPieceTokenizer(vocabulary, lowerCase);
    }

    /**
     * Reads a {@code vocab.txt}: one token per line, line i (from 0) has id i.
     *
     * @param vocabFile the file
     * @param lowerCase true for uncased models
     * @return the tokenizer
     * @throws IllegalArgumentException naming the file when it is empty or lacks {@code [UNK]}
     */
    public static WordPieceTokenizer read(Path vocabFile, boolean lowerCase) {
        List<String> lines;
        try {
            lines = Files.readAllLines(vocabFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read vocabulary " + vocabFile, e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("Vocabulary " + vocabFile + " is empty");
        }
        try {
            return new WordPieceTokenizer(lines, lowerCase);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Vocabulary " + vocabFile + ": " + e.getMessage(), e);
        }
    }

    /** Tells whether text is lower-cased and stripped of accents. */
    public boolean isLowerCase() {
        return lowerCase;
    }

    @Override
    public List<String> tokenize(String text) {
        List<String> pieces = new ArrayList<>();
        for (String word : basicTokens(text)) {
            if (SPECIAL.contains(word)) {
                pieces.add(word);
            } else {
                wordPieces(word, pieces);
            }
        }
        return pieces;
    }

    @Override
    public long[] encode(String text) {
        List<String> pieces = tokenize(text);
        long[] out = new long[pieces.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.getOrDefault(pieces.get(i), ids.get(UNK));
        }
        return out;
    }

    @Override
    public long id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException("Token '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    @Override
    public String token(long id) {
        if (id < 0 || id >= vocabulary.size()) {
            throw new IllegalArgumentException("Token id " + id + " is outside the vocabulary of " + vocabulary.size());
        }
        return vocabulary.get((int) id);
    }

    @Override
    public int vocabularySize() {
        return vocabulary.size();
    }

    /**
     * The configuration of a {@link WordPieceTokenizer}, as saved pipelines store it.
     *
     * @param vocabulary the word pieces, the i-th having id i
     * @param lowerCase whether text is lower-cased and stripped of accents first
     */
    public record Config(List<String> vocabulary, boolean lowerCase) {}

    @Override
    public Config config() {
        return new Config(vocabulary, lowerCase);
    }

    /**
     * Rebuilds a tokenizer from {@link #config()}.
     *
     * @param config the configuration
     * @return the tokenizer
     */
    public static WordPieceTokenizer fromConfig(Config config) {
        return new WordPieceTokenizer(
                Objects.requireNonNull(config.vocabulary(), "WordPieceTokenizer config has no 'vocabulary'"),
                config.lowerCase());
    }

    /** The basic tokenizer: whitespace and punctuation split words, special tokens kept whole. */
    List<String> basicTokens(String text) {
        List<String> words = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int next = -1;
            String special = null;
            for (String s : SPECIAL) {
                int at = text.indexOf(s, start);
                if (at >= 0 && (next < 0 || at < next)) {
                    next = at;
                    special = s;
                }
            }
            int end = next < 0 ? text.length() : next;
            splitPlain(text.substring(start, end), words);
            if (special == null) {
                break;
            }
            words.add(special);
            start = next + special.length();
        }
        return words;
    }

    private void splitPlain(String text, List<String> words) {
        StringBuilder cleaned = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isWhitespace(cp)) {
                cleaned.append(' ');
            } else if (isCjk(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
            } else {
                cleaned.appendCodePoint(cp);
            }
        });
        for (String word : cleaned.toString().trim().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            if (lowerCase) {
                word = stripAccents(word.toLowerCase(Locale.ROOT));
            }
            StringBuilder current = new StringBuilder();
            for (int i = 0; i < word.length(); ) {
                int cp = word.codePointAt(i);
                i += Character.charCount(cp);
                if (isPunctuation(cp)) {
                    if (current.length() > 0) {
                        words.add(current.toString());
                        current.setLength(0);
                    }
                    words.add(new String(Character.toChars(cp)));
                } else {
                    current.appendCodePoint(cp);
                }
            }
            if (current.length() > 0) {
                words.add(current.toString());
            }
        }
    }

    private void wordPieces(String word, List<String> out) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(UNK);
            return;
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            String found = null;
            while (start < end) {
                String candidate = (start > 0 ? "##" : "") + word.substring(start, end);
                if (ids.containsKey(candidate)) {
                    found = candidate;
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                out.add(UNK);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces);
    }

    private static String stripAccents(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed
                .codePoints()
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                .forEach(out::appendCodePoint);
        return out.toString();
    }

    private static boolean isWhitespace(int cp) {
        return cp == ' '
                || cp == '\t'
                || cp == '\n'
                || cp == '\r'
                || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.PRIVATE_USE
                || type == Character.SURROGATE
                || type == Character.UNASSIGNED;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.CONNECTOR_PUNCTUATION
                || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
