package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.nn.TorchModule;

/**
 * The last stage of a classification backbone: the mean of the real frames' features (padding
 * excluded), {@code (batch, hidden)}. It has no parameters.
 */
final class MeanPooling extends TorchModule {

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray packed = Frames.single(inputs, "pooling");
        NDArray mask = Frames.mask(packed);
        NDArray sum = Frames.features(packed).mul(mask.expandDims(2)).sum(new int[] {1});
        NDArray count = Scalars.maximum(mask.sum(new int[] {1}, true), 1f);
        return new NDList(sum.div(count));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), s.get(2) - 1)};
    }
}
