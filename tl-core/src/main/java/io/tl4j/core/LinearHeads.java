package io.tl4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.metrics.History;
import io.tl4j.core.weights.StateDict;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link TransferModel} from a backbone and a linear head whose weights were fitted elsewhere (for
 * example by Spark MLlib's logistic regression on the backbone's features), so that the model predicts in any
 * JVM and saves like a model {@link TransferLearner} fitted.
 */
public final class LinearHeads {

    private LinearHeads() {}

    /**
     * Creates a model whose head computes {@code weights · features + bias} on the backbone's flattened features,
     * then a softmax over the classes.
     *
     * @param backbone the backbone whose features the head was fitted on; its weights are copied
     * @param classNames the class names, in the order of the rows of {@code weights}
     * @param weights one row per class, each as long as the backbone's flattened features
     * @param bias one value per class
     * @param <I> the raw input type
     * @return the model; close it when done
     * @throws IllegalArgumentException when a shape does not match or a value is not finite, naming it
     */
    public static <I> TransferModel<I> of(
            Backbone<I> backbone, List<String> classNames, float[][] weights, float[] bias) {
        Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bias, "bias");
        int classes = classNames.size();
        long features = backbone.featureSize();
        if (weights.length != classes || bias.length != classes) {
            throw new IllegalArgumentException(classes + " class names but " + weights.length + " weight rows and "
                    + bias.length + " bias values");
        }
        float[] flat = new float[Math.multiplyExact(classes, Math.toIntExact(features))];
        for (int c = 0; c < classes; c++) {
            if (weights[c] == null || weights[c].length != features) {
                throw new IllegalArgumentException("Weight row " + c + " ('" + classNames.get(c) + "') has "
                        + (weights[c] == null ? "no values" : weights[c].length + " values")
                        + " but the backbone has " + features + " features");
            }
            requireFinite(weights[c], "weight row " + c);
            System.arraycopy(weights[c], 0, flat, c * (int) features, (int) features);
        }
        requireFinite(bias, "bias");
        Head head = Head.linear();
        NDManager manager = NDManager.newBaseManager();
        try {
            Network net = Network.build(backbone, new int[0], head, classes, manager, 0);
            for (Map.Entry<String, NDArray> e : StateDict.export(net.root).entrySet()) {
                if (e.getKey().startsWith(Network.HEAD + ".")) {
                    NDArray array = e.getValue();
                    array.set(FloatBuffer.wrap(array.getShape().dimension() == 2 ? flat : bias));
                }
            }
            return new TransferModel<>(
                    manager, net, backbone, head, new int[0], classNames, History.empty(), null, null);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static void requireFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        "The " + what + " has a non-finite value at " + i + ": " + values[i]);
            }
        }
    }
}
