package io.tl4j.core.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.tl4j.core.Architecture;
import io.tl4j.core.Components;

/**
 * Builds a base architecture's block and adds LoRA updates to its target linear layers; its id is
 * the base's with the LoRA settings, so a saved model says what it was trained as.
 */
final class LoraArchitecture implements Architecture {

    private final Architecture base;
    private final LoraConfig config;

    LoraArchitecture(Architecture base, LoraConfig config) {
        this.base = base;
        this.config = config;
    }

    @Override
    public Block newBlock(NDManager manager) {
        Block block = base.newBlock(manager);
        Lora.attach(block, config);
        return block;
    }

    @Override
    public String id() {
        return base.id() + "+lora(r=" + config.rank() + ",alpha=" + config.alpha() + ",targets="
                + String.join("|", config.targets()) + ")";
    }

    @Override
    public Record config() {
        return new Components.NoConfig();
    }
}
