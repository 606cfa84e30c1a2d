package io.tl4j.vision.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;
import io.tl4j.core.nn.TransformerEncoderLayer;
import io.tl4j.core.nn.TransformerLayerSpec;
import io.tl4j.core.nn.TransformerNames;
import io.tl4j.core.nn.TransformerNames.Part;

/**
 * torchvision's Vision Transformer ({@code vit_b_16}, {@code vit_b_32}, {@code vit_l_16}, or any
 * size) as a {@link LayeredBlock} whose parameter names are torchvision's {@code state_dict} keys:
 * {@code class_token}, {@code conv_proj.*}, {@code encoder.pos_embedding}, {@code
 * encoder.layers.encoder_layer_N.{ln_1, self_attention, ln_2, mlp.0, mlp.3}.*}, {@code encoder.ln.*},
 * {@code heads.head.*}. Each encoder layer is tl-core's shared pre-norm {@link
 * TransformerEncoderLayer} (the attention BERT and wav2vec2 use), with torchvision's packed {@code
 * in_proj}.
 *
 * <p>Layers, the names {@code freezeUntil} takes: {@code conv_proj} (patches to tokens), {@code
 * class_token} (prepended), {@code encoder} (adds the position embeddings), {@code
 * encoder.layers.encoder_layer_0} ... {@code _N-1}, {@code encoder.ln} (normalizes the class token:
 * the (batch, hidden) features) and, with a classifier, {@code heads}. Dropout is 0 as in
 * torchvision's pretrained ViTs, and frozen layers run in inference mode, so nothing random happens
 * in a frozen prefix.
 *
 * <p>Input: square images whose side is a multiple of the patch size. At another side than {@code
 * imageSize} the position embeddings are resized bicubically as torchvision's {@code
 * interpolate_embeddings} does.
 */
public final class VisionTransformer implements ImageArchitecture {

    /** The architecture id stored in saved models. */
    public static final String ID = "tl4j.vision.vit";

    /** torchvision's names of an encoder layer's parts, in its {@code state_dict} order. */
    public static final TransformerNames NAMES = TransformerNames.builder()
            .add(Part.ATTENTION_NORM, "ln_1")
            .add(Part.PACKED_QKV, "self_attention")
            .add(Part.ATTENTION_OUTPUT, "self_attention.out_proj")
            .add(Part.FEED_FORWARD_NORM, "ln_2")
            .add(Part.FEED_FORWARD_IN, "mlp.0")
            .add(Part.FEED_FORWARD_OUT, "mlp.3")
            .build();

    /** torchvision's LayerNorm epsilon. */
    public static final float TORCHVISION_EPS = 1e-6f;

    private final Config config;

    /**
     * The configuration of a Vision Transformer, as saved models store it.
     *
     * @param imageSize the side of the images the position embeddings were trained for
     * @param patchSize the side of a patch
     * @param numLayers the number of encoder layers
     * @param numHeads the attention heads per layer
     * @param hiddenDim the width of the tokens
     * @param mlpDim the width of the feed-forward part
     * @param layerNormEps the LayerNorms' epsilon (torchvision 1e-6, Hugging Face 1e-12)
     * @param numClasses the outputs of {@code heads.head} (1000 for ImageNet weights), or 0 for a
     *     backbone without it
     */
    public record Config(
            int imageSize,
            int patchSize,
            int numLayers,
            int numHeads,
            int hiddenDim,
            int mlpDim,
            float layerNormEps,
            int numClasses) {

        /**
         * Checks the sizes.
         *
         * @throws IllegalArgumentException for a non-positive size, an image side that is not a
         *     multiple of the patch, heads that do not divide the width, or negative classes
         */
        public Config {
            if (imageSize < 1 || patchSize < 1 || imageSize % patchSize != 0) {
                throw new IllegalArgumentException(
                        "ViT image size " + imageSize + " must be a positive multiple of the patch size " + patchSize);
            }
            if (numLayers < 1 || numHeads < 1 || hiddenDim % numHeads != 0 || mlpDim < 1 || !(layerNormEps > 0)) {
                throw new IllegalArgumentException("ViT needs layers, heads dividing the width, an MLP width and"
                        + " eps > 0: layers " + numLayers + ", heads " + numHeads + ", hidden " + hiddenDim
                        + ", mlp " + mlpDim + ", eps " + layerNormEps);
            }
            if (numClasses < 0) {
                throw new IllegalArgumentException("Number of classes must not be negative: " + numClasses);
            }
        }
    }

    private VisionTransformer(Config config) {
        this.config = config;
    }

    /**
     * Returns the Vision Transformer of a configuration.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static VisionTransformer of(Config config) {
        return new VisionTransformer(config);
    }

    /**
     * Returns torchvision's {@code vit_b_16}, {@code vit_b_32} or {@code vit_l_16} at 224 px.
     *
     * @param name one of those names
     * @param numClasses the classes of {@code heads.head}, or 0 for none
     * @return the architecture
     * @throws IllegalArgumentException for another name
     */
    public static VisionTransformer torchvision(String name, int numClasses) {
        return switch (name) {
            case "vit_b_16" -> of(new Config(224, 16, 12, 12, 768, 3072, TORCHVISION_EPS, numClasses));
            case "vit_b_32" -> of(new Config(224, 32, 12, 12, 768, 3072, TORCHVISION_EPS, numClasses));
            case "vit_l_16" -> of(new Config(224, 16, 24, 16, 1024, 4096, TORCHVISION_EPS, numClasses));
            default ->
                throw new IllegalArgumentException(
                        "No torchvision ViT '" + name + "'; tl4j builds vit_b_16, vit_b_32, vit_l_16");
        };
    }

    /**
     * Rebuilds a Vision Transformer from its {@link #config()}.
     *
     * @param config the configuration
     * @return the architecture
     */
    public static VisionTransformer fromConfig(Config config) {
        return of(config);
    }

    @Override
    public int numClasses() {
        return config.numClasses();
    }

    @Override
    public VisionTransformer withNumClasses(int numClasses) {
        Config c = config;
        return of(new Config(
                c.imageSize(),
                c.patchSize(),
                c.numLayers(),
                c.numHeads(),
                c.hiddenDim(),
                c.mlpDim(),
                c.layerNormEps(),
                numClasses));
    }

    /** Returns the name of encoder layer {@code index}, e.g. {@code encoder.layers.encoder_layer_0}. */
    public static String layerName(int index) {
        return "encoder.layers.encoder_layer_" + index;
    }

    /** Builds a new, uninitialized network of this architecture. */
    @Override
    public LayeredBlock newBlock(NDManager manager) {
        Config c = config;
        TransformerLayerSpec spec = new TransformerLayerSpec(
                c.hiddenDim(),
                c.numHeads(),
                c.mlpDim(),
                c.layerNormEps(),
                true,
                0f,
                0f,
                0f,
                Activation::gelu,
                TorchLinear::new,
                NAMES);
        LayeredBlock net = new LayeredBlock()
                .add("conv_proj", new PatchEmbedding(3, c.patchSize(), c.hiddenDim()))
                .add("class_token", new ClassToken(c.hiddenDim()))
                .add("encoder", new PositionEmbedding(c.imageSize() / c.patchSize(), c.hiddenDim()));
        for (int i = 0; i < c.numLayers(); i++) {
            net.add(layerName(i), new TransformerEncoderLayer(spec));
        }
        net.add("encoder.ln", new ClassTokenNorm(c.hiddenDim(), c.layerNormEps()));
        if (c.numClasses() > 0) {
            net.add("heads", new Heads(c.hiddenDim(), c.numClasses()));
        }
        return net;
    }

    @Override
    public String classifierPrefix() {
        return "heads.head.";
    }

    @Override
    public String firstConvolutionWeight() {
        return "conv_proj.weight";
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public String toString() {
        return "VisionTransformer." + config;
    }

    /** torchvision's {@code heads}: one linear layer {@code head} on the class token's features. */
    private static final class Heads extends TorchModule {
        private final TorchLinear head;

        Heads(int hidden, int classes) {
            this.head = addChildBlock("head", new TorchLinear(hidden, classes));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(head.apply(ps, inputs.singletonOrThrow(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputs) {
            return head.getOutputShapes(inputs);
        }
    }
}
