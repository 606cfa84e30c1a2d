package io.tl4j.core;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.tl4j.core.nn.LayeredBlock;
import io.tl4j.core.train.EpochFreezing;
import io.tl4j.core.train.FreezePlan;
import io.tl4j.core.weights.ParameterNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table of a network's layers: each layer's output shape, parameter count, and whether it is frozen,
 * trainable or cached under a freezing. What {@code freezeUntil} users look at before training.
 *
 * <p>Parameter counts include every parameter a layer holds, BatchNorm running statistics too. A
 * frozen layer is {@link Status#CACHED} when training would compute its output once (a wholly frozen
 * prefix, the feature cache allowed, and an input pipeline without training-time randomness). Output
 * shapes are per sample, without the batch axis; a backbone that is not a {@link LayeredBlock} (a
 * TorchScript module) runs as one stage, so its layers have no output shape of their own.
 */
public final class ModelSummary {

    /** What a layer does in training under the summarized freezing. */
    public enum Status {
        /** Its parameters train. */
        TRAINABLE,
        /** Its parameters stay fixed; it runs on every batch. */
        FROZEN,
        /** Its parameters stay fixed and its output is computed once and cached. */
        CACHED,
        /** Not known: the model carries no training settings (saved by an older version). */
        UNKNOWN
    }

    /**
     * One layer of the table.
     *
     * @param layer the layer's name (backbone layer names as freezing accepts them, then {@code adapter}
     *     and {@code head})
     * @param outputShape the shape of one sample's output, empty when the layer does not run as its own
     *     stage
     * @param parameters the number of values in the layer's parameters
     * @param status whether it trains, stays frozen or is cached
     */
    public record Row(String layer, Optional<Shape> outputShape, long parameters, Status status) {}

    private final List<Row> rows;
    private final String missing;

    private ModelSummary(List<Row> rows, String missing) {
        this.rows = List.copyOf(rows);
        this.missing = missing;
    }

    /** Returns the layers, in the order the network runs them. */
    public List<Row> rows() {
        return rows;
    }

    /** Returns the number of parameter values over all layers. */
    public long totalParameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    /**
     * Returns the number of parameter values in the layers with a status.
     *
     * @param status the status to count
     * @return the sum of those layers' parameter counts
     */
    public long parameters(Status status) {
        return rows.stream()
                .filter(r -> r.status() == status)
                .mapToLong(Row::parameters)
                .sum();
    }

    /** Returns the table as aligned text, one layer a line, with the totals under it. */
    @Override
    public String toString() {
        int width = Math.max(
                "Layer".length(),
                rows.stream().mapToInt(r -> r.layer().length()).max().orElse(0));
        String format = "%-" + width + "s  %-18s  %,14d  %s%n";
        StringBuilder text = new StringBuilder(
                String.format("%-" + width + "s  %-18s  %14s  %s%n", "Layer", "Output shape", "Parameters", "Status"));
        for (Row row : rows) {
            String shape = row.outputShape().map(Shape::toString).orElse("-");
            text.append(String.format(format, row.layer(), shape, row.parameters(), row.status()));
        }
        text.append(String.format(
                "Total %,d parameters: %,d trainable, %,d frozen, %,d cached%n",
                totalParameters(), parameters(Status.TRAINABLE), parameters(Status.FROZEN), parameters(Status.CACHED)));
        if (missing != null) {
            text.append(missing).append(System.lineSeparator());
        }
        return text.toString();
    }

    /**
     * Summarizes a backbone under a freezing, running one zero batch through a fresh copy.
     *
     * @param backbone the backbone
     * @param frozen the frozen layers
     * @return its summary
     */
    static ModelSummary of(Backbone<?> backbone, Collection<String> frozen) {
        try (NDManager scratch = NDManager.newBaseManager()) {
            Block block = backbone.instantiate(scratch, 0);
            List<String> layers = Backbone.layerNames(block);
            boolean cache = !backbone.pipeline().isRandomInTraining();
            Probe probe = new Probe(scratch, new NDList(scratch.zeros(backbone.batchShape(2))));
            probe.backbone(block, statuses(layers, block instanceof LayeredBlock, frozen, cache, 0));
            return new ModelSummary(probe.rows, null);
        }
    }

    /**
     * Summarizes a classifier: its backbone under the freezing it was trained with, then its adapter
     * layers and head (trainable). Without training settings every status is {@link Status#UNKNOWN}.
     *
     * @param net the network
     * @param input one sample's shape
     * @param config the settings it was trained with, if recorded
     * @param randomPipeline whether its input pipeline adds randomness in training (which rules out caching)
     * @return its summary
     */
    static ModelSummary of(Network net, Shape input, Optional<TrainingConfig> config, boolean randomPipeline) {
        List<Status> backbone;
        Status added;
        if (config.isPresent()) {
            TrainingConfig c = config.get();
            backbone = statuses(
                    net.layers,
                    net.staged(),
                    net.frozenLayers(c.frozenLayers()),
                    c.featureCache() && !randomPipeline,
                    c.gradualUnfreezing());
            added = Status.TRAINABLE;
        } else {
            backbone = net.layers.stream().map(l -> Status.UNKNOWN).toList();
            added = Status.UNKNOWN;
        }
        try (NDManager scratch = NDManager.newBaseManager()) {
            Probe probe =
                    new Probe(scratch, new NDList(scratch.zeros(new Shape(Network.prepend(2, input.getShape())))));
            probe.backbone(net.backbone, backbone);
            if (net.adapter() != null) {
                probe.stage(Network.ADAPTER, net.adapter(), added);
            }
            probe.stage(Network.HEAD, net.head(), added);
            return new ModelSummary(
                    probe.rows,
                    config.isPresent()
                            ? null
                            : "Statuses unknown: the model carries no training settings (saved by an older tl4j).");
        }
    }

    private static List<Status> statuses(
            List<String> layers, boolean staged, Collection<String> frozen, boolean cache, int unfreezeEvery) {
        EpochFreezing first =
                FreezePlan.of(layers, staged, frozen, unfreezeEvery, cache).at(1);
        List<Status> statuses = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            boolean cached = first.cached() && (!staged || i < first.prefix());
            statuses.add(
                    cached ? Status.CACHED : first.frozen().contains(layers.get(i)) ? Status.FROZEN : Status.TRAINABLE);
        }
        return statuses;
    }

    /** Runs a zero batch through the network stage by stage, recording a row per layer. */
    private static final class Probe {
        private final ParameterStore store;
        private final List<Row> rows = new ArrayList<>();
        private NDList current;

        Probe(NDManager manager, NDList input) {
            this.store = new ParameterStore(manager, false);
            this.current = input;
        }

        void backbone(Block block, List<Status> statuses) {
            if (block instanceof LayeredBlock layered) {
                List<String> names = layered.layerNames();
                for (int i = 0; i < names.size(); i++) {
                    current = layered.forwardRange(store, current, i, i + 1, new boolean[layered.size()]);
                    rows.add(new Row(names.get(i), outputShape(), count(layered.layer(i)), statuses.get(i)));
                }
                return;
            }
            Map<String, Long> byLayer = new LinkedHashMap<>();
            ParameterNames.of(block).forEach((name, parameter) -> {
                int dot = name.indexOf('.');
                byLayer.merge(dot < 0 ? name : name.substring(0, dot), size(parameter), Long::sum);
            });
            int i = 0;
            for (Map.Entry<String, Long> layer : byLayer.entrySet()) {
                rows.add(new Row(layer.getKey(), Optional.empty(), layer.getValue(), statuses.get(i++)));
            }
            current = block.forward(store, current, false);
        }

        void stage(String name, Block block, Status status) {
            current = block.forward(store, current, false);
            rows.add(new Row(name, outputShape(), count(block), status));
        }

        private Optional<Shape> outputShape() {
            return Optional.of(current.head().getShape().slice(1));
        }

        private static long count(Block block) {
            return ParameterNames.of(block).values().stream()
                    .mapToLong(Probe::size)
                    .sum();
        }

        private static long size(Parameter parameter) {
            return parameter.getArray().size();
        }
    }
}
