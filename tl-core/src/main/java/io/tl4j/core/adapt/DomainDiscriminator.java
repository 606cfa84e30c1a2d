package io.tl4j.core.adapt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DANN's domain discriminator: a small network ({@value #HIDDEN} ReLU units, then one logit) that
 * tells features of labelled examples (logit toward 0) from features of target examples (toward 1). It
 * reads the features through a {@link GradientReversal}, so training it also pushes the layers before
 * it to make the two domains indistinguishable. It trains beside the network and is dropped after the
 * fit; its weights travel in the run's checkpoints so that a resumed run continues exactly.
 */
public final class DomainDiscriminator {

    /** The hidden layer's width. */
    public static final int HIDDEN = 128;

    /** The prefix of the discriminator's parameter names in the optimizer state and checkpoints. */
    public static final String PREFIX = "domain_discriminator.";

    private final SequentialBlock block;

    private DomainDiscriminator(SequentialBlock block) {
        this.block = block;
    }

    /**
     * Builds and initialises a discriminator for features of a size.
     *
     * @param featureSize the size of the flattened features it reads
     * @param manager owns its weights
     * @param seed seeds its initial weights
     * @return the discriminator
     */
    public static DomainDiscriminator create(long featureSize, NDManager manager, long seed) {
        SequentialBlock block = new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build());
        Engine.getInstance().setRandomSeed((int) (seed * 31 + 7));
        block.initialize(manager, DataType.FLOAT32, new Shape(1, featureSize));
        return new DomainDiscriminator(block);
    }

    /**
     * Returns the domain logits of features seen through a gradient reversal with coefficient {@code lambda}.
     *
     * @param ps the step's parameter store
     * @param features features {@code (n, ...)}
     * @param lambda the reversal coefficient
     * @return logits {@code (n)}
     */
    public NDArray logits(ParameterStore ps, NDArray features, float lambda) {
        NDArray reversed = GradientReversal.apply(features, lambda);
        return block.forward(ps, new NDList(reversed), true).head().reshape(-1);
    }

    /** Returns the discriminator's parameters by their name under {@link #PREFIX}. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(PREFIX + p.getKey(), p.getValue());
        }
        return out;
    }

    /**
     * Copies saved weights into the discriminator.
     *
     * @param saved arrays by parameter name under {@link #PREFIX}; every parameter must be present
     * @throws IllegalStateException naming a missing or misshapen parameter
     */
    public void load(Map<String, NDArray> saved) {
        parameters().forEach((name, parameter) -> {
            NDArray value = saved.get(name);
            NDArray array = parameter.getArray();
            if (value == null || !value.getShape().equals(array.getShape())) {
                throw new IllegalStateException("The checkpoint's domain discriminator lacks " + name + " of shape "
                        + array.getShape() + (value == null ? "" : ", found " + value.getShape()));
            }
            array.set(value.toFloatArray());
        });
    }
}
