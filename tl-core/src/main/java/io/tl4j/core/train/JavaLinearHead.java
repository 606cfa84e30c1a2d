package io.tl4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a linear classifier on cached feature vectors in plain Java: the steps of {@link
 * TrainingLoop} for a head whose arithmetic costs less than the engine's calls. A step of a linear
 * head on cached features is a few hundred thousand multiply-adds, while the engine spends tens of
 * native calls on it (gather, linear, log-softmax, backward, a dozen per parameter for Adam); here it
 * is three loops over arrays. The computation is the engine's, same batches, same softmax
 * cross-entropy (with class weights), same {@link ArrayUpdater optimizer arithmetic}, in float32
 * (the loss's sums in double); only the order of the sums differs. The loop keeps everything else:
 * schedule, clipping, divergence guard, listeners, history; between epochs the weights and optimizer
 * state go back to the parameters and the {@link Updater}, so validation, early stopping and
 * checkpoints see them as after engine steps.
 */
public final class JavaLinearHead {

    private final float[] features;
    private final int[] labels;
    private final int dims;
    private final int classes;
    private final List<TrainingLoop.Trainable> parameters;
    private final float[] w;
    private final float[] b;
    private final float[] gw;
    private final float[] gb;
    private float[] scores = new float[0];
    private ArrayUpdater updater;
    private float[] classWeights;
    private int correct;

    /**
     * Prepares the training of a linear head.
     *
     * @param features the cached features, one row of {@code weight}'s input width per example
     * @param labels the class of each example
     * @param weight the head's weight {@code (classes, features)}, float32
     * @param bias the head's bias {@code (classes)}, float32
     * @throws IllegalArgumentException naming the mismatch when the arrays do not fit together
     */
    public JavaLinearHead(float[] features, int[] labels, TrainingLoop.Trainable weight, TrainingLoop.Trainable bias) {
        long[] shape = weight.parameter().getArray().getShape().getShape();
        long[] biasShape = bias.parameter().getArray().getShape().getShape();
        if (shape.length != 2 || biasShape.length != 1 || biasShape[0] != shape[0]) {
            throw new IllegalArgumentException("A linear head needs a weight (classes, features) and a bias (classes):"
                    + " got " + weight.name() + " "
                    + weight.parameter().getArray().getShape() + " and "
                    + bias.name() + " " + bias.parameter().getArray().getShape());
        }
        if (weight.parameter().getArray().getDataType() != DataType.FLOAT32
                || bias.parameter().getArray().getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("A linear head trained in Java must be float32: " + weight.name()
                    + " is " + weight.parameter().getArray().getDataType());
        }
        this.classes = Math.toIntExact(shape[0]);
        this.dims = Math.toIntExact(shape[1]);
        if (features.length != (long) labels.length * dims) {
            throw new IllegalArgumentException("The cached features hold " + features.length + " values, not "
                    + labels.length + " examples x " + dims + " (the width of " + weight.name() + ")");
        }
        this.features = features;
        this.labels = labels.clone();
        this.parameters = List.of(weight, bias);
        this.w = new float[classes * dims];
        this.b = new float[classes];
        this.gw = new float[w.length];
        this.gb = new float[classes];
    }

    /**
     * Takes the head's weights from its parameters and the optimizer state from the updater, before an
     * epoch's steps.
     *
     * @param optimizer the optimizer settings
     * @param state the run's updater, holding the optimizer state
     * @param objective the loss, whose class weights the steps apply
     */
    void beginEpoch(OptimizerSpec optimizer, Updater state, CrossEntropy objective) {
        System.arraycopy(parameters.get(0).parameter().getArray().toFloatArray(), 0, w, 0, w.length);
        System.arraycopy(parameters.get(1).parameter().getArray().toFloatArray(), 0, b, 0, b.length);
        classWeights = objective.classWeights();
        updater = new ArrayUpdater(
                optimizer, parameters.stream().map(TrainingLoop.Trainable::name).toList(), new boolean[] {true, false});
        updater.load(state, new int[] {w.length, b.length});
    }

    /**
     * Writes the weights back to the parameters and the optimizer state back to the updater, after an
     * epoch's steps.
     *
     * @param state the run's updater
     */
    void endEpoch(Updater state) {
        List<NDArray> arrays =
                parameters.stream().map(t -> t.parameter().getArray()).toList();
        write(w, arrays.get(0));
        write(b, arrays.get(1));
        updater.store(state, arrays);
    }

    /**
     * Runs the head forward on a batch, computes the loss and its gradients.
     *
     * @param idx the examples
     * @return the batch's mean (or class-weighted) cross-entropy
     */
    double forwardBackward(int[] idx) {
        int n = idx.length;
        if (scores.length < n * classes) {
            scores = new float[n * classes];
        }
        double lossSum = 0;
        double weightSum = 0;
        correct = 0;
        for (int i = 0; i < n; i++) { // scores: the logits, then the softmax probabilities
            int row = idx[i] * dims;
            int label = labels[idx[i]];
            int base = i * classes;
            logits(row, base);
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[base + c] > scores[base + best]) {
                    best = c;
                }
            }
            if (best == label) {
                correct++;
            }
            float max = scores[base + best];
            float target = scores[base + label];
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(scores[base + c] - max);
                scores[base + c] = (float) e;
                sum += e;
            }
            double weight = classWeights == null ? 1 : classWeights[label];
            lossSum += weight * (max + Math.log(sum) - target);
            weightSum += weight;
            for (int c = 0; c < classes; c++) {
                scores[base + c] = (float) (scores[base + c] / sum);
            }
        }
        Arrays.fill(gw, 0f);
        Arrays.fill(gb, 0f);
        for (int i = 0; i < n; i++) {
            int row = idx[i] * dims;
            int label = labels[idx[i]];
            float scale = (float) ((classWeights == null ? 1 : classWeights[label]) / weightSum);
            for (int c = 0; c < classes; c++) {
                float g = ((c == label ? -1f : 0f) + scores[i * classes + c]) * scale;
                gb[c] += g;
                axpy(g, features, row, gw, c * dims, dims);
            }
        }
        return lossSum / weightSum;
    }

    /**
     * Returns how many examples of the last batch the head classified right (before the update).
     *
     * @return the number right
     */
    int correct() {
        return correct;
    }

    /**
     * Scales the gradients so their global L2 norm is at most {@code maxNorm}, as {@link
     * Updater#clipByGlobalNorm} does.
     *
     * @param maxNorm the largest norm allowed
     * @return the norm before clipping
     */
    double clipGradients(double maxNorm) {
        double norm = Math.sqrt(squares(gw) + squares(gb));
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            scale(gw, scale);
            scale(gb, scale);
        }
        return norm;
    }

    /**
     * Applies the gradients at a learning rate, times each parameter's factor.
     *
     * @param learningRate the step's scheduled learning rate
     */
    void update(double learningRate) {
        updater.step(new float[][] {w, b}, new float[][] {gw, gb}, new float[] {
            (float) (learningRate * parameters.get(0).multiplier()),
            (float) (learningRate * parameters.get(1).multiplier())
        });
    }

    private static void write(float[] values, NDArray target) {
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            source.copyTo(target);
        }
    }

    /** Puts one example's class scores into {@code scores[base ..]}, two classes per pass over its features. */
    private void logits(int row, int base) {
        int c = 0;
        for (; c + 1 < classes; c += 2) {
            dotPair(w, c * dims, features, row, dims, scores, base + c);
            scores[base + c] += b[c];
            scores[base + c + 1] += b[c + 1];
        }
        if (c < classes) {
            scores[base + c] = b[c] + dot(w, c * dims, features, row, dims);
        }
    }

    /**
     * Two dot products that share their loads of {@code x}: rows {@code a[offset ..]} and {@code a[offset + length
     * ..]} with {@code x[xOffset ..]}, into {@code out[at]} and {@code out[at + 1]}; four running sums each, which the
     * CPU adds in parallel.
     */
    private static void dotPair(float[] a, int offset, float[] x, int xOffset, int length, float[] out, int at) {
        int second = offset + length;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float t0 = 0;
        float t1 = 0;
        float t2 = 0;
        float t3 = 0;
        int k = 0;
        for (; k + 3 < length; k += 4) {
            float x0 = x[xOffset + k];
            float x1 = x[xOffset + k + 1];
            float x2 = x[xOffset + k + 2];
            float x3 = x[xOffset + k + 3];
            s0 += a[offset + k] * x0;
            s1 += a[offset + k + 1] * x1;
            s2 += a[offset + k + 2] * x2;
            s3 += a[offset + k + 3] * x3;
            t0 += a[second + k] * x0;
            t1 += a[second + k + 1] * x1;
            t2 += a[second + k + 2] * x2;
            t3 += a[second + k + 3] * x3;
        }
        for (; k < length; k++) {
            s0 += a[offset + k] * x[xOffset + k];
            t0 += a[second + k] * x[xOffset + k];
        }
        out[at] = (s0 + s1) + (s2 + s3);
        out[at + 1] = (t0 + t1) + (t2 + t3);
    }

    /** A dot product with four running sums, which the CPU can add in parallel. */
    private static float dot(float[] a, int aOffset, float[] x, int xOffset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = 0;
        for (; k + 3 < length; k += 4) {
            s0 += a[aOffset + k] * x[xOffset + k];
            s1 += a[aOffset + k + 1] * x[xOffset + k + 1];
            s2 += a[aOffset + k + 2] * x[xOffset + k + 2];
            s3 += a[aOffset + k + 3] * x[xOffset + k + 3];
        }
        for (; k < length; k++) {
            s0 += a[aOffset + k] * x[xOffset + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y += alpha * x} over a range, a loop the JIT vectorizes. */
    private static void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        for (int k = 0; k < length; k++) {
            y[yOffset + k] += alpha * x[xOffset + k];
        }
    }

    /** The sum of squares, in float per element as the engine's {@code square().sum()}. */
    private static double squares(float[] values) {
        float sum = 0;
        for (float v : values) {
            sum += v * v;
        }
        return sum;
    }

    private static void scale(float[] values, float factor) {
        for (int k = 0; k < values.length; k++) {
            values[k] *= factor;
        }
    }
}
