package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

/**
 * A DJL block laid out as a PyTorch {@code nn.Module}: its parameters get their PyTorch names and
 * final shapes when it is constructed, and its children are added under their PyTorch attribute
 * names, so a PyTorch or Hugging Face {@code state_dict} maps onto it name for name before anything
 * is allocated. Children are initialized with this block's input shapes, which they ignore.
 */
public abstract class TorchModule extends AbstractBlock {

    private static final byte VERSION = 1;

    /** Creates a module without parameters or children. */
    protected TorchModule() {
        super(VERSION);
    }

    /**
     * Adds a parameter with its final shape.
     *
     * @param name the PyTorch name of the tensor within this module ({@code weight}, {@code bias})
     * @param type its kind
     * @param shape its shape
     * @param initializer how it is filled before weights are loaded
     * @return the parameter
     */
    protected final Parameter parameter(String name, Parameter.Type type, Shape shape, Initializer initializer) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(shape)
                .optInitializer(initializer)
                .build());
    }

    /**
     * Returns a parameter's value on the device of {@code like}.
     *
     * @param ps the parameter store
     * @param parameter the parameter
     * @param like an array on the device the value is wanted on
     * @param training whether gradients are being recorded
     * @return the value
     */
    protected static NDArray value(ParameterStore ps, Parameter parameter, NDArray like, boolean training) {
        return ps.getValue(parameter, like.getDevice(), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType, inputShapes);
        }
    }
}
