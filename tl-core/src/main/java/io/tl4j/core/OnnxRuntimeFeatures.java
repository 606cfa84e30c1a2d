package io.tl4j.core;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.tl4j.core.data.LabeledData;
import io.tl4j.core.onnx.OnnxExportable;
import java.util.List;
import java.util.Random;

/**
 * Computes a wholly frozen backbone's features on ONNX Runtime instead of the engine, for the feature
 * cache of {@link TransferLearner#featuresOnOnnxRuntime} and for {@link FrozenFeatures#onOnnxRuntime}:
 * the backbone alone is exported with the network's current weights ({@link OnnxExport#writeBackbone}),
 * fed by the input pipeline, and its output shaped as the engine's features. They agree with the
 * engine's within 1e-4, not bit for bit, which is why the setting belongs to the {@link TrainingConfig}
 * that checkpoints are fingerprinted by.
 */
final class OnnxRuntimeFeatures implements BatchSource, AutoCloseable {

    private final RawBatchSource<?> inputs;
    private final OnnxRuntimeSession session;
    private final Shape featureShape;
    private final String architecture;

    private OnnxRuntimeFeatures(
            RawBatchSource<?> inputs, OnnxRuntimeSession session, Shape featureShape, String architecture) {
        this.inputs = inputs;
        this.session = session;
        this.featureShape = featureShape;
        this.architecture = architecture;
    }

    /**
     * Checks, before a fit trains, that its features can come from ONNX Runtime: every backbone layer
     * frozen for the whole run, the feature cache on, and the architecture exportable with ONNX
     * Runtime on the class path.
     *
     * @param config the run's settings
     * @param net the run's network
     * @param backbone the backbone
     * @throws IllegalArgumentException naming the first backbone layer that trains, gradual unfreezing, a
     *     switched-off feature cache, or a pipeline that augments randomly
     * @throws UnsupportedOperationException naming the architecture when it does not export to ONNX
     * @throws IllegalStateException naming the Maven artifact when ONNX Runtime is not on the class path
     */
    static void requireUsable(TrainingConfig config, Network net, Backbone<?> backbone) {
        String asked = "featuresOnOnnxRuntime(true) computes the whole frozen backbone's features once";
        List<String> frozen = net.frozenLayers(config.frozenLayers());
        for (String layer : net.layers) {
            if (!frozen.contains(layer)) {
                throw new IllegalArgumentException(asked + ", but backbone layer '" + layer + "' trains (freezing "
                        + config.freezing() + (net.isLora() ? ", with LoRA updates" : "")
                        + "): freeze the whole backbone (freezeAll()) or leave the features on the engine");
            }
        }
        if (config.gradualUnfreezing() > 0) {
            throw new IllegalArgumentException(asked + ", but gradualUnfreezing(" + config.gradualUnfreezing()
                    + ") thaws backbone layers during the run");
        }
        if (!config.featureCache()) {
            throw new IllegalArgumentException(
                    asked + " into the feature cache, which featureCache(false) switched off");
        }
        if (backbone.pipeline().isRandomInTraining()) {
            throw new IllegalArgumentException(
                    asked + ", but pipeline '" + backbone.pipeline().id()
                            + "' augments randomly in training, so its features cannot be computed once");
        }
        requireExportable(backbone.architecture());
    }

    /**
     * Checks that a backbone's features can be computed on ONNX Runtime.
     *
     * @param architecture the backbone's architecture
     * @throws UnsupportedOperationException naming the architecture when it does not export to ONNX
     * @throws IllegalStateException naming the Maven artifact when ONNX Runtime is not on the class path
     */
    static void requireExportable(Architecture architecture) {
        if (!(architecture instanceof OnnxExportable)) {
            throw new UnsupportedOperationException("Features on ONNX Runtime need a backbone that exports to ONNX: "
                    + "architecture '" + architecture.id() + "' (" + architecture + ") does not implement "
                    + OnnxExportable.class.getName());
        }
        if (!OnnxRuntimeAvailability.onClassPath()) {
            throw new IllegalStateException("Features on ONNX Runtime need ONNX Runtime on the class path: add the "
                    + "Maven dependency " + OnnxRuntimeAvailability.ARTIFACT);
        }
    }

    /**
     * Exports a network's backbone and opens it on ONNX Runtime.
     *
     * @param manager the network's manager
     * @param net the network, whose backbone's current weights are exported
     * @param backbone the backbone: its architecture and its features' shape
     * @param inputs runs the input pipeline; its prefix must be the whole backbone
     * @return the source; close it to end the session
     * @throws UnsupportedOperationException naming what cannot be exported
     * @throws IllegalStateException when ONNX Runtime is missing or refuses the export
     */
    static OnnxRuntimeFeatures open(NDManager manager, Network net, Backbone<?> backbone, RawBatchSource<?> inputs) {
        Architecture architecture = backbone.architecture();
        requireExportable(architecture);
        OnnxRuntimeSession session = OnnxRuntimeSession.open(
                architecture, file -> OnnxExport.writeBackbone(manager, net, architecture, file));
        return new OnnxRuntimeFeatures(inputs, session, backbone.featureShape(), architecture.id());
    }

    @Override
    public NDList batch(NDManager sm, LabeledData<?> data, int[] idx, boolean training, Random random) {
        float[] features = session.run(inputs.inputs(sm, data, idx, training, random));
        Shape shape = new Shape(Network.prepend(idx.length, featureShape.getShape()));
        if (features.length != shape.size()) {
            throw new IllegalStateException("The ONNX export of " + architecture + " computed " + features.length
                    + " feature values for " + idx.length + " examples; the engine computes " + featureShape
                    + " per example");
        }
        return new NDList(sm.create(features, shape));
    }

    @Override
    public int prefix() {
        return inputs.prefix();
    }

    /** Ends the ONNX Runtime session. */
    @Override
    public void close() {
        session.close();
    }
}
