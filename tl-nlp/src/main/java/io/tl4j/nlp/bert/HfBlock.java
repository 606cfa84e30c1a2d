package io.tl4j.nlp.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;

import io.tl4j.core.nn.Scalars;

/**
 * A block whose parameters and children have fixed shapes known from the configuration, named as in
 * Hugging Face's PyTorch modules ({@code weight}, {@code bias}). Children ignore the input shapes
 * when initialized.
 */
abstract class HfBlock extends AbstractBlock {

    /** BERT's initializer range: weights start as N(0, 0.02). */
    static final float INIT_RANGE = 0.02f;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    HfBlock() {
        super((byte) 1);
    }

    Parameter weight(String name, Shape shape) {
        return param(name, Parameter.Type.WEIGHT, shape, new NormalInitializer(INIT_RANGE));
    }

    Parameter constant(String name, Shape shape, float value) {
        return param(name, value == 0f ? Parameter.Type.BIAS : Parameter.Type.GAMMA, shape,
                new ConstantInitializer(value));
    }

    private Parameter param(String name, Parameter.Type type, Shape shape, Initializer initializer) {
        return addParameter(Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(initializer).build());
    }

    /** Runs a child on one array. */
    static NDArray run(Block child, ParameterStore ps, NDArray x, boolean training) {
        return child.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** The value of a parameter on the array's device. */
    static NDArray value(ParameterStore ps, Parameter parameter, NDArray like, boolean training) {
        return ps.getValue(parameter, like.getDevice(), training);
    }

    /** Applies a feed-forward activation as Hugging Face's {@code ACT2FN} does. */
    static NDArray activate(BertConfig.HiddenActivation activation, NDArray x) {
        switch (activation) {
            case GELU:
                return Activation.gelu(x);
            case GELU_TANH:
                // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
                NDArray inner = Scalars.mul(Scalars.mul(Scalars.pow(x, 3), 0.044715f).add(x), SQRT_2_OVER_PI);
                return Scalars.mul(x, 0.5f).mul(Scalars.add(inner.tanh(), 1f));
            case RELU:
                return Activation.relu(x);
            default:
                throw new IllegalStateException("unknown activation " + activation);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType, inputShapes);
        }
    }
}
