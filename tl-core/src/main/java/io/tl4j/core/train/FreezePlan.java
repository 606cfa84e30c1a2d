package io.tl4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides, once per run, what trains when: which backbone layers are frozen in each epoch (gradual
 * unfreezing thaws the last frozen layer every few epochs), which backbone stages run in training
 * mode (a stage with a frozen layer runs in inference mode, so its BatchNorm statistics stay the
 * pretrained ones), how many leading stages are wholly frozen, and whether their output can be
 * computed once and cached. Training, validation and prediction all take their {@link
 * EpochFreezing} from a plan; {@link #inference} is the plan of a trained model.
 */
public final class FreezePlan {

    private final List<String> layers;
    private final int stages;
    private final List<String> initiallyFrozen;
    private final int unfreezeEvery;
    private final boolean cacheAllowed;

    private FreezePlan(
            List<String> layers, int stages, List<String> initiallyFrozen, int unfreezeEvery, boolean cacheAllowed) {
        this.layers = List.copyOf(layers);
        this.stages = stages;
        this.initiallyFrozen = List.copyOf(initiallyFrozen);
        this.unfreezeEvery = unfreezeEvery;
        this.cacheAllowed = cacheAllowed;
    }

    /**
     * Plans a training run.
     *
     * @param layers the backbone's layer names, in order
     * @param staged whether the backbone runs one stage per layer (a layered block) rather than as one
     * @param frozen the layers frozen at the start
     * @param unfreezeEvery thaw the last frozen layer every this many epochs; 0 never
     * @param featureCache whether the user allows caching and the pipeline adds no randomness in
     *     training; the plan caches only when, in addition, nothing thaws during the run
     * @return the plan
     * @throws IllegalArgumentException when a frozen layer is not one of {@code layers}
     */
    public static FreezePlan of(
            List<String> layers, boolean staged, Collection<String> frozen, int unfreezeEvery, boolean featureCache) {
        List<String> ordered = new ArrayList<>();
        for (String layer : layers) {
            if (frozen.contains(layer)) {
                ordered.add(layer);
            }
        }
        if (ordered.size() != new LinkedHashSet<>(frozen).size()) {
            List<String> unknown =
                    frozen.stream().filter(l -> !layers.contains(l)).toList();
            throw new IllegalArgumentException(
                    "Unknown frozen layers " + unknown + "; the backbone's layers are " + layers);
        }
        return new FreezePlan(
                layers, staged ? layers.size() : 1, ordered, unfreezeEvery, featureCache && unfreezeEvery == 0);
    }

    /**
     * Returns the plan of a trained model: every layer frozen, everything in inference mode.
     *
     * @param layers the backbone's layer names
     * @param staged whether the backbone runs one stage per layer
     * @return the plan
     */
    public static FreezePlan inference(List<String> layers, boolean staged) {
        return new FreezePlan(layers, staged ? layers.size() : 1, layers, 0, false);
    }

    /**
     * Returns the freezing in force in an epoch.
     *
     * @param epoch the epoch, from 1
     * @return the epoch's frozen layers, stage modes, frozen prefix and cache decision
     */
    public EpochFreezing at(int epoch) {
        List<String> frozenNow = initiallyFrozen;
        if (unfreezeEvery > 0) {
            int thaw = Math.min(frozenNow.size(), (epoch - 1) / unfreezeEvery);
            frozenNow = frozenNow.subList(0, frozenNow.size() - thaw);
        }
        Set<String> frozen = new LinkedHashSet<>(frozenNow);
        boolean[] training = new boolean[stages];
        Arrays.fill(training, true);
        for (String layer : frozen) {
            training[stages == 1 ? 0 : layers.indexOf(layer)] = false;
        }
        int prefix = frozenPrefix(frozen);
        return new EpochFreezing(frozen, training, prefix, cacheAllowed && prefix > 0, true);
    }

    /**
     * Returns the freezing of a trained model's forward pass: every stage in inference mode.
     *
     * @return the inference freezing
     */
    public EpochFreezing inference() {
        return new EpochFreezing(new LinkedHashSet<>(layers), new boolean[stages], 0, false, false);
    }

    /**
     * Returns the number of backbone stages.
     *
     * @return one per layer for a staged backbone, else 1
     */
    public int stages() {
        return stages;
    }

    private int frozenPrefix(Set<String> frozen) {
        if (stages == 1) {
            return frozen.containsAll(layers) ? 1 : 0;
        }
        int prefix = 0;
        while (prefix < layers.size() && frozen.contains(layers.get(prefix))) {
            prefix++;
        }
        return prefix;
    }

    @Override
    public String toString() {
        return "FreezePlan[frozen " + initiallyFrozen + (unfreezeEvery > 0 ? ", thaw every " + unfreezeEvery : "")
                + (cacheAllowed ? ", cacheable" : "") + "]";
    }
}
