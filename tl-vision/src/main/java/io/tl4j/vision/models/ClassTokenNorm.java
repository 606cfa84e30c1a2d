package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchModule;

/**
 * torchvision ViT's {@code encoder.ln} ({@code weight}, {@code bias}) followed by the class-token
 * selection {@code x[:, 0]}: the (batch, hidden) features of the network. Only the class token is
 * normalized, which gives what normalizing every token and then selecting gives.
 */
final class ClassTokenNorm extends TorchModule {

    private final Shape normalized;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    ClassTokenNorm(int hidden, float eps) {
        this.normalized = new Shape(hidden);
        this.eps = eps;
        this.weight = parameter("weight", Parameter.Type.GAMMA, normalized, Initializer.ONES);
        this.bias = parameter("bias", Parameter.Type.BETA, normalized, Initializer.ZEROS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray classToken = inputs.singletonOrThrow().get(new NDIndex(":, 0"));
        return LayerNorm.layerNorm(
                classToken,
                normalized,
                value(ps, weight, classToken, training),
                value(ps, bias, classToken, training),
                eps);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), inputs[0].get(2))};
    }
}
