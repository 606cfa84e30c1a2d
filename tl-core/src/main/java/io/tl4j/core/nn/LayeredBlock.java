package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A block made of named layers run one after the other. The names are the user's vocabulary for
 * freezing ({@code freezeUntil("layer4")}) and the prefixes of the parameter names in weight files.
 *
 * <p>Unlike DJL's {@code SequentialBlock}, a range of layers can be run on its own, each with its own
 * training flag: that is how a frozen prefix runs in inference mode (BatchNorm statistics untouched)
 * while the layers after it train.
 */
public final class LayeredBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<String> names = new ArrayList<>();
    private final List<Block> layers = new ArrayList<>();

    /** Creates an empty block; add layers with {@link #add(String, Block)}. */
    public LayeredBlock() {
        super(VERSION);
    }

    /**
     * Appends a named layer.
     *
     * @param name the layer's name, unique in this block; it may contain dots between non-empty
     *     segments ({@code encoder.layer.0}), so parameter names can follow a reference
     *     implementation's nesting
     * @param layer the layer
     * @return this block
     */
    public LayeredBlock add(String name, Block layer) {
        if (name == null || name.isBlank() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw new IllegalArgumentException(
                    "Layer name must be non-blank, with dots only between non-empty segments: '" + name + "'");
        }
        if (names.contains(name)) {
            throw new IllegalArgumentException("Duplicate layer name '" + name + "'");
        }
        addChildBlock(name, layer);
        names.add(name);
        layers.add(layer);
        return this;
    }

    /** Returns the layer names, in order. */
    public List<String> layerNames() {
        return Collections.unmodifiableList(names);
    }

    /**
     * Returns the layer at a position.
     *
     * @param index the layer's position
     * @return the layer
     */
    public Block layer(int index) {
        return layers.get(index);
    }

    /** Returns how many layers this block has. */
    public int size() {
        return layers.size();
    }

    /**
     * Runs layers {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param parameterStore the parameter store
     * @param inputs the input of layer {@code from}
     * @param from the first layer to run
     * @param to one past the last layer to run
     * @param training per layer (indexed by absolute position), whether it runs in training mode
     * @return the output of layer {@code to - 1}
     */
    public NDList forwardRange(ParameterStore parameterStore, NDList inputs, int from, int to, boolean[] training) {
        NDList current = inputs;
        for (int i = from; i < to; i++) {
            current = layers.get(i).forward(parameterStore, current, training[i]);
        }
        return current;
    }

    /**
     * Runs layers {@code from} to {@code to} for inference, freeing each layer's temporaries as soon
     * as it returns and each layer's output once the next one has used it, so peak memory is that of
     * the largest layer rather than of the whole forward (DJL otherwise keeps every intermediate
     * until the caller's manager closes). A layer that is a {@link BatchSlicing} runs a slice of the
     * batch at a time when it runs in inference mode. Not for use while gradients are recorded.
     *
     * @param parameterStore the parameter store
     * @param inputs the input of layer {@code from}; left open
     * @param from the first layer to run
     * @param to one past the last layer to run
     * @param training per layer (indexed by absolute position), whether it runs in training mode
     * @return the output of layer {@code to - 1}
     */
    public NDList forwardRangeReleasing(
            ParameterStore parameterStore, NDList inputs, int from, int to, boolean[] training) {
        NDList current = inputs;
        for (int i = from; i < to; i++) {
            NDList output;
            try (NDScope scope = new NDScope()) {
                output = training[i]
                        ? layers.get(i).forward(parameterStore, current, true)
                        : inferInSlices(parameterStore, layers.get(i), current);
                NDScope.unregister(output);
            }
            if (current != inputs) {
                for (NDArray array : current) {
                    if (!passedOn(array, output)) {
                        array.close();
                    }
                }
            }
            current = output;
        }
        return current;
    }

    /**
     * Runs a block for inference: a {@code LayeredBlock} through {@link #forwardRangeReleasing}, any
     * other block through its plain forward.
     *
     * @param block the block
     * @param parameterStore the parameter store
     * @param inputs the block's input; left open
     * @return the block's output
     */
    public static NDList infer(Block block, ParameterStore parameterStore, NDList inputs) {
        if (block instanceof LayeredBlock layered) {
            return layered.forwardRangeReleasing(
                    parameterStore, inputs, 0, layered.size(), new boolean[layered.size()]);
        }
        return block.forward(parameterStore, inputs, false);
    }

    /** Runs a layer in inference mode, a slice of the batch at a time when it asks for slices. */
    private static NDList inferInSlices(ParameterStore parameterStore, Block layer, NDList inputs) {
        long batch = inputs.head().getShape().get(0);
        int slice = layer instanceof BatchSlicing slicing
                ? Math.max(1, slicing.examplesPerSlice(inputs))
                : Integer.MAX_VALUE;
        if (slice >= batch) {
            return layer.forward(parameterStore, inputs, false);
        }
        List<NDList> parts = new ArrayList<>();
        for (long start = 0; start < batch; start += slice) {
            String rows = start + ":" + Math.min(batch, start + slice);
            try (NDScope scope = new NDScope()) {
                NDList part = new NDList(inputs.size());
                for (NDArray input : inputs) {
                    part.add(input.get(rows));
                }
                NDList output = layer.forward(parameterStore, part, false);
                NDScope.unregister(output);
                parts.add(output);
            }
        }
        NDList joined = new NDList(parts.get(0).size());
        for (int k = 0; k < parts.get(0).size(); k++) {
            NDList pieces = new NDList(parts.size());
            for (NDList part : parts) {
                pieces.add(part.get(k));
            }
            joined.add(NDArrays.concat(pieces, 0));
        }
        parts.forEach(NDList::close);
        return joined;
    }

    /** Identity, not {@code equals}: DJL's arrays compare their contents there. */
    private static boolean passedOn(NDArray array, NDList output) {
        for (NDArray o : output) {
            if (o == array) {
                return true;
            }
        }
        return false;
    }

    /**
     * The shapes after layers {@code 0 .. to-1}.
     *
     * @param inputs the input shapes
     * @param to one past the last layer
     * @return the output shapes of layer {@code to - 1}
     */
    public Shape[] outputShapesUpTo(Shape[] inputs, int to) {
        Shape[] current = inputs;
        for (int i = 0; i < to; i++) {
            current = layers.get(i).getOutputShapes(current);
        }
        return current;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList current = inputs;
        for (Block layer : layers) {
            current = layer.forward(parameterStore, current, training);
        }
        return current;
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block layer : layers) {
            layer.initialize(manager, dataType, shapes);
            shapes = layer.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("LayeredBlock has no layers");
        }
        return outputShapesUpTo(inputs, layers.size());
    }
}
