package io.tl4j.vision.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The parameters of torchvision's Inception-v3 auxiliary classifier ({@code InceptionAux}: {@code
 * conv0} a 1x1 {@link BasicConv2d} to 128 channels, {@code conv1} a 5x5 one to 768, {@code fc} a
 * Linear to the classes), kept so that a checkpoint's {@code AuxLogits.*} weights load and save
 * unchanged. tl4j's training loop uses one output, so this block never computes the auxiliary
 * logits: it passes its input through unchanged. Its parameters therefore get no gradient and stay
 * as loaded.
 */
final class InceptionAux extends AbstractBlock {

    private static final byte VERSION = 1;

    private final BasicConv2d conv0;
    private final BasicConv2d conv1;
    private final Linear fc;

    /**
     * Creates the block.
     *
     * @param numClasses the outputs of {@code fc}
     */
    InceptionAux(int numClasses) {
        super(VERSION);
        this.conv0 = addChildBlock("conv0", BasicConv2d.square(128, 1, 0));
        this.conv1 = addChildBlock("conv1", BasicConv2d.square(768, 5, 0));
        this.fc = addChildBlock("fc", Linear.builder().setUnits(numClasses).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return inputs;
    }

    /** Initializes the parameters for torchvision's 5x5 pooled input of 768 channels. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pooled = new Shape(1, 768, 5, 5);
        conv0.initialize(manager, dataType, pooled);
        Shape[] reduced = conv0.getOutputShapes(new Shape[] {pooled});
        conv1.initialize(manager, dataType, reduced);
        fc.initialize(manager, dataType, new Shape(1, 768));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
