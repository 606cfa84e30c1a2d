package io.tl4j.core.lora;

import java.util.List;

/**
 * The settings of a LoRA adaptation: rank, alpha (the update is scaled by alpha / rank), dropout
 * on the update's input, the linear layers it targets and the seed of {@code lora_A}'s random
 * start. Immutable; each setter returns a copy.
 *
 * <pre>{@code
 * LoraConfig config = LoraConfig.rank(8).alpha(16).dropout(0.1f);   // query and value layers
 * }</pre>
 *
 * @param rank the rank of each update
 * @param alpha the scaling numerator
 * @param dropout the dropout probability on each update's input in training
 * @param targets the linear layers adapted: a layer whose dotted path equals a target or ends with
 *     {@code "." + target}
 * @param seed seeds the random start of {@code lora_A}
 */
public record LoraConfig(int rank, float alpha, float dropout, List<String> targets, long seed) {

    /** The default targets: the attention query and value projections of Hugging Face BERT-family encoders. */
    public static final List<String> QUERY_VALUE = List.of("query", "value");

    /** Checks every setting. */
    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be at least 1, got " + rank);
        }
        if (!(alpha > 0) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoRA alpha must be positive and finite, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        targets = List.copyOf(targets);
        if (targets.isEmpty() || targets.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("LoRA needs at least one non-blank target layer name, got " + targets);
        }
    }

    /**
     * Returns the settings for a rank, with alpha equal to it (scale 1), no dropout, the {@link
     * #QUERY_VALUE} targets and seed 42.
     *
     * @param rank the rank of each update, at least 1
     * @return the settings
     */
    public static LoraConfig rank(int rank) {
        return new LoraConfig(rank, rank, 0f, QUERY_VALUE, 42);
    }

    /**
     * Returns a copy with another alpha.
     *
     * @param alpha the scaling numerator; the update is scaled by alpha / rank
     * @return the copy
     */
    public LoraConfig alpha(float alpha) {
        return new LoraConfig(rank, alpha, dropout, targets, seed);
    }

    /**
     * Returns a copy with another dropout.
     *
     * @param dropout the dropout probability on each update's input in training, in [0, 1)
     * @return the copy
     */
    public LoraConfig dropout(float dropout) {
        return new LoraConfig(rank, alpha, dropout, targets, seed);
    }

    /**
     * Returns a copy that adapts other linear layers.
     *
     * @param targets layer names or dotted-path suffixes ({@code "query"}, {@code "intermediate.dense"})
     * @return the copy
     */
    public LoraConfig targets(String... targets) {
        return new LoraConfig(rank, alpha, dropout, List.of(targets), seed);
    }

    /**
     * Returns a copy with another seed for {@code lora_A}'s random start.
     *
     * @param seed the seed
     * @return the copy
     */
    public LoraConfig seed(long seed) {
        return new LoraConfig(rank, alpha, dropout, targets, seed);
    }

    /** Returns alpha / rank, the factor each update's term is multiplied by. */
    public float scale() {
        return alpha / rank;
    }
}
