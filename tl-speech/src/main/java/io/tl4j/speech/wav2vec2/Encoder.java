package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code encoder}: padded frames zeroed, {@code pos_conv_embed} added, {@code layer_norm} (before
 * the layers for post-LN models, after them for pre-LN ones), dropout, {@code layers.N}. Packed
 * frames in and out.
 */
final class Encoder extends HfBlock {

    private final boolean preNorm;
    private final float dropout;
    private final PositionalConvEmbedding posConvEmbed;
    private final HfLayerNorm layerNorm;
    private final IndexedBlocks<EncoderLayer> layers;

    Encoder(Wav2Vec2Config config) {
        this.preNorm = config.doStableLayerNorm();
        this.dropout = config.hiddenDropout();
        this.posConvEmbed = child("pos_conv_embed", new PositionalConvEmbedding(config));
        this.layerNorm = child("layer_norm", new HfLayerNorm(config.hiddenSize(), config.layerNormEps()));
        this.layers = child("layers", new IndexedBlocks<>());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new EncoderLayer(config));
        }
    }

    /**
     * @param mask {@code (batch, frames)}, 1 for real frames
     * @return the additive attention bias {@code (batch, 1, 1, frames)}: 0 or -10000
     */
    static NDArray keyBias(NDArray mask) {
        return mask.neg().add(1f).mul(-10000f).expandDims(1).expandDims(1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = Frames.single(inputs, "encoder");
        NDArray mask = Frames.mask(packed);
        NDArray bias = keyBias(mask);
        NDArray x = Frames.features(packed).mul(mask.expandDims(2));
        x = x.add(posConvEmbed.apply(ps, x));
        if (!preNorm) {
            x = layerNorm.apply(ps, x);
        }
        x = Dropout.dropout(x, dropout, training).head();
        for (EncoderLayer layer : layers.blocks()) {
            x = layer.apply(ps, x, bias, training);
        }
        if (preNorm) {
            x = layerNorm.apply(ps, x);
        }
        return new NDList(Frames.pack(x, mask));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
