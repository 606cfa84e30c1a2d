package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;

/**
 * Computes the trainable low-rank term that LoRA adds to a frozen linear layer, {@code scale ·
 * dropout(x) Aᵀ Bᵀ}, and merges it into the layer's weight ({@code weight += scale · B A}) for
 * inference at the plain layer's speed. Made by {@link TorchLinear#addLowRankUpdate}.
 *
 * <p>{@link #unmerge} restores the weight exactly: merging keeps a copy of the weight it changed
 * (one extra weight-sized array per merged layer while merged), because subtracting the product
 * again would not give back the same float32 values.
 */
public final class LowRankUpdate {

    private final Parameter weight;
    private final Parameter a;
    private final Parameter b;
    private final float scale;
    private final float dropout;
    private NDArray unmergedWeight;

    LowRankUpdate(Parameter weight, Parameter a, Parameter b, float scale, float dropout) {
        this.weight = weight;
        this.a = a;
        this.b = b;
        this.scale = scale;
        this.dropout = dropout;
    }

    /**
     * Returns the update's term for an input: {@code scale · dropout(x) Aᵀ Bᵀ}.
     *
     * @param ps the parameter store
     * @param x the layer's input, (..., in)
     * @param training whether gradients are recorded and dropout is active
     * @return the term, (..., out)
     */
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray input =
                dropout > 0 && training ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        NDArray low =
                Linear.linear(input, TorchModule.value(ps, a, x, training)).singletonOrThrow();
        NDArray high = Linear.linear(low, TorchModule.value(ps, b, x, training)).singletonOrThrow();
        return Scalars.mul(high, scale);
    }

    /** Returns the rank. */
    public long rank() {
        return a.getShape().get(0);
    }

    /** Returns the scale, alpha over rank. */
    public float scale() {
        return scale;
    }

    /** Returns the dropout probability on the update's input in training. */
    public float dropout() {
        return dropout;
    }

    /** Returns the number of trainable values: rank × (in + out). */
    public long parameterCount() {
        return a.getShape().size() + b.getShape().size();
    }

    /** Tells whether the update is merged into the weight (and its own term is off). */
    public boolean isMerged() {
        return unmergedWeight != null;
    }

    /**
     * Adds {@code scale · B A} to the weight and turns the separate term off, so the layer runs
     * at the speed of a plain linear layer with the same outputs.
     *
     * @throws IllegalStateException when already merged
     */
    public void merge() {
        if (isMerged()) {
            throw new IllegalStateException("The low-rank update is already merged");
        }
        NDArray w = weight.getArray();
        NDArray copy = w.duplicate();
        NDArray delta = Scalars.mul(b.getArray().matMul(a.getArray()), scale);
        w.addi(delta);
        delta.close();
        unmergedWeight = copy;
    }

    /**
     * Returns the weight the layer computes with in inference, {@code weight + scale · B A}, as
     * {@link #merge} would make it, without changing the layer: the weight itself when merged, else
     * a new array on {@code manager}. ONNX export writes it as a plain linear layer's weight.
     *
     * @param manager holds the new array when one is made
     * @return the inference weight (out, in)
     */
    public NDArray inferenceWeight(NDManager manager) {
        NDArray w = weight.getArray();
        if (isMerged()) {
            return w;
        }
        NDArray delta = Scalars.mul(b.getArray().matMul(a.getArray()), scale);
        NDArray folded = w.add(delta);
        delta.close();
        folded.attach(manager);
        return folded;
    }

    /**
     * Restores the weight as it was before {@link #merge}, bit for bit, and turns the separate term
     * back on.
     *
     * @throws IllegalStateException when not merged
     */
    public void unmerge() {
        if (!isMerged()) {
            throw new IllegalStateException("The low-rank update is not merged");
        }
        unmergedWeight.copyTo(weight.getArray());
        unmergedWeight.close();
        unmergedWeight = null;
    }
}
