package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.tl4j.core.nn.TorchLayerNorm;
import io.tl4j.core.nn.TorchLinear;
import io.tl4j.core.nn.TorchModule;

/**
 * torchvision's ConvNeXt {@code CNBlock}: {@code input + drop(layer_scale * block(input))} where
 * {@code block} is a 7x7 depthwise convolution, LayerNorm over channels (channels last), Linear to
 * four times the width, GELU and Linear back ({@code block.0}, {@code block.2}, {@code block.3},
 * {@code block.5}; positions 1, 4 and 6 are the parameterless permutes and GELU), {@code
 * layer_scale} a per-channel scale and {@code drop} {@link StochasticDepth}, in training only.
 */
final class ConvNeXtBlock extends TorchModule {

    private static final float LAYER_NORM_EPS = 1e-6f;
    private static final float LAYER_SCALE = 1e-6f;

    private final Parameter layerScale;
    private final SequentialBlock block = new SequentialBlock();
    private final float dropProbability;

    /**
     * Creates the block.
     *
     * @param dim the channels
     * @param dropProbability the stochastic depth probability of the block's branch
     */
    ConvNeXtBlock(int dim, float dropProbability) {
        this.layerScale = parameter(
                "layer_scale", Parameter.Type.WEIGHT, new Shape(dim, 1, 1), new ConstantInitializer(LAYER_SCALE));
        block.add(Conv2d.builder()
                        .setFilters(dim)
                        .setKernelShape(new Shape(7, 7))
                        .optPadding(new Shape(3, 3))
                        .optGroups(dim)
                        .optBias(true)
                        .build())
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().transpose(0, 2, 3, 1))))
                .add(new TorchLayerNorm(dim, LAYER_NORM_EPS))
                .add(new TorchLinear(dim, 4L * dim))
                .add(new LambdaBlock(x -> new NDList(Activation.gelu(x.singletonOrThrow()))))
                .add(new TorchLinear(4L * dim, dim))
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().transpose(0, 3, 1, 2))));
        addChildBlock("block", block);
        this.dropProbability = StochasticDepth.checked(dropProbability);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray x = input;
        for (Block layer : block.getChildren().values()) {
            NDArray next = layer.forward(ps, new NDList(x), training).singletonOrThrow();
            if (!training && x != input) {
                x.close();
            }
            x = next;
        }
        NDArray scaled = x.mul(value(ps, layerScale, input, training));
        NDArray branch = StochasticDepth.apply(scaled, dropProbability, training);
        NDArray out = branch.add(input);
        if (!training) {
            x.close();
            scaled.close();
        }
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}
