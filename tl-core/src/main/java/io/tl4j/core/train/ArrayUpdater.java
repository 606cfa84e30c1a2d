package io.tl4j.core.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Applies an {@link OptimizerSpec} to parameters held as Java float arrays, with {@link Updater}'s
 * arithmetic operation for operation (float32, the same order, so the same roundings), on copies of
 * an {@link Updater}'s state: {@link #load} takes the moments and the step count from it and {@link
 * #store} gives them back, so checkpoints, resuming and later engine steps see one optimizer.
 */
final class ArrayUpdater {

    private final OptimizerSpec spec;
    private final List<String> names;
    private final boolean[] decays;
    private final float[][] first;
    private final float[][] second;
    private long steps;
    private long taken;

    /**
     * Creates the updater of some parameters.
     *
     * @param spec the optimizer settings
     * @param names the parameters' names, the keys of their state in the {@link Updater}
     * @param decays per parameter, whether weight decay applies (weights with two or more axes)
     */
    ArrayUpdater(OptimizerSpec spec, List<String> names, boolean[] decays) {
        this.spec = spec;
        this.names = List.copyOf(names);
        this.decays = decays.clone();
        this.first = new float[names.size()][];
        this.second = new float[names.size()][];
    }

    /**
     * Copies the optimizer state of the parameters from an updater; a state it does not have yet starts
     * at zero, as there.
     *
     * @param updater the updater
     * @param sizes the parameters' element counts
     */
    void load(Updater updater, int[] sizes) {
        for (int i = 0; i < names.size(); i++) {
            first[i] = hasFirst() ? read(updater, key(i, firstSlot()), sizes[i]) : null;
            second[i] = hasSecond() ? read(updater, key(i, "v"), sizes[i]) : null;
        }
        steps = updater.steps();
        taken = 0;
    }

    /**
     * Gives the state back to the updater, with the steps taken since {@link #load}.
     *
     * @param updater the updater
     * @param arrays the parameters' arrays, whose shapes the state takes
     */
    void store(Updater updater, List<NDArray> arrays) {
        for (int i = 0; i < names.size(); i++) {
            if (first[i] != null) {
                updater.setValues(key(i, firstSlot()), arrays.get(i), first[i]);
            }
            if (second[i] != null) {
                updater.setValues(key(i, "v"), arrays.get(i), second[i]);
            }
        }
        updater.countSteps(taken);
        taken = 0;
    }

    /**
     * Updates every parameter with its gradient, as {@link Updater#step} does.
     *
     * @param weights the parameters' values, updated in place
     * @param gradients their gradients, in the same order
     * @param learningRates their learning rates for this step
     */
    void step(float[][] weights, float[][] gradients, float[] learningRates) {
        steps++;
        taken++;
        for (int i = 0; i < weights.length; i++) {
            boolean decay = spec.weightDecay() > 0 && decays[i];
            switch (spec.kind()) {
                case SGD -> sgd(weights[i], gradients[i], learningRates[i], decay, first[i]);
                case ADAM, ADAMW -> adam(weights[i], gradients[i], learningRates[i], decay, first[i], second[i]);
            }
        }
    }

    private void sgd(float[] w, float[] g, float lr, boolean decay, float[] velocity) {
        float wd = spec.weightDecay();
        float momentum = spec.momentum();
        for (int k = 0; k < w.length; k++) {
            float grad = decay ? g[k] + w[k] * wd : g[k];
            if (velocity != null) {
                velocity[k] = velocity[k] * momentum + grad;
                w[k] -= velocity[k] * lr;
            } else {
                w[k] -= grad * lr;
            }
        }
    }

    private void adam(float[] w, float[] g, float lr, boolean decay, float[] m, float[] v) {
        boolean l2 = decay && spec.kind() == OptimizerSpec.Kind.ADAM;
        boolean decoupled = decay && spec.kind() == OptimizerSpec.Kind.ADAMW;
        float wd = spec.weightDecay();
        float shrink = 1f - lr * wd;
        float b1 = spec.beta1();
        float b2 = spec.beta2();
        float keep1 = 1f - b1;
        float keep2 = 1f - b2;
        float c2 = (float) (1 - Math.pow(b2, steps));
        float scale = (float) (lr / (1 - Math.pow(b1, steps)));
        float eps = spec.epsilon();
        for (int k = 0; k < w.length; k++) {
            float grad = l2 ? g[k] + w[k] * wd : g[k];
            if (decoupled) {
                w[k] *= shrink;
            }
            m[k] = m[k] * b1 + grad * keep1;
            v[k] = v[k] * b2 + grad * grad * keep2;
            float denominator = (float) Math.sqrt(v[k] / c2) + eps;
            w[k] -= m[k] / denominator * scale;
        }
    }

    private boolean hasFirst() {
        return spec.kind() != OptimizerSpec.Kind.SGD || spec.momentum() > 0;
    }

    private boolean hasSecond() {
        return spec.kind() != OptimizerSpec.Kind.SGD;
    }

    private String firstSlot() {
        return spec.kind() == OptimizerSpec.Kind.SGD ? "momentum" : "m";
    }

    private String key(int parameter, String slot) {
        return names.get(parameter) + "." + slot;
    }

    private static float[] read(Updater updater, String key, int size) {
        float[] values = updater.values(key);
        return values == null ? new float[size] : values;
    }
}
