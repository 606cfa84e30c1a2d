package io.tl4j.speech.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.weights.SafeTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tensors of a Hugging Face wav2vec2 / HuBERT checkpoint sorted into the encoder's and the CTC
 * head's, under the bare model's names.
 *
 * <p>The {@code wav2vec2.} / {@code hubert.} prefix of {@code Wav2Vec2ForCTC}-style checkpoints is
 * removed, and newer Transformers' {@code pos_conv_embed.conv.parametrizations.weight.original0/
 * original1} become {@code weight_g/weight_v}. {@code lm_head.*} is the CTC head. Tensors that
 * belong to no part of the network tl4j builds are set aside by name and logged: {@code
 * masked_spec_embed} (Hugging Face's training-time masking vector), the pretraining heads ({@code
 * quantizer.*}, {@code project_hid.*}, {@code project_q.*}) and sequence-classification heads
 * ({@code projector.*}, {@code classifier.*}). Everything else must match the encoder exactly when
 * loaded.
 */
public final class Wav2Vec2Weights {

    private static final Logger LOG = LoggerFactory.getLogger(Wav2Vec2Weights.class);
    private static final List<String> SET_ASIDE_PREFIXES =
            List.of("quantizer.", "project_hid.", "project_q.", "projector.", "classifier.");

    private final Map<String, NDArray> encoder;
    private final Map<String, NDArray> ctcHead;
    private final List<String> setAside;

    private Wav2Vec2Weights(Map<String, NDArray> encoder, Map<String, NDArray> ctcHead, List<String> setAside) {
        this.encoder = Collections.unmodifiableMap(encoder);
        this.ctcHead = Collections.unmodifiableMap(ctcHead);
        this.setAside = List.copyOf(setAside);
    }

    /**
     * Reads and sorts the tensors of a {@code model.safetensors} file.
     *
     * @param file the file
     * @param manager owns the tensors
     * @return the sorted tensors
     * @throws io.tl4j.core.weights.WeightFileException when the file is malformed, naming it
     */
    public static Wav2Vec2Weights read(Path file, NDManager manager) {
        return sort(file, SafeTensors.read(file, manager));
    }

    /**
     * Sorts tensors named as in a Hugging Face checkpoint.
     *
     * @param source where they came from, for the log
     * @param tensors the tensors by checkpoint name
     * @return the sorted tensors
     */
    public static Wav2Vec2Weights sort(Path source, Map<String, NDArray> tensors) {
        String prefix = modelPrefix(tensors.keySet());
        Map<String, NDArray> encoder = new LinkedHashMap<>();
        Map<String, NDArray> head = new LinkedHashMap<>();
        List<String> setAside = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("lm_head.")) {
                head.put(name.substring("lm_head.".length()), e.getValue());
                continue;
            }
            if (!prefix.isEmpty() && name.startsWith(prefix)) {
                name = name.substring(prefix.length());
            }
            name = name.replace("pos_conv_embed.conv.parametrizations.weight.original0", "pos_conv_embed.conv.weight_g")
                    .replace("pos_conv_embed.conv.parametrizations.weight.original1", "pos_conv_embed.conv.weight_v");
            if (name.equals("masked_spec_embed") || SET_ASIDE_PREFIXES.stream().anyMatch(name::startsWith)) {
                setAside.add(e.getKey());
            } else {
                encoder.put(name, e.getValue());
            }
        }
        if (!setAside.isEmpty()) {
            LOG.info("{}: set aside {} tensors the encoder does not use: {}", source, setAside.size(), setAside);
        }
        return new Wav2Vec2Weights(encoder, head, setAside);
    }

    private static String modelPrefix(Iterable<String> names) {
        for (String candidate : List.of("wav2vec2.", "hubert.")) {
            for (String name : names) {
                if (name.startsWith(candidate)) {
                    return candidate;
                }
            }
        }
        return "";
    }

    /** Returns the encoder's tensors under the bare model's Hugging Face names. */
    public Map<String, NDArray> encoder() {
        return encoder;
    }

    /** Returns the CTC head's tensors ({@code weight}, {@code bias}); empty when the checkpoint has none. */
    public Map<String, NDArray> ctcHead() {
        return ctcHead;
    }

    /** Returns the checkpoint names of the tensors set aside (not used by tl4j's network). */
    public List<String> setAside() {
        return setAside;
    }
}
