package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import io.tl4j.core.torchscript.TorchScriptBackbones;
import io.tl4j.core.weights.StateDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rebuilds the backbone of a trained {@link Network} with its trained weights, for transferring again. */
final class TrainedBackbone {

    private TrainedBackbone() {}

    /**
     * Returns a new backbone carrying the network's trained backbone weights.
     *
     * @param net the trained network
     * @param architecture the backbone's architecture as it was built
     * @param pipeline the input pipeline
     * @param provenance where the pretrained weights came from
     * @param <I> the raw input type
     * @return the backbone; the caller closes it
     */
    static <I> Backbone<I> of(
            Network net, Architecture architecture, InputPipeline<I> pipeline, Provenance provenance) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        String prefix = Network.BACKBONE + ".";
        StateDict.export(net.root).forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                weights.put(k.substring(prefix.length()), v);
            }
        });
        return Backbone.<I>builder()
                .setArchitecture(architecture(net, architecture))
                .setPipeline(pipeline)
                .optWeights(weights)
                .optProvenance(provenance)
                .build();
    }

    /**
     * Returns the architecture that rebuilds the trained backbone. A TorchScript module's buffers
     * (BatchNorm statistics) are not parameters, so the trained module itself is written to a
     * temporary file and rebuilt from there; any other architecture is returned as it is.
     *
     * @param net the trained network
     * @param architecture the backbone's architecture as it was built
     * @return the architecture to build the trained backbone with
     */
    static Architecture architecture(Network net, Architecture architecture) {
        if (!TorchScriptBackbones.isTorchScript(net.backbone)) {
            return architecture;
        }
        try {
            Path file = Files.createTempFile("tl4j-backbone", ".pt");
            file.toFile().deleteOnExit();
            TorchScriptBackbones.saveModule(net.backbone, file);
            return TorchScriptBackbones.architecture(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the trained TorchScript backbone", e);
        }
    }
}
