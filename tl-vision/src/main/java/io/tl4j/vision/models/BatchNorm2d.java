package io.tl4j.vision.models;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Batch normalization over the channel axis of {@code (N, C, H, W)} (or {@code (N, C)}) input, as
 * PyTorch's {@code nn.BatchNorm2d}: by default epsilon 1e-5 and momentum 0.1 in PyTorch's sense
 * (the running statistics move a tenth of the way to each batch's; MobileNetV3 uses 1e-3 and
 * 0.01), and PyTorch's parameter names {@code
 * weight}, {@code bias}, {@code running_mean}, {@code running_var}, so that a state dict exported
 * with tl-core's {@link io.tl4j.core.weights.StateDict} uses torchvision's keys.
 *
 * <p>It relies on DJL's PyTorch engine, whose batch normalization always normalizes axis 1.
 *
 * <p>PyTorch's {@code num_batches_tracked} counter is not kept: it only matters when momentum is
 * unset, and torchvision's loader fills it in when a state dict lacks it.
 */
public final class BatchNorm2d extends AbstractBlock {

    private static final byte VERSION = 1;
    /** PyTorch's default epsilon, which ResNet and VGG use. */
    static final float DEFAULT_EPSILON = 1e-5f;
    /** PyTorch's default momentum. */
    private static final float MOMENTUM = 0.1f;

    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private final float epsilon;
    private final float momentum;
    private long channels;

    /**
     * Creates the block with PyTorch's defaults (epsilon 1e-5, momentum 0.1); the channel count is
     * taken from the input shape at initialization.
     */
    public BatchNorm2d() {
        this(DEFAULT_EPSILON, MOMENTUM);
    }

    /**
     * Creates the block with PyTorch's {@code eps} and {@code momentum}; the channel count is taken
     * from the input shape at initialization.
     *
     * @param epsilon added to the variance before its square root (PyTorch's {@code eps})
     * @param momentum how far the running statistics move towards each training batch's, in
     *     PyTorch's sense (0.1 moves them a tenth of the way)
     */
    public BatchNorm2d(float epsilon, float momentum) {
        super(VERSION);
        if (!(epsilon > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(
                    "BatchNorm2d needs epsilon > 0 and momentum in [0, 1], got " + epsilon + " and " + momentum);
        }
        this.epsilon = epsilon;
        this.momentum = momentum;
        weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.GAMMA)
                .build());
        bias = addParameter(
                Parameter.builder().setName("bias").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder()
                .setName("running_mean")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false)
                .build());
        runningVar = addParameter(Parameter.builder()
                .setName("running_var")
                .setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false)
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // Axis -1 makes DJL's PyTorch engine call torch.batch_norm directly, which normalizes axis 1
        // of (N, C, ...) input as nn.BatchNorm2d does; for any other axis DJL first re-attaches the
        // input to a temporary manager and swaps axes.
        return BatchNorm.batchNorm(
                x,
                parameterStore.getValue(runningMean, x.getDevice(), training),
                parameterStore.getValue(runningVar, x.getDevice(), training),
                parameterStore.getValue(weight, x.getDevice(), training),
                parameterStore.getValue(bias, x.getDevice(), training),
                -1,
                1 - momentum, // DJL passes 1 - momentum to the engine
                epsilon,
                training);
    }

    /** Returns the epsilon added to the variance. */
    float epsilon() {
        return epsilon;
    }

    /** Returns the scale ({@code weight}, gamma). */
    Parameter weight() {
        return weight;
    }

    /** Returns the shift ({@code bias}, beta). */
    Parameter bias() {
        return bias;
    }

    /** Returns the running mean that inference normalizes with. */
    Parameter runningMean() {
        return runningMean;
    }

    /** Returns the running variance that inference normalizes with. */
    Parameter runningVar() {
        return runningVar;
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        Shape shape = new Shape(channels);
        weight.setShape(shape);
        bias.setShape(shape);
        runningMean.setShape(shape);
        runningVar.setShape(shape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(channels);
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("Unsupported BatchNorm2d encoding version " + loadVersion);
        }
        readInputShapes(is);
        channels = is.readLong();
    }
}
