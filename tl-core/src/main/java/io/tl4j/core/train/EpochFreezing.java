package io.tl4j.core.train;

import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The freezing in force for one forward pass or epoch, from a {@link FreezePlan}: the frozen layer
 * names, which backbone stages run in training mode, how many leading stages are wholly frozen, and
 * whether their output comes from a feature cache.
 *
 * @param frozen the frozen layer names
 * @param stageTraining per backbone stage, whether it runs in training mode
 * @param prefix the number of leading stages whose layers are all frozen
 * @param cached whether the prefix's output is computed once and cached
 * @param training whether the layers after the backbone (adapter and head) run in training mode
 */
public record EpochFreezing(Set<String> frozen, boolean[] stageTraining, int prefix, boolean cached, boolean training) {

    /**
     * Freezes the parameters of the frozen layers and unfreezes the others.
     *
     * @param groups the network's trainable parameters by layer (adapter and head under their own names)
     */
    public void applyTo(Map<String, List<Map.Entry<String, Parameter>>> groups) {
        groups.forEach((group, params) -> params.forEach(p -> p.getValue().freeze(frozen.contains(group))));
    }
}
