package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;

/**
 * The stage {@code encoder.layer_norm} ({@code weight}, {@code bias}): before the layers in post-LN
 * models, followed by the encoder's dropout; after them in pre-LN models. Packed frames in and out.
 */
final class EncoderLayerNorm extends TorchModule {

    private final int size;
    private final float eps;
    private final float dropout;
    private final Parameter weight;
    private final Parameter bias;

    EncoderLayerNorm(Wav2Vec2Config config) {
        this.size = config.hiddenSize();
        this.eps = config.layerNormEps();
        this.dropout = config.doStableLayerNorm() ? 0f : config.hiddenDropout();
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(size), Initializer.ONES);
        this.bias = parameter("bias", Parameter.Type.BIAS, new Shape(size), Initializer.ZEROS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = Frames.single(inputs, "encoder.layer_norm");
        NDArray x = Frames.features(packed);
        x = LayerNorm.layerNorm(
                        x,
                        new Shape(size),
                        ps.getValue(weight, x.getDevice(), false),
                        ps.getValue(bias, x.getDevice(), false),
                        eps)
                .head();
        x = Dropout.dropout(x, dropout, training).head();
        return new NDList(Frames.pack(x, Frames.mask(packed)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
