package io.tl4j.nlp.baseline;

import java.util.Arrays;

/**
 * A sparse feature vector: strictly increasing indices and their values.
 *
 * @param indices the non-zero positions, strictly increasing
 * @param values the value at each position
 */
public record SparseVector(int[] indices, float[] values) {

    /**
     * Creates a sparse vector, checking that the indices increase strictly.
     *
     * @param indices the non-zero positions, strictly increasing
     * @param values the value at each position
     * @throws IllegalArgumentException when the lengths differ or the indices are not increasing
     */
    public SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + values.length + " values");
        }
        for (int i = 1; i < indices.length; i++) {
            if (indices[i] <= indices[i - 1]) {
                throw new IllegalArgumentException("indices must increase strictly: " + Arrays.toString(indices));
            }
        }
    }

    /**
     * Stores a dense vector as a sparse one, every position stored.
     *
     * @param dense a dense vector
     * @return the same vector, every position stored
     */
    public static SparseVector dense(float[] dense) {
        int[] indices = new int[dense.length];
        Arrays.setAll(indices, i -> i);
        return new SparseVector(indices, dense.clone());
    }

    /** Returns the number of stored positions. */
    public int size() {
        return indices.length;
    }

    /**
     * Computes the dot product with {@code weights[offset ..]}.
     *
     * @param weights a dense weight vector, at least as long as the largest index + 1
     * @param offset where the weights start in that array
     * @return the dot product with {@code weights[offset ..]}
     */
    public double dot(double[] weights, int offset) {
        double sum = 0;
        for (int i = 0; i < indices.length; i++) {
            sum += weights[offset + indices[i]] * values[i];
        }
        return sum;
    }
}
