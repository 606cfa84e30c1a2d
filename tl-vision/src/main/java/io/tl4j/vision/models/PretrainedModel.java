package io.tl4j.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.tl4j.core.Backbone;
import io.tl4j.core.InputPipeline;
import io.tl4j.core.Prediction;
import io.tl4j.core.Provenance;
import io.tl4j.core.engine.EngineSetup;
import io.tl4j.core.weights.StateDict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image network with its pretrained weights, strictly checked when it was loaded: every
 * parameter received a tensor of its shape and no tensor was left over. Keeping the classifier
 * layer, it {@linkplain #classify classifies} (ImageNet class names for 1000 classes); dropping
 * it, it is a {@linkplain #backbone backbone} for transfer learning.
 *
 * <p>It owns the native memory of its weights: close it when done (backbones made from it hold
 * their own copies).
 */
public final class PretrainedModel implements AutoCloseable {

    static {
        // before this class starts the engine: the process's engine settings (oneDNN cap, malloc)
        EngineSetup.configure();
    }

    private final ImageArchitecture architecture;
    private final Provenance provenance;
    private final NDManager manager;
    private final Block network;
    private final List<String> labels;

    /**
     * Builds the network for {@code weights} and loads them. The number of classes comes from the
     * classifier layer's weight ({@code fc.weight}, {@code classifier.6.weight}); without one the
     * network has no classifier.
     *
     * @param architecture the network (its own number of classes is ignored)
     * @param weights the weights by parameter name; copied, the caller keeps ownership
     * @param provenance where they came from
     * @return the model
     * @throws io.tl4j.core.weights.WeightMismatchException naming every missing, unexpected and
     *     mis-shaped tensor
     */
    public static PretrainedModel of(
            ImageArchitecture architecture, Map<String, NDArray> weights, Provenance provenance) {
        NDArray head = weights.get(architecture.classifierPrefix() + "weight");
        int classes = head == null ? 0 : Math.toIntExact(head.getShape().get(0));
        return new PretrainedModel(architecture.withNumClasses(classes), weights, provenance);
    }

    private PretrainedModel(ImageArchitecture architecture, Map<String, NDArray> weights, Provenance provenance) {
        this.architecture = architecture;
        this.provenance = provenance;
        this.manager = NDManager.newBaseManager();
        try {
            this.network = architecture.newBlock(manager);
            NDArray first = weights.get(architecture.firstConvolutionWeight());
            long channels = first != null && first.getShape().dimension() == 4
                    ? first.getShape().get(1)
                    : 3;
            network.initialize(manager, DataType.FLOAT32, new Shape(1, channels, 32, 32));
            StateDict.load(network, weights);
            network.freezeParameters(true);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        int classes = architecture.numClasses();
        List<String> names = new ArrayList<>(classes);
        for (int i = 0; i < classes; i++) {
            names.add(classes == 1000 ? ImageNetLabels.all().get(i) : "class " + i);
        }
        this.labels = Collections.unmodifiableList(names);
    }

    /** Returns the network, with the classifier layer the weights have (or none). */
    public ImageArchitecture architecture() {
        return architecture;
    }

    /** Returns where the weights came from. */
    public Provenance provenance() {
        return provenance;
    }

    /** Returns the class names of the classifier: ImageNet's for 1000 classes, else {@code class i}. */
    public List<String> labels() {
        return labels;
    }

    /** Returns the weights by parameter name (the model's own arrays: read them, do not close them). */
    public Map<String, NDArray> weights() {
        return Collections.unmodifiableMap(StateDict.export(network));
    }

    /**
     * The network below its classifier layer, with these weights: {@code avgpool}'s 512 or 2048
     * features for ResNet, 4096 for VGG.
     *
     * @param pipeline turns raw inputs into the network's input batch (the weights' channels, 32
     *     pixels or more; a small-image stem takes smaller images)
     * @param <I> the raw input type
     * @return a new backbone with its own copy of the weights; close it when done
     */
    public <I> Backbone<I> backbone(InputPipeline<I> pipeline) {
        Map<String, NDArray> features = new LinkedHashMap<>(StateDict.export(network));
        features.keySet().removeIf(name -> name.startsWith(architecture.classifierPrefix()));
        return Backbone.<I>builder()
                .setArchitecture(architecture.withNumClasses(0))
                .setPipeline(pipeline)
                .optWeights(features)
                .optProvenance(provenance)
                .build();
    }

    /**
     * Runs the whole network in inference mode.
     *
     * @param images a batch of preprocessed images, shape (N, 3, H, W)
     * @return the class scores (N, classes), or the features when there is no classifier; on the
     *     images' manager
     */
    public NDArray logits(NDArray images) {
        return network.forward(new ParameterStore(images.getManager(), false), new NDList(images), false)
                .singletonOrThrow();
    }

    /**
     * Classifies a batch of preprocessed images.
     *
     * @param images shape (N, 3, H, W), normalized as the weights expect (ImageNet's mean and
     *     standard deviation for torchvision's weights)
     * @param topK how many classes to return per image
     * @return per image, the {@code topK} most probable classes, most probable first
     * @throws IllegalStateException when the network has no classifier layer
     */
    public List<List<Prediction>> classify(NDArray images, int topK) {
        if (labels.isEmpty()) {
            throw new IllegalStateException("These weights have no classifier layer (" + architecture.classifierPrefix()
                    + "*): use backbone(...) instead");
        }
        try (NDManager scratch = images.getManager().newSubManager()) {
            NDArray input = images.duplicate();
            input.attach(scratch);
            float[] probabilities = logits(input).softmax(1).toFloatArray();
            int classes = labels.size();
            List<List<Prediction>> result = new ArrayList<>();
            for (int n = 0; n * classes < probabilities.length; n++) {
                List<Integer> order = new ArrayList<>(classes);
                for (int c = 0; c < classes; c++) {
                    order.add(c);
                }
                int offset = n * classes;
                order.sort((a, b) -> Float.compare(probabilities[offset + b], probabilities[offset + a]));
                List<Prediction> top = new ArrayList<>();
                for (int c : order.subList(0, Math.min(topK, classes))) {
                    top.add(new Prediction(labels.get(c), c, probabilities[offset + c]));
                }
                result.add(List.copyOf(top));
            }
            return List.copyOf(result);
        }
    }

    /** Frees the weights' native memory. */
    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "PretrainedModel[" + architecture + ", " + provenance.source() + "]";
    }
}
