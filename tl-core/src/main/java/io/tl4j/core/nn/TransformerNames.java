package io.tl4j.core.nn;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names the parts of a {@link TransformerEncoderLayer} as a reference implementation names them, in
 * the order its {@code state_dict} lists them. A name may contain dots ({@code
 * attention.self.query}), so the layer's parameter names follow the reference's nesting: Hugging
 * Face's BERT, torchaudio's wav2vec2 and torchvision's ViT all map onto the one layer.
 */
public final class TransformerNames {

    /** A part of an encoder layer. */
    public enum Part {
        /** The query projection, a {@link TorchLinear} (absent when {@link #PACKED_QKV} is used). */
        QUERY,
        /** The key projection, a {@link TorchLinear} (absent when {@link #PACKED_QKV} is used). */
        KEY,
        /** The value projection, a {@link TorchLinear} (absent when {@link #PACKED_QKV} is used). */
        VALUE,
        /** Query, key and value projections packed in one {@link PackedQkvProjection}. */
        PACKED_QKV,
        /** The attention's output projection, a {@link TorchLinear}. */
        ATTENTION_OUTPUT,
        /** The LayerNorm paired with attention: before it (pre-norm) or after its residual sum. */
        ATTENTION_NORM,
        /** The feed-forward layer that widens, a {@link TorchLinear}. */
        FEED_FORWARD_IN,
        /** The feed-forward layer that narrows back, a {@link TorchLinear}. */
        FEED_FORWARD_OUT,
        /** The LayerNorm paired with the feed-forward part: before it (pre-norm) or after its residual sum. */
        FEED_FORWARD_NORM
    }

    private final Map<Part, String> names;

    private TransformerNames(Map<Part, String> names) {
        this.names = Collections.unmodifiableMap(names);
    }

    /**
     * Starts naming the parts, in {@code state_dict} order.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the names by part, in {@code state_dict} order. */
    public Map<Part, String> parts() {
        return names;
    }

    /** Tells whether queries, keys and values come from one packed projection. */
    public boolean packed() {
        return names.containsKey(Part.PACKED_QKV);
    }

    @Override
    public String toString() {
        return names.toString();
    }

    /** Collects the names of the parts, in {@code state_dict} order. */
    public static final class Builder {
        private final Map<Part, String> names = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Names a part; parts are laid out in the order they are added.
         *
         * @param part the part
         * @param name its name within the layer, dots allowed between non-empty segments
         * @return this builder
         * @throws IllegalArgumentException for a part named twice or a malformed name
         */
        public Builder add(Part part, String name) {
            if (name == null || name.isBlank() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
                throw new IllegalArgumentException("Malformed name for " + part + ": '" + name + "'");
            }
            if (names.putIfAbsent(part, name) != null) {
                throw new IllegalArgumentException(part + " is named twice");
            }
            return this;
        }

        /**
         * Checks that every part is named once: separate or packed query, key and value projections,
         * not both.
         *
         * @return the names
         * @throws IllegalArgumentException naming the missing or conflicting parts
         */
        public TransformerNames build() {
            EnumMap<Part, String> given = new EnumMap<>(Part.class);
            given.putAll(names);
            boolean packed = given.containsKey(Part.PACKED_QKV);
            for (Part part : Part.values()) {
                boolean separateProjection = part == Part.QUERY || part == Part.KEY || part == Part.VALUE;
                boolean wanted = part == Part.PACKED_QKV ? packed : !separateProjection || !packed;
                if (wanted != given.containsKey(part)) {
                    throw new IllegalArgumentException((wanted ? "Missing " : "Unexpected ") + part + " among " + names
                            + (separateProjection ? " (QUERY/KEY/VALUE or PACKED_QKV)" : ""));
                }
            }
            return new TransformerNames(new LinkedHashMap<>(names));
        }
    }
}
