package io.tl4j.nlp.baseline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns texts into TF-IDF bag-of-words vectors, as scikit-learn's {@code TfidfVectorizer} with
 * {@code sublinear_tf=True} does: tokens are lower-cased runs of two or more letters, digits or
 * underscores; a token's weight is {@code (1 + ln tf) · (1 + ln((1 + n) / (1 + df)))}; each vector
 * is scaled to unit length. The vocabulary and document frequencies come from the texts it is
 * fitted on only; unseen tokens are ignored.
 */
public final class TfIdfVectorizer {

    private final Map<String, Integer> vocabulary;
    private final float[] idf;

    private TfIdfVectorizer(Map<String, Integer> vocabulary, float[] idf) {
        this.vocabulary = vocabulary;
        this.idf = idf;
    }

    /**
     * Fits the vocabulary and inverse document frequencies to the training texts.
     *
     * @param texts the training texts
     * @param minDocumentFrequency keep tokens that occur in at least this many texts
     * @return the fitted vectorizer
     * @throws IllegalArgumentException when no token is frequent enough
     */
    public static TfIdfVectorizer fit(List<String> texts, int minDocumentFrequency) {
        Map<String, Integer> df = new TreeMap<>();
        for (String text : texts) {
            for (String token : tokenize(text).keySet()) {
                df.merge(token, 1, Integer::sum);
            }
        }
        Map<String, Integer> vocabulary = new HashMap<>();
        List<Float> idf = new ArrayList<>();
        df.forEach((token, count) -> {
            if (count >= minDocumentFrequency) {
                vocabulary.put(token, vocabulary.size());
                idf.add((float) (1 + Math.log((1.0 + texts.size()) / (1.0 + count))));
            }
        });
        if (vocabulary.isEmpty()) {
            throw new IllegalArgumentException(
                    "No token occurs in " + minDocumentFrequency + " or more of the " + texts.size() + " texts");
        }
        float[] weights = new float[idf.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = idf.get(i);
        }
        return new TfIdfVectorizer(vocabulary, weights);
    }

    /** Returns the number of features: the vocabulary size. */
    public int dimension() {
        return idf.length;
    }

    /**
     * Returns a text's TF-IDF vector, of unit length (all zero when it has no known token).
     *
     * @param text a text
     * @return its TF-IDF vector, of unit length (all zero when it has no known token)
     */
    public SparseVector transform(String text) {
        TreeMap<Integer, Float> weights = new TreeMap<>();
        tokenize(text).forEach((token, count) -> {
            Integer index = vocabulary.get(token);
            if (index != null) {
                weights.put(index, (float) ((1 + Math.log(count)) * idf[index]));
            }
        });
        double norm =
                Math.sqrt(weights.values().stream().mapToDouble(v -> v * v).sum());
        int[] indices = new int[weights.size()];
        float[] values = new float[weights.size()];
        int i = 0;
        for (Map.Entry<Integer, Float> e : weights.entrySet()) {
            indices[i] = e.getKey();
            values[i] = (float) (e.getValue() / norm);
            i++;
        }
        return new SparseVector(indices, values);
    }

    /**
     * Splits a text into tokens and counts them.
     *
     * @param text a text
     * @return its tokens with their counts
     */
    static Map<String, Integer> tokenize(String text) {
        Map<String, Integer> counts = new HashMap<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean word = i < lower.length() && isWordChar(lower.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                if (i - start >= 2) {
                    counts.merge(lower.substring(start, i), 1, Integer::sum);
                }
                start = -1;
            }
        }
        return counts;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
