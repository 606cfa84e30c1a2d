package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;

/**
 * {@code feature_projection}: {@code layer_norm} over the extractor's channels, {@code projection}
 * to the transformer width, dropout. Packed frames in and out.
 */
final class FeatureProjection extends TorchModule {

    private final int hidden;
    private final float dropout;
    private final TorchLayerNorm layerNorm;
    private final TorchLinear projection;

    FeatureProjection(Wav2Vec2Config config) {
        this.hidden = config.hiddenSize();
        this.dropout = config.featProjDropout();
        this.layerNorm =
                addChildBlock("layer_norm", new TorchLayerNorm(config.extractorChannels(), config.layerNormEps()));
        this.projection = addChildBlock("projection", new TorchLinear(config.extractorChannels(), config.hiddenSize()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = Frames.single(inputs, "feature_projection");
        NDArray x = projection.apply(ps, layerNorm.apply(ps, Frames.features(packed), training), training);
        x = Dropout.dropout(x, dropout, training).head();
        return new NDList(Frames.pack(x, Frames.mask(packed)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), hidden + 1)};
    }
}
