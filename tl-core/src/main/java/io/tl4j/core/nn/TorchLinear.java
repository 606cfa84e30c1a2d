package io.tl4j.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.Optional;

/**
 * PyTorch's {@code nn.Linear} over the last axis: {@code y = x weightᵀ + bias}, with {@code weight}
 * (out, in) and {@code bias} (out). A trainable low-rank update (LoRA) can be added to it ({@link
 * #addLowRankUpdate}): its parameters are then {@code weight}, {@code bias}, {@code lora_A} and
 * {@code lora_B}, as Hugging Face PEFT names them.
 */
public final class TorchLinear extends TorchModule {

    private final long in;
    private final long out;
    private final Parameter weight;
    private final Parameter bias;
    private LowRankUpdate lowRank;

    /**
     * Creates a layer initialized as PyTorch initializes one: weight and bias uniform in
     * ±1/√{@code in}.
     *
     * @param in the input width
     * @param out the output width
     */
    public TorchLinear(long in, long out) {
        this(in, out, pytorchDefault(in), pytorchDefault(in));
    }

    /**
     * Creates a layer with the given initializers (Hugging Face's BERT, for one, starts weights at
     * N(0, 0.02) and biases at 0).
     *
     * @param in the input width
     * @param out the output width
     * @param weightInitializer fills {@code weight} before weights are loaded
     * @param biasInitializer fills {@code bias} before weights are loaded
     */
    public TorchLinear(long in, long out, Initializer weightInitializer, Initializer biasInitializer) {
        this.in = in;
        this.out = out;
        this.weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in), weightInitializer);
        this.bias = parameter("bias", Parameter.Type.BIAS, new Shape(out), biasInitializer);
    }

    private static Initializer pytorchDefault(long in) {
        return new UniformInitializer((float) (1 / Math.sqrt(in)));
    }

    /**
     * Adds a trainable low-rank update to this layer, as LoRA (Hu et al., 2021) and Hugging Face PEFT
     * do: {@code lora_A} (rank, in) starts uniform in ±1/√{@code in} (PyTorch's Kaiming-uniform with
     * a = √5) and {@code lora_B} (out, rank) at zero, so the layer's output is unchanged until {@code
     * lora_B} trains. The output becomes {@code x weightᵀ + bias + scale · dropout(x) lora_Aᵀ
     * lora_Bᵀ} with {@code scale = alpha / rank}. When the layer is already initialized, the new
     * parameters are initialized now, on the weight's manager.
     *
     * @param rank the rank of the update, at least 1
     * @param alpha the update's scaling numerator
     * @param dropout the dropout probability on the update's input in training, in [0, 1)
     * @return the update, which merges into and out of {@code weight}
     * @throws IllegalStateException when the layer already has one
     * @throws IllegalArgumentException for a rank below 1 or a dropout outside [0, 1)
     */
    public LowRankUpdate addLowRankUpdate(int rank, float alpha, float dropout) {
        if (lowRank != null) {
            throw new IllegalStateException("This linear layer already has a low-rank update");
        }
        if (rank < 1 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException(
                    "LoRA needs rank >= 1 and dropout in [0, 1), got rank " + rank + ", dropout " + dropout);
        }
        Parameter a = parameter("lora_A", Parameter.Type.WEIGHT, new Shape(rank, in), pytorchDefault(in));
        Parameter b = parameter("lora_B", Parameter.Type.WEIGHT, new Shape(out, rank), Initializer.ZEROS);
        if (weight.isInitialized()) {
            NDArray w = weight.getArray();
            a.initialize(w.getManager(), w.getDataType());
            b.initialize(w.getManager(), w.getDataType());
        }
        lowRank = new LowRankUpdate(weight, a, b, alpha / rank, dropout);
        return lowRank;
    }

    /** Returns the low-rank update, if one was added. */
    public Optional<LowRankUpdate> lowRankUpdate() {
        return Optional.ofNullable(lowRank);
    }

    /**
     * Returns {@code x weightᵀ + bias}, plus the low-rank update's term while it is not merged.
     *
     * @param ps the parameter store
     * @param x the input, (..., in)
     * @param training whether gradients are being recorded
     * @return the output, (..., out)
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray y = Linear.linear(x, value(ps, weight, x, training), value(ps, bias, x, training))
                .singletonOrThrow();
        return lowRank == null || lowRank.isMerged() ? y : y.add(lowRank.apply(ps, x, training));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape in = inputs[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(out)};
    }
}
