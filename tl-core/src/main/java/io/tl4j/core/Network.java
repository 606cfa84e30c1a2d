package io.tl4j.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.tl4j.core.lora.Lora;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.train.EpochFreezing;
import io.tl4j.core.train.FreezePlan;
import io.tl4j.core.weights.ParameterNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole classifier: backbone, optional adapter layers, head, under one root whose parameter names
 * are {@code backbone.*}, {@code adapter.*} and {@code head.*}. The backbone runs in stages: one per
 * layer of a {@link LayeredBlock}, or a single stage for any other block, so that a frozen prefix can
 * run in inference mode and be cached.
 */
final class Network {

    static final String BACKBONE = "backbone";
    static final String ADAPTER = "adapter";
    static final String HEAD = "head";
    /** The group of a LoRA backbone's trainable parameters, its updates' {@code lora_A} and {@code lora_B}. */
    static final String LORA = "lora";

    final LayeredBlock root;
    final Block backbone;
    final List<String> layers;
    private final Block adapter;
    private final Block head;
    /** The size of the features the head reads (the backbone's or the added layers' output, flattened). */
    final long featureSize;
    /** Whether the backbone's base weights are another owner's arrays, read by other networks too. */
    final boolean sharesBase;

    private Network(
            LayeredBlock root, Block backbone, Block adapter, Block head, long featureSize, boolean sharesBase) {
        this.root = root;
        this.featureSize = featureSize;
        this.sharesBase = sharesBase;
        this.backbone = backbone;
        this.adapter = adapter;
        this.head = head;
        this.layers = Backbone.layerNames(backbone);
    }

    static Network build(
            Backbone<?> spec, int[] adapterUnits, Head headSpec, int numClasses, NDManager manager, long seed) {
        Shape features = spec.featureShape();
        return assemble(
                spec.instantiate(manager, seed), features, adapterUnits, headSpec, numClasses, manager, seed, false);
    }

    /**
     * Builds a network over a backbone block whose base weights another owner holds and other
     * networks read too ({@link io.tl4j.core.lora.Lora#sharingBase}).
     *
     * @param backbone the backbone block
     * @param featureShape the shape of one sample's backbone features
     * @param adapterUnits the widths of added dense layers
     * @param headSpec the head
     * @param numClasses the number of classes
     * @param manager owns the added layers and the head
     * @return the network, marked as sharing its base
     */
    static Network sharingBase(
            Block backbone, Shape featureShape, int[] adapterUnits, Head headSpec, int numClasses, NDManager manager) {
        return assemble(backbone, featureShape, adapterUnits, headSpec, numClasses, manager, 0, true);
    }

    private static Network assemble(
            Block backbone,
            Shape featureShape,
            int[] adapterUnits,
            Head headSpec,
            int numClasses,
            NDManager manager,
            long seed,
            boolean sharesBase) {
        Shape shape = new Shape(prepend(1, featureShape.getShape()));
        Engine.getInstance().setRandomSeed((int) (seed + 1));
        LayeredBlock root = new LayeredBlock().add(BACKBONE, backbone);
        Block adapter = null;
        if (adapterUnits.length > 0) {
            SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
            for (int units : adapterUnits) {
                block.add(Linear.builder().setUnits(units).build()).add(Activation.reluBlock());
            }
            block.initialize(manager, DataType.FLOAT32, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
            root.add(ADAPTER, block);
            adapter = block;
        }
        Block head = headSpec.build(numClasses);
        head.initialize(manager, DataType.FLOAT32, shape);
        Shape out = head.getOutputShapes(new Shape[] {shape})[0];
        if (out.dimension() != 2 || out.get(1) != numClasses) {
            throw new IllegalArgumentException("The head must output (batch, " + numClasses + ") scores, got " + out);
        }
        root.add(HEAD, head);
        return new Network(root, backbone, adapter, head, shape.size() / shape.get(0), sharesBase);
    }

    static long[] prepend(long first, long[] rest) {
        long[] dims = new long[rest.length + 1];
        dims[0] = first;
        System.arraycopy(rest, 0, dims, 1, rest.length);
        return dims;
    }

    /**
     * Returns whether the backbone runs one stage per layer (a {@link LayeredBlock}) rather than as one.
     *
     * @return true for a staged backbone
     */
    boolean staged() {
        return backbone instanceof LayeredBlock;
    }

    /**
     * Runs the backbone's stages {@code [0, to)} in inference mode.
     *
     * @param ps the parameter store
     * @param x the preprocessed input
     * @param to one past the last stage
     * @return the features after stage {@code to - 1}
     */
    NDList forwardPrefix(ParameterStore ps, NDList x, int to) {
        if (to == 0) {
            return x;
        }
        if (backbone instanceof LayeredBlock layered) {
            return layered.forwardRangeReleasing(ps, x, 0, to, new boolean[layered.size()]);
        }
        return backbone.forward(ps, x, false);
    }

    /**
     * Runs the rest of the network from backbone stage {@code from}, each part in the mode the
     * freezing gives it. In inference (a freezing that does not train) each stage's intermediates are
     * freed as it goes (see {@link LayeredBlock#forwardRangeReleasing}).
     *
     * @param ps the parameter store
     * @param x the input of stage {@code from}
     * @param from the first backbone stage to run
     * @param freezing which stages, and whether adapter and head, run in training mode
     * @return the class scores
     */
    NDList forward(ParameterStore ps, NDList x, int from, EpochFreezing freezing) {
        return classify(ps, features(ps, x, from, freezing), freezing.training());
    }

    /**
     * Runs the backbone from stage {@code from} and the adapter layers, as {@link #forward} does, and
     * returns what the head reads: the features that domain alignment compares.
     *
     * @param ps the parameter store
     * @param x the input of stage {@code from}
     * @param from the first backbone stage to run
     * @param freezing which stages, and whether the adapter, run in training mode
     * @return the head's input
     */
    NDList features(ParameterStore ps, NDList x, int from, EpochFreezing freezing) {
        boolean training = freezing.training();
        boolean[] stageTraining = freezing.stageTraining();
        NDList current = x;
        if (backbone instanceof LayeredBlock layered) {
            current = training
                    ? layered.forwardRange(ps, current, from, layered.size(), stageTraining)
                    : layered.forwardRangeReleasing(ps, current, from, layered.size(), stageTraining);
        } else if (from == 0) {
            current = backbone.forward(ps, current, stageTraining[0]);
        }
        if (adapter != null) {
            current = adapter.forward(ps, current, training);
        }
        return current;
    }

    /**
     * Runs the head on features that {@link #features} returned.
     *
     * @param ps the parameter store
     * @param features the head's input
     * @param training whether the head runs in training mode
     * @return the class scores
     */
    NDList classify(ParameterStore ps, NDList features, boolean training) {
        return head.forward(ps, features, training);
    }

    /**
     * Returns the freezing of this network's inference: every stage, adapter and head in inference mode.
     *
     * @return the inference freezing
     */
    EpochFreezing inference() {
        return FreezePlan.inference(layers, staged()).inference();
    }

    /** Returns every parameter by its full name. */
    Map<String, Parameter> parameters() {
        return ParameterNames.of(root);
    }

    /**
     * Groups the trainable parameters by backbone layer name, with adapter and head under their own names.
     * In a LoRA backbone only the updates train, as the group {@value #LORA}: every other backbone
     * parameter is frozen here and left out.
     */
    Map<String, List<Map.Entry<String, Parameter>>> trainableByGroup() {
        boolean lora = isLora();
        Map<String, List<Map.Entry<String, Parameter>>> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
            Parameter p = e.getValue();
            if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
                continue;
            }
            String[] parts = e.getKey().split("\\.", 2);
            String group = parts[0].equals(BACKBONE) ? layerOf(parts[1]) : parts[0];
            if (lora && parts[0].equals(BACKBONE)) {
                if (!Lora.isLoraParameter(parts[1])) {
                    p.freeze(true);
                    continue;
                }
                group = LORA;
            }
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(e);
        }
        return groups;
    }

    /**
     * Returns the backbone layers frozen at the start of training: the configured ones or, in a
     * LoRA backbone, every layer without a LoRA update (those with one run in training mode while
     * only their updates train).
     *
     * @param configured the layers the configuration freezes
     * @return the layers to freeze
     */
    List<String> frozenLayers(List<String> configured) {
        if (!isLora()) {
            return configured;
        }
        List<String> adapted = parameters().keySet().stream()
                .filter(name -> name.startsWith(BACKBONE + ".") && Lora.isLoraParameter(name))
                .map(name -> layerOf(name.substring(BACKBONE.length() + 1)))
                .toList();
        return layers.stream().filter(layer -> !adapted.contains(layer)).toList();
    }

    /** Tells whether the backbone carries LoRA updates. */
    boolean isLora() {
        return !Lora.updates(backbone).isEmpty();
    }

    /**
     * Returns the layer a backbone parameter belongs to: the longest layer name that prefixes it, else its first
     * segment.
     *
     * @param parameter a backbone parameter's name, without the {@code backbone.} prefix
     * @return the layer it belongs to: the longest layer name that prefixes it (layer names may
     *     contain dots, e.g. {@code encoder.layer.0}), else its first segment
     */
    private String layerOf(String parameter) {
        String best = null;
        for (String layer : layers) {
            if (parameter.startsWith(layer + ".") && (best == null || layer.length() > best.length())) {
                best = layer;
            }
        }
        return best != null ? best : parameter.split("\\.", 2)[0];
    }

    /** Returns the adapter layers, or null when there are none. */
    Block adapter() {
        return adapter;
    }

    /** Returns the head. */
    Block head() {
        return head;
    }

    /** Freezes every parameter, for inference. */
    void freezeAll() {
        root.freezeParameters(true);
    }
}
