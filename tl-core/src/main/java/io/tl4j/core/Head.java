package io.tl4j.core;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The new classifier put on a backbone: linear, a small MLP, or any block. The number of classes
 * comes from the data at {@code fit} time. Heads flatten their input first, so they sit on
 * backbones whose features are vectors or feature maps alike.
 */
public final class Head {

    /** The non-linearity between the hidden layers of an MLP head. */
    public enum Nonlinearity {
        /** max(0, x) */
        RELU,
        /** Gaussian error linear unit */
        GELU,
        /** hyperbolic tangent */
        TANH
    }

    private static final String CUSTOM = "custom";
    /** The widest hidden layer a saved head may declare; keeps an edited model.json from allocating gigabytes. */
    private static final long MAX_WIDTH = 65_536;

    private final String kind;
    private final int[] hidden;
    private final float dropout;
    private final Nonlinearity nonlinearity;
    private final IntFunction<Block> custom;

    private Head(String kind, int[] hidden, float dropout, Nonlinearity nonlinearity, IntFunction<Block> custom) {
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("Dropout must be in [0, 1), got " + dropout);
        }
        this.kind = kind;
        this.hidden = hidden;
        this.dropout = dropout;
        this.nonlinearity = nonlinearity;
        this.custom = custom;
    }

    /** Returns a head of a single linear layer from features to class scores. */
    public static Head linear() {
        return new Head("linear", new int[0], 0f, Nonlinearity.RELU, null);
    }

    /**
     * Returns an MLP head: (Linear, non-linearity, dropout) per hidden width, then a linear layer.
     *
     * @param hiddenUnits the widths of the hidden layers
     * @return an MLP head: (Linear, non-linearity, dropout) per hidden width, then a linear layer
     */
    public static Head mlp(int... hiddenUnits) {
        if (hiddenUnits.length == 0 || Arrays.stream(hiddenUnits).anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException(
                    "An MLP head needs positive hidden widths: " + Arrays.toString(hiddenUnits));
        }
        return new Head("mlp", hiddenUnits.clone(), 0f, Nonlinearity.RELU, null);
    }

    /**
     * Returns a head of the user's own, built by a factory for a number of classes.
     *
     * @param factory builds the head's block for a number of classes; it must output one score per
     *     class
     * @return a head of the user's own; a model saved with it loads back only through {@link
     *     TransferModel#load(java.nio.file.Path, Backbone, Head)}
     */
    public static Head of(IntFunction<Block> factory) {
        return new Head(CUSTOM, new int[0], 0f, Nonlinearity.RELU, Objects.requireNonNull(factory));
    }

    /**
     * Returns a copy with dropout before each linear layer, in training.
     *
     * @param probability dropout before each linear layer of an MLP head and before a linear head's
     *     layer, in training
     * @return a copy with that dropout
     */
    public Head dropout(float probability) {
        return new Head(kind, hidden, probability, nonlinearity, custom);
    }

    /**
     * Returns a copy with another non-linearity between hidden layers.
     *
     * @param nonlinearity the non-linearity between hidden layers
     * @return a copy with it
     */
    public Head activation(Nonlinearity nonlinearity) {
        return new Head(kind, hidden, dropout, Objects.requireNonNull(nonlinearity), custom);
    }

    /** Tells whether the head was built by {@link #of(IntFunction)}. */
    public boolean isCustom() {
        return custom != null;
    }

    /**
     * Builds a new, uninitialized head block for that many classes.
     *
     * @param numClasses the number of classes
     * @return a new, uninitialized head block
     */
    public Block build(int numClasses) {
        if (custom != null) {
            return custom.apply(numClasses);
        }
        SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : hidden) {
            addDropout(block);
            block.add(Linear.builder().setUnits(units).build());
            block.add(
                    switch (nonlinearity) {
                        case RELU -> Activation.reluBlock();
                        case GELU -> Activation.geluBlock();
                        case TANH -> Activation.tanhBlock();
                    });
        }
        addDropout(block);
        block.add(Linear.builder().setUnits(numClasses).build());
        return block;
    }

    private void addDropout(SequentialBlock block) {
        if (dropout > 0) {
            block.add(Dropout.builder().optRate(dropout).build());
        }
    }

    /**
     * The settings of a head, as stored in a saved model.
     *
     * @param kind {@code linear}, {@code mlp} or {@code custom}
     * @param hidden the widths of an MLP head's hidden layers
     * @param dropout the dropout probability in training
     * @param activation the non-linearity between hidden layers
     */
    public record Config(String kind, List<Integer> hidden, float dropout, Nonlinearity activation) {}

    /**
     * Returns the head's settings, as stored in a saved model.
     *
     * @return the settings
     */
    public Config config() {
        return new Config(kind, Arrays.stream(hidden).boxed().toList(), dropout, nonlinearity);
    }

    /**
     * Builds the head that settings from {@link #config()} describe.
     *
     * @param config the settings
     * @return the head
     * @throws IllegalArgumentException naming the key and value when a setting is missing or out of
     *     range, and for a custom head, which cannot be rebuilt from settings
     */
    public static Head fromConfig(Config config) {
        String kind = config.kind();
        if (CUSTOM.equals(kind)) {
            throw new IllegalArgumentException(
                    "The model has a custom head: load it with TransferModel.load(dir, backbone, head)");
        }
        Head head;
        if ("linear".equals(kind)) {
            head = linear();
        } else if ("mlp".equals(kind)) {
            head = mlp(ConfigValues.positiveList(config.hidden(), "hidden", MAX_WIDTH, "Head"));
        } else {
            throw new IllegalArgumentException(
                    "Head config 'kind' = '" + kind + "' is not one of [linear, mlp, " + CUSTOM + "]");
        }
        return head.dropout(config.dropout())
                .activation(ConfigValues.require(config.activation(), "activation", "Head"));
    }

    @Override
    public String toString() {
        return "Head." + config();
    }
}
