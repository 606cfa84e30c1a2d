package io.tl4j.core.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Map;

/**
 * An {@link io.tl4j.core.Architecture} that can write its network's forward pass, in inference mode,
 * into an ONNX graph; {@link io.tl4j.core.TransferModel#exportOnnx} exports only models whose backbone
 * architecture implements it, and adds the adapter layers and the head itself; {@link
 * io.tl4j.core.TransferModel#optimizeForInference} runs the export on ONNX Runtime, feeding it {@link
 * #onnxInputs}.
 */
public interface OnnxExportable {

    /**
     * Writes the backbone's inference forward pass: declares the graph's inputs, adds the weights
     * and the operators, and returns the value that holds the features.
     *
     * @param graph the graph being built, still without inputs
     * @param weights the trained backbone's parameters by name ({@link
     *     io.tl4j.core.weights.ParameterNames}), as {@link io.tl4j.core.TransferModel#backbone()}
     *     gives them
     * @return the name of the value holding the features, (batch, features)
     * @throws UnsupportedOperationException naming what cannot be exported when this configuration
     *     of the architecture cannot
     */
    String writeOnnx(OnnxGraphBuilder graph, Map<String, NDArray> weights);

    /**
     * Makes the graph inputs {@link #writeOnnx} declared out of one batch of the backbone's input
     * pipeline, for running the exported model ({@link io.tl4j.core.TransferModel#optimizeForInference}).
     *
     * @param batch the input pipeline's batch, as the backbone's block receives it
     * @return the arrays by graph input name, int64 or float32
     */
    Map<String, NDArray> onnxInputs(NDList batch);
}
