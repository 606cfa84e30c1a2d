package io.tl4j.core.adapt;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.tl4j.core.weights.ParameterNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdaBN (Li et al., 2016): re-estimates every BatchNorm's running mean and variance of a block on
 * unlabelled target inputs, leaving every other weight untouched.
 *
 * <p>The block runs forward in training mode over the inputs, batch by batch, as PyTorch does with
 * {@code momentum=None}, so each layer sees its input normalised by the layers before it with each
 * batch's own statistics. The statistics are not a momentum average: each BatchNorm's running values
 * are zeroed before a batch, the batch's mean and variance are read back from what the layer wrote, and
 * the batches are combined exactly, weighted by their sizes ({@code mean = Σ n_b μ_b / N}, {@code var =
 * Σ n_b (σ²_b + (μ_b - mean)²) / N}, with each batch's unbiased variance {@code σ²_b} as the layer
 * reports it). One batch thus gives PyTorch's training-mode statistics of that batch. Any BatchNorm
 * that exposes its running statistics as parameters of types {@code RUNNING_MEAN} and {@code
 * RUNNING_VAR} works, whatever its momentum: the momentum is measured once per layer by running the
 * first batch twice.
 */
public final class BatchNormStatistics {

    /** Runs a block forward in training mode on one batch of target inputs. */
    @FunctionalInterface
    public interface TrainingForward {
        /**
         * Runs batch {@code batch} forward in training mode and frees what the forward made.
         *
         * @param batch the batch's index, from 0
         * @return the batch's number of examples
         */
        int run(int batch);
    }

    private final List<Parameter> means = new ArrayList<>();
    private final List<Parameter> vars = new ArrayList<>();

    private BatchNormStatistics(Block block, String name) {
        Map<String, Parameter> meanByLayer = new LinkedHashMap<>();
        Map<String, Parameter> varByLayer = new LinkedHashMap<>();
        ParameterNames.of(block).forEach((key, p) -> {
            String layer = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
            if (p.getType() == Parameter.Type.RUNNING_MEAN) {
                meanByLayer.put(layer, p);
            } else if (p.getType() == Parameter.Type.RUNNING_VAR) {
                varByLayer.put(layer, p);
            }
        });
        meanByLayer.forEach((layer, mean) -> {
            Parameter var = varByLayer.get(layer);
            if (var != null) {
                means.add(mean);
                vars.add(var);
            }
        });
        if (means.isEmpty()) {
            throw new IllegalArgumentException(name + " has no BatchNorm layer (no running mean and variance among its"
                    + " parameters), so AdaBN has no statistics to re-estimate; align features"
                    + " (DomainAdaptation.coral) or self-train (SelfTraining) instead");
        }
    }

    /**
     * Finds the BatchNorm layers of a block.
     *
     * @param block the block, initialised
     * @param name names the block (e.g. the backbone's architecture) in the error
     * @return the block's BatchNorm statistics
     * @throws IllegalArgumentException naming the block when it has no BatchNorm layer
     */
    public static BatchNormStatistics of(Block block, String name) {
        return new BatchNormStatistics(block, name);
    }

    /** Returns the number of BatchNorm layers found. */
    public int layers() {
        return means.size();
    }

    /**
     * Re-estimates every BatchNorm's statistics over the batches, in place.
     *
     * @param batches the number of batches
     * @param forward runs one batch forward in training mode
     * @throws IllegalArgumentException when there is no batch
     */
    public void reestimate(int batches, TrainingForward forward) {
        if (batches < 1) {
            throw new IllegalArgumentException("AdaBN needs at least one batch of target inputs");
        }
        double[] momentum = momentum(forward);
        int n = means.size();
        double[][] sumMean = new double[n][];
        double[][] sumSquare = new double[n][];
        long total = 0;
        for (int b = 0; b < batches; b++) {
            zero();
            int size = run(forward, b);
            total += size;
            for (int l = 0; l < n; l++) {
                float[] mean = means.get(l).getArray().toFloatArray();
                float[] var = vars.get(l).getArray().toFloatArray();
                if (sumMean[l] == null) {
                    sumMean[l] = new double[mean.length];
                    sumSquare[l] = new double[mean.length];
                }
                for (int c = 0; c < mean.length; c++) {
                    double mu = mean[c] / momentum[l];
                    double sigma2 = var[c] / momentum[l];
                    sumMean[l][c] += size * mu;
                    sumSquare[l][c] += size * (sigma2 + mu * mu);
                }
            }
        }
        for (int l = 0; l < n; l++) {
            float[] mean = new float[sumMean[l].length];
            float[] var = new float[mean.length];
            for (int c = 0; c < mean.length; c++) {
                double mu = sumMean[l][c] / total;
                mean[c] = (float) mu;
                var[c] = (float) Math.max(0, sumSquare[l][c] / total - mu * mu);
            }
            means.get(l).getArray().set(mean);
            vars.get(l).getArray().set(var);
        }
    }

    /**
     * Measures each layer's momentum (the weight of a batch's statistic in the running one): from zero,
     * one forward leaves {@code m σ²}; the same batch again leaves {@code (1 - m) m σ² + m σ² = (2 - m) m
     * σ²}.
     */
    private double[] momentum(TrainingForward forward) {
        zero();
        run(forward, 0);
        List<float[]> once = new ArrayList<>();
        vars.forEach(v -> once.add(v.getArray().toFloatArray()));
        run(forward, 0);
        double[] momentum = new double[vars.size()];
        for (int l = 0; l < vars.size(); l++) {
            float[] twice = vars.get(l).getArray().toFloatArray();
            float[] first = once.get(l);
            double[] ratios = new double[first.length];
            int k = 0;
            for (int c = 0; c < first.length; c++) {
                if (first[c] > 1e-12f) {
                    ratios[k++] = 2 - twice[c] / (double) first[c];
                }
            }
            if (k == 0) {
                throw new IllegalStateException("BatchNorm layer " + l + " did not update its running variance in"
                        + " training mode (momentum 0, or every channel constant on the target inputs)");
            }
            double[] valid = Arrays.copyOf(ratios, k);
            Arrays.sort(valid);
            momentum[l] = valid[k / 2];
            if (!(momentum[l] > 1e-6)) {
                throw new IllegalStateException(
                        "BatchNorm layer " + l + " has no usable momentum for AdaBN: " + momentum[l]);
            }
        }
        return momentum;
    }

    private int run(TrainingForward forward, int batch) {
        Engine.getInstance().setRandomSeed(batch + 1);
        return forward.run(batch);
    }

    private void zero() {
        for (int l = 0; l < means.size(); l++) {
            NDArray mean = means.get(l).getArray();
            NDArray var = vars.get(l).getArray();
            mean.set(new float[Math.toIntExact(mean.size())]);
            var.set(new float[Math.toIntExact(var.size())]);
        }
    }
}
