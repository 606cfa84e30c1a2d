package io.tl4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an {@link OptimizerSpec} to named parameters with a learning rate per parameter, and keeps
 * the optimizer's state (momentum, moments) as named arrays so a checkpoint can store and restore it
 * exactly.
 */
public final class Updater implements AutoCloseable {

    /**
     * A parameter to update.
     *
     * @param name its name (the key of its state in checkpoints)
     * @param weight its array, updated in place
     * @param learningRate its learning rate for this step
     */
    public record Target(String name, NDArray weight, float learningRate) {}

    private final OptimizerSpec spec;
    private final NDManager manager;
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    private long steps;

    /**
     * Creates an updater whose state arrays live under a manager.
     *
     * @param spec the optimizer settings
     * @param parent the manager under which the state arrays live
     */
    public Updater(OptimizerSpec spec, NDManager parent) {
        this.spec = spec;
        this.manager = parent.newSubManager();
    }

    /**
     * Scales all gradients so their global L2 norm is at most {@code maxNorm}.
     *
     * @param gradients the gradients
     * @param maxNorm the largest norm allowed
     * @return the norm before clipping
     */
    public static double clipByGlobalNorm(List<NDArray> gradients, double maxNorm) {
        double sum = 0;
        for (NDArray g : gradients) {
            sum += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sum);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            gradients.forEach(g -> g.muli(scale));
        }
        return norm;
    }

    /**
     * Updates every target with its gradient; call inside an {@link NDScope} or sub-manager that is
     * closed after the step, since temporaries are created.
     *
     * @param targets the parameters that train
     * @param gradients their gradients, in the same order
     */
    public void step(List<Target> targets, List<NDArray> gradients) {
        steps++;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            NDArray w = t.weight();
            NDArray g = gradients.get(i);
            boolean decays = spec.weightDecay() > 0 && w.getShape().dimension() >= 2;
            switch (spec.kind()) {
                case SGD -> {
                    NDArray grad = decays ? g.add(w.mul(spec.weightDecay())) : g;
                    if (spec.momentum() > 0) {
                        NDArray velocity = slot(t.name(), "momentum", w);
                        velocity.muli(spec.momentum()).addi(grad);
                        w.subi(velocity.mul(t.learningRate()));
                    } else {
                        w.subi(grad.mul(t.learningRate()));
                    }
                }
                case ADAM, ADAMW -> {
                    NDArray grad =
                            decays && spec.kind() == OptimizerSpec.Kind.ADAM ? g.add(w.mul(spec.weightDecay())) : g;
                    if (decays && spec.kind() == OptimizerSpec.Kind.ADAMW) {
                        w.muli(1f - t.learningRate() * spec.weightDecay());
                    }
                    NDArray m = slot(t.name(), "m", w);
                    NDArray v = slot(t.name(), "v", w);
                    m.muli(spec.beta1()).addi(grad.mul(1f - spec.beta1()));
                    v.muli(spec.beta2()).addi(grad.square().muli(1f - spec.beta2()));
                    double c1 = 1 - Math.pow(spec.beta1(), steps);
                    double c2 = 1 - Math.pow(spec.beta2(), steps);
                    NDArray denominator = v.div((float) c2).sqrt().addi(spec.epsilon());
                    w.subi(m.div(denominator).muli((float) (t.learningRate() / c1)));
                }
            }
        }
    }

    private NDArray slot(String name, String slot, NDArray like) {
        return stateArray(name + "." + slot, like);
    }

    private NDArray stateArray(String key, NDArray like) {
        return state.computeIfAbsent(key, k -> {
            NDArray zeros = manager.zeros(like.getShape(), like.getDataType());
            NDScope.unregister(zeros);
            return zeros;
        });
    }

    /**
     * Returns a copy of one state array's values, for an {@link ArrayUpdater} that continues from it.
     *
     * @param key the state's name, {@code <parameter>.<slot>}
     * @return its values, or null when the state does not exist yet (it starts at zero)
     */
    float[] values(String key) {
        NDArray array = state.get(key);
        return array == null ? null : array.toFloatArray();
    }

    /**
     * Replaces one state array's values with those an {@link ArrayUpdater} computed, creating it when
     * absent.
     *
     * @param key the state's name, {@code <parameter>.<slot>}
     * @param like the parameter's array, whose shape and type the state takes
     * @param values the new values
     */
    void setValues(String key, NDArray like, float[] values) {
        NDArray array = stateArray(key, like);
        try (NDArray source = manager.create(values, like.getShape())) {
            source.copyTo(array);
        }
    }

    /**
     * Counts steps that an {@link ArrayUpdater} took on copies of this updater's state.
     *
     * @param taken the steps taken
     */
    void countSteps(long taken) {
        steps += taken;
    }

    /** Returns the number of steps taken, which Adam's bias correction depends on. */
    public long steps() {
        return steps;
    }

    /** Returns the state arrays by name (live views, for checkpoints). */
    public Map<String, NDArray> state() {
        return state;
    }

    /**
     * Restores state saved from {@link #state()} and {@link #steps()}.
     *
     * @param saved the state arrays by name
     * @param savedSteps the step count
     */
    public void restore(Map<String, NDArray> saved, long savedSteps) {
        state.values().forEach(NDArray::close);
        state.clear();
        saved.forEach((name, array) -> {
            NDArray copy = array.duplicate();
            copy.attach(manager);
            NDScope.unregister(copy);
            state.put(name, copy);
        });
        steps = savedSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}
