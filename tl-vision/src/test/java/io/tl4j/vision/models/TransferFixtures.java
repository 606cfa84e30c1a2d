package io.tl4j.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.tl4j.core.Backbone;
import io.tl4j.core.TensorPipeline;
import io.tl4j.core.data.LabeledData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the vision transfer tests share: two-class image data, backbones with the golden tests' formula
 * weights, and the check that training under {@code freezeUntil} left every earlier layer as it was.
 */
final class TransferFixtures {

    private TransferFixtures() {}

    /**
     * Returns {@code n} images of two classes, alternating, each pixel Gaussian around +0.5 ("light") or
     * -0.5 ("dark"), from a fixed seed.
     *
     * @param sample the shape of one image
     * @param n the number of images
     * @return the labelled images
     */
    static LabeledData<float[]> twoClasses(Shape sample, int n) {
        Random random = new Random(7);
        List<float[]> inputs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            float[] x = new float[(int) sample.size()];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) random.nextGaussian() + (labels[i] == 0 ? 0.5f : -0.5f);
            }
            inputs.add(x);
        }
        return LabeledData.of(inputs, labels, List.of("light", "dark"));
    }

    /**
     * Returns a backbone with the golden tests' formula weights, so that every weight and running
     * statistic is set to a known non-trivial value.
     *
     * @param architecture the network
     * @param sample the shape of one image
     * @param manager owns the temporary block
     * @return the backbone
     */
    static Backbone<float[]> formulaBackbone(ImageArchitecture architecture, Shape sample, NDManager manager) {
        Block block = architecture.newBlock(manager);
        FormulaWeights.initializeWithZeros(block, manager, new Shape(1).addAll(sample));
        return Backbone.<float[]>builder()
                .setArchitecture(architecture)
                .setPipeline(TensorPipeline.of(sample))
                .optWeights(FormulaWeights.forBlock(block, manager))
                .build();
    }

    /**
     * Compares a backbone's weights before and after training: asserts that both have the same names
     * and that every weight of a layer before {@code firstTrained} is bit-identical, and returns the
     * frozen names and the names of the weights that changed.
     *
     * @param before the backbone trained from
     * @param after the trained model's backbone
     * @param firstTrained the layer given to {@code freezeUntil}
     * @return the outcome
     */
    static FreezingOutcome compare(Backbone<float[]> before, Backbone<float[]> after, String firstTrained) {
        List<String> layers = before.layers();
        int boundary = layers.indexOf(firstTrained);
        assertThat(boundary).as("%s is a layer of %s", firstTrained, layers).isNotNegative();
        Map<String, NDArray> old = before.weights();
        Map<String, NDArray> trained = after.weights();
        assertThat(trained.keySet()).containsExactlyElementsOf(old.keySet());
        List<String> frozen = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String name : old.keySet()) {
            boolean same = old.get(name).contentEquals(trained.get(name));
            if (layers.indexOf(layerOf(name, layers)) < boundary) {
                assertThat(same)
                        .as("%s is frozen by freezeUntil(%s)", name, firstTrained)
                        .isTrue();
                frozen.add(name);
            } else if (!same) {
                changed.add(name);
            }
        }
        return new FreezingOutcome(frozen, changed);
    }

    /** The layer a parameter belongs to: the longest layer name it is or starts with. */
    private static String layerOf(String parameter, List<String> layers) {
        return layers.stream()
                .filter(layer -> parameter.equals(layer) || parameter.startsWith(layer + "."))
                .max(Comparator.comparingInt(String::length))
                .orElseThrow();
    }

    /**
     * What training under a freezing did to a backbone.
     *
     * @param frozen the weights of the frozen layers (all unchanged)
     * @param changed the weights of the trained layers that changed
     */
    record FreezingOutcome(List<String> frozen, List<String> changed) {}
}
