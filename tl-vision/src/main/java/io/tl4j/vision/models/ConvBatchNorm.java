package io.tl4j.vision.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Runs a bias-free convolution and the {@link BatchNorm2d} after it, as one convolution when
 * neither trains: BatchNorm in inference is {@code x * s + (beta - mean * s)} with {@code s = gamma
 * / sqrt(var + eps)}, so it folds into the convolution's weights ({@code w * s} per output channel)
 * and a bias ({@code beta - mean * s}). The folded network skips one pass over every convolution's
 * output; its outputs equal the unfolded network's within float rounding.
 *
 * <p>It folds only when the pair runs in inference mode, none of its parameters requires a
 * gradient (the layer is frozen, or the whole model is, as in {@code TransferModel.predict}), no
 * gradient flows through its input, and {@code -D}{@value #FOLD_PROPERTY}{@code =false} is not set.
 * Otherwise the convolution and the BatchNorm run as two blocks, exactly as without folding: a layer
 * that trains never runs folded. The folded arrays are computed once and kept, owned by the
 * weight's manager, until one of the five arrays they were computed from is replaced, or the pair
 * runs in training mode or with a trainable parameter (a thawed layer whose weights will change).
 * The parameters themselves are never changed, so saved weights stay torchvision's unfolded ones.
 * Writing new values into a frozen parameter's array in place after the pair has run folded is not
 * seen: load weights before the first forward, as every tl4j loader does.
 */
final class ConvBatchNorm {

    /** The system property that switches folding off: {@code -Dtl4j.vision.foldBatchNorm=false}. */
    static final String FOLD_PROPERTY = "tl4j.vision.foldBatchNorm";

    private final Conv2d conv;
    private final BatchNorm2d norm;
    private Folded folded;

    /** The folded weights and bias, and the arrays they were computed from. */
    private record Folded(NDManager owner, NDArray weight, NDArray bias, List<NDArray> sources) {

        boolean computedFrom(List<NDArray> arrays) {
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i) != arrays.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Pairs a convolution with the BatchNorm that follows it; both stay children of their owner.
     *
     * @param conv a convolution without bias
     * @param norm the BatchNorm over its output
     */
    ConvBatchNorm(Conv2d conv, BatchNorm2d norm) {
        this.conv = conv;
        this.norm = norm;
    }

    /**
     * Runs the convolution and the BatchNorm, folded when neither trains (see the class comment).
     * In inference the convolution's output is freed once the BatchNorm has read it.
     *
     * @param parameterStore the parameter store
     * @param x the convolution's input; left open
     * @param training whether the pair runs in training mode
     * @return the BatchNorm's output
     */
    NDArray forward(ParameterStore parameterStore, NDArray x, boolean training) {
        boolean trains = training || trainable();
        if (trains || x.hasGradient() || !foldingEnabled()) {
            if (trains) {
                discard();
            }
            NDArray y = conv.forward(parameterStore, new NDList(x), training).singletonOrThrow();
            NDArray out = norm.forward(parameterStore, new NDList(y), training).singletonOrThrow();
            if (!training) {
                y.close();
            }
            return out;
        }
        Folded f = folded(parameterStore, x.getDevice());
        return Conv2d.conv2d(
                        x,
                        f.weight(),
                        f.bias(),
                        conv.getStride(),
                        conv.getPadding(),
                        conv.getDilation(),
                        conv.getGroups())
                .singletonOrThrow();
    }

    private static boolean foldingEnabled() {
        return !"false".equalsIgnoreCase(System.getProperty(FOLD_PROPERTY));
    }

    private boolean trainable() {
        return convWeight().requiresGradient()
                || norm.weight().requiresGradient()
                || norm.bias().requiresGradient();
    }

    private Parameter convWeight() {
        return conv.getParameters().get("weight");
    }

    private synchronized Folded folded(ParameterStore parameterStore, Device device) {
        NDArray weight = parameterStore.getValue(convWeight(), device, false);
        NDArray gamma = parameterStore.getValue(norm.weight(), device, false);
        NDArray beta = parameterStore.getValue(norm.bias(), device, false);
        NDArray mean = parameterStore.getValue(norm.runningMean(), device, false);
        NDArray var = parameterStore.getValue(norm.runningVar(), device, false);
        List<NDArray> sources = List.of(weight, gamma, beta, mean, var);
        if (folded != null && folded.computedFrom(sources)) {
            return folded;
        }
        discard();
        NDManager owner = weight.getManager().newSubManager();
        try (NDScope scope = new NDScope()) {
            NDArray scale = gamma.div(var.add(norm.epsilon()).sqrt());
            NDArray foldedWeight = weight.mul(scale.reshape(-1, 1, 1, 1));
            NDArray foldedBias = beta.sub(mean.mul(scale));
            foldedWeight.attach(owner);
            foldedBias.attach(owner);
            NDScope.unregister(foldedWeight, foldedBias);
            folded = new Folded(owner, foldedWeight, foldedBias, sources);
        }
        return folded;
    }

    private synchronized void discard() {
        if (folded != null) {
            folded.owner().close();
            folded = null;
        }
    }
}
