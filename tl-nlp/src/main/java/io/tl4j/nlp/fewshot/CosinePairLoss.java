package io.tl4j.nlp.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.tl4j.core.nn.Scalars;
import io.tl4j.core.train.Objective;

/**
 * The contrastive objective of {@link ContrastiveTuner}: {@code (cos(a, b) - [same class])²} averaged
 * over every pair of texts in a batch. The output is the batch's embeddings {@code (n, d)}; the
 * targets are the pairs' wanted similarities and a mask of the pairs counted (the upper triangle),
 * both {@code (n, n)}, as {@link #targets} builds them.
 */
final class CosinePairLoss implements Objective {

    /**
     * Builds the targets of a batch.
     *
     * @param sm the step's manager
     * @param labels the batch's class labels
     * @return the wanted similarity of each pair (1 for the same class, else 0) and the mask of the
     *     pairs {@code i < j}
     */
    static NDList targets(NDManager sm, int[] labels) {
        int n = labels.length;
        float[] target = new float[n * n];
        float[] upper = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                upper[i * n + j] = 1;
                target[i * n + j] = labels[i] == labels[j] ? 1 : 0;
            }
        }
        return new NDList(sm.create(target).reshape(n, n), sm.create(upper).reshape(n, n));
    }

    @Override
    public NDArray loss(NDList output, NDList targets) {
        NDArray embeddings = output.head();
        long n = embeddings.getShape().get(0);
        NDArray unit = embeddings.div(Scalars.maximum(embeddings.norm(new int[] {1}, true), 1e-12f));
        NDArray cosine = unit.matMul(unit.transpose());
        return Scalars.div(
                cosine.sub(targets.get(0)).square().mul(targets.get(1)).sum(), n * (n - 1) / 2f);
    }
}
