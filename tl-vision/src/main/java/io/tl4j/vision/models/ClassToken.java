package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;

/**
 * torchvision ViT's {@code class_token} (1, 1, hidden), put before the patch tokens of every image.
 * Its one parameter is named by the empty string, so its key is the layer's own name, {@code
 * class_token}, as in torchvision.
 */
final class ClassToken extends TorchModule {

    private final int hidden;
    private final Parameter token;

    ClassToken(int hidden) {
        this.hidden = hidden;
        this.token = parameter("", Parameter.Type.WEIGHT, new Shape(1, 1, hidden), Initializer.ZEROS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray patches = inputs.singletonOrThrow();
        long batch = patches.getShape().get(0);
        NDArray tokens = value(ps, token, patches, training).broadcast(batch, 1, hidden);
        return new NDList(tokens.concat(patches, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {new Shape(in.get(0), in.get(1) + 1, in.get(2))};
    }
}
