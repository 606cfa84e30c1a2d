package io.tl4j.core;

import ai.djl.ndarray.NDManager;
import io.tl4j.core.train.EpochFreezing;
import java.util.Set;

/**
 * The batch sources of a fit's epochs: feature caches of the training pool and the validation data
 * when the epoch's freezing allows caching (rebuilt only when the frozen layers change), otherwise
 * sources that run the pipeline and the frozen prefix for every batch. The caches' features come from
 * the engine or, when the run asks for it, from the backbone's ONNX export on ONNX Runtime ({@link
 * OnnxRuntimeFeatures}).
 *
 * @param <I> the raw input type
 */
final class FeatureCaches<I> implements AutoCloseable {

    private final Backbone<I> backbone;
    private final InputPipeline<I> pipeline;
    private final FitData<I> data;
    private final boolean onOnnxRuntime;
    private FeatureCache training;
    private FeatureCache validation;
    private Set<String> cachedFor;
    private BatchSource trainingSource;
    private BatchSource validationSource;

    /**
     * Creates the sources of a fit.
     *
     * @param backbone the backbone: its pipeline turns raw inputs into arrays
     * @param data the fit's data
     * @param onOnnxRuntime whether cached features come from ONNX Runtime (only ever asked of a whole
     *     frozen backbone: {@link OnnxRuntimeFeatures#requireUsable})
     */
    FeatureCaches(Backbone<I> backbone, FitData<I> data, boolean onOnnxRuntime) {
        this.backbone = backbone;
        this.pipeline = backbone.pipeline();
        this.data = data;
        this.onOnnxRuntime = onOnnxRuntime;
    }

    /**
     * Prepares the sources of an epoch.
     *
     * @param net the network
     * @param freezing the epoch's freezing
     * @param manager the run's manager, under which caches live
     */
    void prepare(Network net, EpochFreezing freezing, NDManager manager) {
        int prefix = freezing.prefix();
        if (freezing.cached() && (training == null || !freezing.frozen().equals(cachedFor))) {
            close();
            try (OnnxRuntimeFeatures onnxRuntime =
                    onOnnxRuntime ? OnnxRuntimeFeatures.open(manager, net, backbone, raw(net, prefix)) : null) {
                BatchSource source = onnxRuntime != null ? onnxRuntime : raw(net, prefix);
                training = new FeatureCache(source, manager, data.pool());
                validation = data.validation() == null ? null : new FeatureCache(source, manager, data.validation());
            }
            cachedFor = freezing.frozen();
        }
        trainingSource = training != null ? training : raw(net, prefix);
        validationSource = validation != null ? validation : raw(net, prefix);
    }

    /**
     * Returns the source of the epoch's training batches.
     *
     * @return the training source
     */
    BatchSource training() {
        return trainingSource;
    }

    /**
     * Returns the source of the epoch's validation batches.
     *
     * @return the validation source
     */
    BatchSource validation() {
        return validationSource;
    }

    private RawBatchSource<I> raw(Network net, int prefix) {
        return new RawBatchSource<>(net, prefix, pipeline, data.validation());
    }

    /** Frees the caches. */
    @Override
    public void close() {
        if (training != null) {
            training.close();
            training = null;
        }
        if (validation != null) {
            validation.close();
            validation = null;
        }
    }
}
