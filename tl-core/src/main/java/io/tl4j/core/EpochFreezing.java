package io.tl4j.core;

import ai.djl.nn.Parameter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The freezing in force for one epoch: the frozen layers (after any gradual unfreezing), which
 * backbone stages run in training mode, and how many leading stages are wholly frozen, which is
 * what the feature cache may skip.
 *
 * @param frozen the frozen layer names
 * @param stageTraining per backbone stage, whether it runs in training mode
 * @param prefix the number of leading stages whose layers are all frozen
 */
record EpochFreezing(Set<String> frozen, boolean[] stageTraining, int prefix) {

    /**
     * Returns the freezing of an epoch.
     *
     * @param epoch the epoch, from 1
     * @param initiallyFrozen the layers frozen at the start, in network order
     * @param unfreezeEvery thaw the last frozen layer every this many epochs; 0 never
     * @param net the network
     * @return the epoch's freezing
     */
    static EpochFreezing at(int epoch, List<String> initiallyFrozen, int unfreezeEvery, Network net) {
        List<String> layers = new ArrayList<>(initiallyFrozen);
        if (unfreezeEvery > 0) {
            int thaw = Math.min(layers.size(), (epoch - 1) / unfreezeEvery);
            layers = layers.subList(0, layers.size() - thaw);
        }
        Set<String> frozen = new LinkedHashSet<>(layers);
        boolean[] training = new boolean[net.stages()];
        Arrays.fill(training, true);
        for (String layer : frozen) {
            training[net.stageOf(layer)] = false;
        }
        return new EpochFreezing(frozen, training, frozenPrefix(net, frozen));
    }

    /**
     * Freezes the parameters of the frozen layers and unfreezes the others.
     *
     * @param groups the network's trainable parameters by layer
     */
    void applyTo(Map<String, List<Map.Entry<String, Parameter>>> groups) {
        groups.forEach((group, params) -> params.forEach(p -> p.getValue().freeze(frozen.contains(group))));
    }

    private static int frozenPrefix(Network net, Set<String> frozen) {
        if (net.stages() == 1) {
            return frozen.containsAll(net.layers) ? 1 : 0;
        }
        int prefix = 0;
        while (prefix < net.layers.size() && frozen.contains(net.layers.get(prefix))) {
            prefix++;
        }
        return prefix;
    }
}
