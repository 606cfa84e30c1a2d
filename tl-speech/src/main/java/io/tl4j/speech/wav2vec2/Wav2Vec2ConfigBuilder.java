package io.tl4j.speech.wav2vec2;

/**
 * Builds a {@link Wav2Vec2Config}; every field starts at Hugging Face's default ({@code
 * facebook/wav2vec2-base}). Get one from {@link Wav2Vec2Config#builder()}.
 */
public final class Wav2Vec2ConfigBuilder {

    private final Wav2Vec2ConfigJson values = new Wav2Vec2ConfigJson();

    Wav2Vec2ConfigBuilder() {}

    /**
     * Sets the feature extractor's convolutions.
     *
     * @param dims output channels per convolution
     * @param kernels kernel size per convolution
     * @param strides stride per convolution
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder conv(int[] dims, int[] kernels, int[] strides) {
        values.convDim = dims.clone();
        values.convKernel = kernels.clone();
        values.convStride = strides.clone();
        return this;
    }

    /**
     * Sets {@code wav2vec2} or {@code hubert} (the same network, recorded for provenance).
     *
     * @param modelType the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder modelType(String modelType) {
        values.modelType = modelType;
        return this;
    }

    /**
     * Sets the feature extractor's normalization.
     *
     * @param norm the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder featExtractNorm(Wav2Vec2Config.FeatureNorm norm) {
        values.featExtractNorm = norm;
        return this;
    }

    /**
     * Sets whether the feature-extractor convolutions have biases.
     *
     * @param convBias the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder convBias(boolean convBias) {
        values.convBias = convBias;
        return this;
    }

    /**
     * Sets the transformer width.
     *
     * @param hiddenSize the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder hiddenSize(int hiddenSize) {
        values.hiddenSize = hiddenSize;
        return this;
    }

    /**
     * Sets the number of transformer layers.
     *
     * @param layers the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder numHiddenLayers(int layers) {
        values.numHiddenLayers = layers;
        return this;
    }

    /**
     * Sets the number of attention heads.
     *
     * @param heads the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder numAttentionHeads(int heads) {
        values.numAttentionHeads = heads;
        return this;
    }

    /**
     * Sets the feed-forward width.
     *
     * @param size the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder intermediateSize(int size) {
        values.intermediateSize = size;
        return this;
    }

    /**
     * Sets the positional convolution's kernel size.
     *
     * @param kernel the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder numConvPosEmbeddings(int kernel) {
        values.numConvPosEmbeddings = kernel;
        return this;
    }

    /**
     * Sets the positional convolution's groups.
     *
     * @param groups the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder numConvPosEmbeddingGroups(int groups) {
        values.numConvPosEmbeddingGroups = groups;
        return this;
    }

    /**
     * Sets pre-LN layers (true) or post-LN (false).
     *
     * @param stable the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder doStableLayerNorm(boolean stable) {
        values.doStableLayerNorm = stable;
        return this;
    }

    /**
     * Sets the layer norms' epsilon.
     *
     * @param eps the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder layerNormEps(float eps) {
        values.layerNormEps = eps;
        return this;
    }

    /**
     * Sets the dropout after attention, feed-forward and positional embedding.
     *
     * @param p the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder hiddenDropout(float p) {
        values.hiddenDropout = p;
        return this;
    }

    /**
     * Sets the dropout on attention probabilities.
     *
     * @param p the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder attentionDropout(float p) {
        values.attentionDropout = p;
        return this;
    }

    /**
     * Sets the dropout inside the feed-forward layers.
     *
     * @param p the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder activationDropout(float p) {
        values.activationDropout = p;
        return this;
    }

    /**
     * Sets the dropout after the feature projection.
     *
     * @param p the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder featProjDropout(float p) {
        values.featProjDropout = p;
        return this;
    }

    /**
     * Sets the dropout before a CTC head.
     *
     * @param p the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder finalDropout(float p) {
        values.finalDropout = p;
        return this;
    }

    /**
     * Sets the CTC vocabulary size.
     *
     * @param vocabSize the value
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder vocabSize(int vocabSize) {
        values.vocabSize = vocabSize;
        return this;
    }

    /**
     * Sets every dropout probability at once (0 for deterministic training in tests).
     *
     * @param p the probability
     * @return this builder
     */
    public Wav2Vec2ConfigBuilder allDropouts(float p) {
        return hiddenDropout(p)
                .attentionDropout(p)
                .activationDropout(p)
                .featProjDropout(p)
                .finalDropout(p);
    }

    /**
     * Returns the configuration; the builder can go on being used.
     *
     * @return the configuration
     * @throws IllegalArgumentException when sizes are inconsistent
     */
    public Wav2Vec2Config build() {
        return new Wav2Vec2Config(values);
    }
}
