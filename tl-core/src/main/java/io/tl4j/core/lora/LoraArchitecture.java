package io.tl4j.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.tl4j.core.Architecture;
import io.tl4j.core.Components;
import io.tl4j.core.onnx.OnnxExportable;
import io.tl4j.core.onnx.OnnxGraphBuilder;
import java.util.List;
import java.util.Map;

/**
 * Builds a base architecture's block and adds LoRA updates to its target linear layers; its id is
 * the base's with the LoRA settings, so a saved model says what it was trained as. It exports to ONNX
 * as its base does, once {@link io.tl4j.core.TransferModel#exportOnnx} has folded the updates into
 * their layers' weights.
 */
final class LoraArchitecture implements Architecture, OnnxExportable {

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

    /**
     * Writes the base architecture's graph from weights whose LoRA updates are folded into their
     * layers ({@code weight + scale · B A}): the exported network is the plain base network.
     *
     * @throws IllegalArgumentException when the weights still hold LoRA updates, which the base's
     *     graph would leave out
     * @throws UnsupportedOperationException when the base architecture does not export
     */
    @Override
    public String writeOnnx(OnnxGraphBuilder graph, Map<String, NDArray> weights) {
        List<String> updates =
                weights.keySet().stream().filter(Lora::isLoraParameter).toList();
        if (!updates.isEmpty()) {
            throw new IllegalArgumentException("The weights of " + id() + " still hold " + updates.size()
                    + " LoRA update arrays (" + updates.get(0) + ", ...): fold them into their layers first, as "
                    + "TransferModel.exportOnnx does");
        }
        return exportableBase().writeOnnx(graph, weights);
    }

    @Override
    public Map<String, NDArray> onnxInputs(NDList batch) {
        return exportableBase().onnxInputs(batch);
    }

    private OnnxExportable exportableBase() {
        if (base instanceof OnnxExportable exportable) {
            return exportable;
        }
        throw new UnsupportedOperationException("The LoRA model " + id() + " cannot be exported to ONNX: its base "
                + "architecture '" + base.id() + "' does not implement " + OnnxExportable.class.getName());
    }
}
