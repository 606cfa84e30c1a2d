package io.tl4j.speech.wav2vec2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.tl4j.core.nn.Scalars;

/**
 * Connectionist temporal classification loss (Graves et al. 2006), the forward algorithm in log
 * space on NDArrays, equal to {@code torch.nn.functional.ctc_loss} (tested against it).
 *
 * <p>As a DJL {@link Loss}: predictions are {@code [logits (batch, frames, vocab), frameLengths
 * (batch)]} (what {@link Wav2Vec2ForCtc}'s block returns; log-softmax is applied here), labels are
 * {@code [targets (batch, maxLabels), targetLengths (batch)]}, integer label ids padded with
 * anything. The blank is id {@code blank}. {@link CtcObjective} makes it the objective of tl4j's
 * training loop, as {@link CtcFineTuner} uses it.
 */
public final class CtcLoss extends Loss {

    /** How per-example losses become one number. */
    public enum Reduction {
        /** PyTorch's {@code mean}: each loss divided by its target length, then averaged. */
        MEAN,
        /** The sum over the batch (Hugging Face's default {@code ctc_loss_reduction}). */
        SUM
    }

    private static final float NEG = -1e30f;

    private final int blank;
    private final Reduction reduction;
    private final boolean zeroInfinity;

    /**
     * Creates the CTC loss.
     *
     * @param blank the blank's id
     * @param reduction how per-example losses are combined
     * @param zeroInfinity when true an example whose labels cannot fit its frames adds 0 (and no
     *     gradient); when false it is an error
     */
    public CtcLoss(int blank, Reduction reduction, boolean zeroInfinity) {
        super("CtcLoss");
        this.blank = blank;
        this.reduction = reduction;
        this.zeroInfinity = zeroInfinity;
    }

    /** Blank 0, {@link Reduction#MEAN}, impossible examples are errors. */
    public CtcLoss() {
        this(0, Reduction.MEAN, false);
    }

    /** Returns the blank's id. */
    public int blank() {
        return blank;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions.size() < 2 || labels.size() < 2) {
            throw new IllegalArgumentException("CtcLoss needs predictions [logits, frameLengths] and labels"
                    + " [targets, targetLengths], got " + predictions.size() + " and " + labels.size() + " arrays");
        }
        NDArray logProbs = predictions.get(0).logSoftmax(2);
        NDArray perExample = perExample(logProbs, predictions.get(1), labels.get(0), labels.get(1));
        if (reduction == Reduction.SUM) {
            return perExample.sum();
        }
        NDArray targetLengths = Scalars.maximum(labels.get(1).toType(DataType.FLOAT32, false), 1f);
        return perExample.div(targetLengths).mean();
    }

    /**
     * The negative log-likelihood of each example's labels.
     *
     * @param logProbs log-probabilities {@code (batch, frames, vocab)}
     * @param inputLengths real frames per example {@code (batch)}
     * @param targets label ids {@code (batch, maxLabels)}, padded
     * @param targetLengths labels per example {@code (batch)}
     * @return {@code (batch)} losses; 0 for an impossible example when {@code zeroInfinity}
     * @throws IllegalArgumentException for an impossible example without {@code zeroInfinity}, or
     *     inconsistent shapes or ids
     */
    public NDArray perExample(NDArray logProbs, NDArray inputLengths, NDArray targets, NDArray targetLengths) {
        NDManager manager = logProbs.getManager();
        Shape shape = logProbs.getShape();
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException("log-probabilities must be (batch, frames, vocab), got " + shape);
        }
        int batch = (int) shape.get(0);
        int frames = (int) shape.get(1);
        int vocab = (int) shape.get(2);
        long[] inLen = inputLengths.toType(DataType.INT64, false).toLongArray();
        long[] tgtLen = targetLengths.toType(DataType.INT64, false).toLongArray();
        if (targets.getShape().dimension() != 2
                || targets.getShape().get(0) != batch
                || inLen.length != batch
                || tgtLen.length != batch) {
            throw new IllegalArgumentException(
                    "targets (batch, maxLabels), input and target lengths (batch) must" + " match batch " + batch
                            + ": got " + targets.getShape() + ", " + inLen.length + ", " + tgtLen.length);
        }
        int maxLabels = (int) targets.getShape().get(1);
        long[] ids = targets.toType(DataType.INT64, false).toLongArray();
        int states = 2 * maxLabels + 1;
        long[] extended = new long[batch * states];
        float[] skip = new float[batch * states];
        float[] feasible = new float[batch];
        long[] last = new long[batch];
        for (int b = 0; b < batch; b++) {
            if (inLen[b] < 0 || inLen[b] > frames || tgtLen[b] < 0 || tgtLen[b] > maxLabels) {
                throw new IllegalArgumentException("example " + b + ": input length " + inLen[b] + " (frames " + frames
                        + ") or target length " + tgtLen[b] + " (max " + maxLabels + ") out of range");
            }
            int repeats = 0;
            for (int s = 0; s < states; s++) {
                int label = (s - 1) / 2;
                long id = s % 2 == 0 || label >= tgtLen[b] ? blank : ids[b * maxLabels + label];
                if (id < 0 || id >= vocab || (s % 2 == 1 && label < tgtLen[b] && id == blank)) {
                    throw new IllegalArgumentException("example " + b + ": label " + label + " has id " + id
                            + ", not a non-blank id in [0, " + vocab + ")");
                }
                extended[b * states + s] = id;
                if (s % 2 == 1 && s >= 3 && label < tgtLen[b] && id != extended[b * states + s - 2]) {
                    skip[b * states + s] = 1f;
                }
                if (s % 2 == 1 && s >= 3 && label < tgtLen[b] && id == extended[b * states + s - 2]) {
                    repeats++;
                }
            }
            boolean possible = inLen[b] >= Math.max(1, tgtLen[b] + repeats);
            if (!possible && !zeroInfinity) {
                throw new IllegalArgumentException(
                        "example " + b + ": " + tgtLen[b] + " labels (" + repeats + " repeated) cannot be aligned to "
                                + inLen[b] + " frames; use zeroInfinity to skip such examples");
            }
            feasible[b] = possible ? 1f : 0f;
            last[b] = 2 * tgtLen[b];
        }
        NDArray ext = manager.create(extended, new Shape(batch, 1, states));
        NDArray emit = logProbs.gather(ext.broadcast(batch, frames, states), 2);
        NDArray skipAllowed = manager.create(skip, new Shape(batch, states)).gt(0f);
        NDArray negColumn = manager.full(new Shape(batch, 1), NEG, logProbs.getDataType());
        NDArray negTwo = manager.full(new Shape(batch, 2), NEG, logProbs.getDataType());
        NDArray negAll = manager.full(new Shape(batch, states), NEG, logProbs.getDataType());

        NDArray first = emit.get(":, 0, :");
        boolean[] start = new boolean[states];
        start[0] = true;
        if (states > 1) {
            start[1] = true;
        }
        NDArray startMask = manager.create(start, new Shape(1, states)).broadcast(batch, states);
        NDArray alpha = NDArrays.where(startMask, first, negAll);
        NDArray inputLengthsFloat = manager.create(toFloat(inLen), new Shape(batch, 1));
        for (int t = 1; t < frames; t++) {
            NDArray stay = alpha;
            NDArray step = negColumn.concat(alpha.get(":, :-1"), 1);
            NDArray jump =
                    states > 2 ? NDArrays.where(skipAllowed, negTwo.concat(alpha.get(":, :-2"), 1), negAll) : negAll;
            NDArray max = stay.maximum(step).maximum(jump);
            NDArray sum = stay.sub(max)
                    .exp()
                    .add(step.sub(max).exp())
                    .add(jump.sub(max).exp());
            NDArray next = max.add(sum.log()).add(emit.get(":, " + t + ", :"));
            NDArray active = inputLengthsFloat.gt((float) t).broadcast(batch, states);
            alpha = NDArrays.where(active, next, alpha);
        }
        NDArray lastIndex = manager.create(last, new Shape(batch, 1));
        NDArray endBlank = alpha.gather(lastIndex, 1);
        NDArray endLabel = NDArrays.where(
                lastIndex.gt(0L),
                alpha.gather(lastIndex.sub(1L).maximum(0L), 1),
                manager.full(new Shape(batch, 1), NEG, logProbs.getDataType()));
        NDArray max = endBlank.maximum(endLabel);
        NDArray logLikelihood =
                max.add(endBlank.sub(max).exp().add(endLabel.sub(max).exp()).log());
        return logLikelihood.neg().reshape(batch).mul(manager.create(feasible));
    }

    private static float[] toFloat(long[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = values[i];
        }
        return f;
    }
}
