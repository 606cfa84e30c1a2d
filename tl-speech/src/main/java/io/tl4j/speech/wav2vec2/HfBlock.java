package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

/**
 * A block whose parameters have Hugging Face names and fixed shapes from the start, so that its
 * parameter names and shapes are known without allocating anything, and whose children need no
 * input shape to initialize.
 */
abstract class HfBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    HfBlock() {
        super(VERSION);
    }

    /**
     * Adds a parameter with its final shape.
     *
     * @param name the Hugging Face name of the tensor within this block
     * @param shape its shape
     * @param initializer how it is filled before weights are loaded
     * @return the parameter
     */
    Parameter parameter(String name, Shape shape, Initializer initializer) {
        Parameter.Type type = name.equals("bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT;
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(type)
                        .optShape(shape)
                        .optInitializer(initializer)
                        .build());
    }

    /**
     * Adds a child block under its Hugging Face name.
     *
     * @param name the child's name
     * @param block the child
     * @param <B> its type
     * @return the child
     */
    <B extends Block> B child(String name, B block) {
        return addChildBlock(name, block);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType, inputShapes);
        }
    }
}
